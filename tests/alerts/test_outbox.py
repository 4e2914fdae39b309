"""The outbox against real receivers: retries and backoff, a receiver down for several
runs, a run killed between storing and sending, routing, and `channel_failing`."""

from __future__ import annotations

import dataclasses
import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from mobwatch.alerts.channels import Channel, ChannelSetup, ConsoleChannel, JsonlChannel
from mobwatch.alerts.outbox import DeliveryReport, deliver_pending
from mobwatch.alerts.registry import build_channels
from mobwatch.alerts.routing import DeliveryConfig, load_delivery_config
from mobwatch.alerts.secrets import Secret
from mobwatch.alerts.slack import SlackChannel, SlackWebhook
from mobwatch.demo.server import LoopbackServer
from mobwatch.indicators.model import Alert, Evidence, Severity
from mobwatch.store.store import Store
from tests.alerts.receivers import SmtpServer, Webhook

START = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
CONFIG = load_delivery_config()


def alert(n: int, severity: Severity = Severity.CRITICAL, audience: str = "analyst") -> Alert:
    return Alert(
        marker="source_failing" if audience == "operator" else "force_size_increase",
        severity=severity,
        title=f"alert {n} ({severity}, {audience})",
        fingerprint=f"{n:064x}",
        fired_on=date(2025, 11, n),
        evidence=(Evidence(url=f"http://example.org/{n}", quote=f"quote {n}"),),
        audience=audience,
    )


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


def slack(webhook: Webhook, name: str = "slack", timeout: float = 2.0) -> SlackChannel:
    return SlackChannel(SlackWebhook(Secret(webhook.url), timeout), name=name)


class Runs:
    """Successive runs of the outbox an hour apart, sleeping nowhere."""

    def __init__(self, store: Store, channels: list[Channel], config: DeliveryConfig) -> None:
        self.store, self.channels, self.config = store, channels, config
        self.now = START
        self.sleeps: list[float] = []

    def run(self, hours: float = 1.0) -> DeliveryReport:
        report = deliver_pending(
            self.store, self.channels, self.config, now=self.now, sleep=self.sleeps.append
        )
        self.now += timedelta(hours=hours)
        return report


@pytest.mark.parametrize("failing", [500, "hang"])
def test_a_receiver_down_for_several_runs_gets_every_alert_exactly_once(
    store: Store, webhook: Webhook, failing: int | str
) -> None:
    for n in (1, 2, 3):
        store.record_alert(alert(n))
    webhook.failing, webhook.hang_seconds = failing, 0.3
    runs = Runs(store, [slack(webhook, timeout=0.1)], CONFIG)
    down = [runs.run() for _ in range(3)]
    assert [report.failed["slack"] for report in down] == 3 * [
        "Slack webhook: HTTP 500" if failing == 500 else "Slack webhook: timed out"
    ]
    # Three tries a run on the first pending alert, waiting 1 s then 2 s; the rest wait.
    assert runs.sleeps == [1.0, 2.0] * 3
    assert len(webhook.posts) == 9 and webhook.accepted == []
    webhook.failing = None
    up = [runs.run() for _ in range(2)]
    assert [report.delivered["slack"] for report in up] == [3, 0]
    assert Counter(webhook.fingerprints()) == {f"{n:064x}": 1 for n in (1, 2, 3)}
    # Oldest first, as they fired.
    assert webhook.fingerprints() == [f"{n:064x}" for n in (1, 2, 3)]


def test_a_failed_alert_backs_off_between_runs(store: Store, webhook: Webhook) -> None:
    store.record_alert(alert(1))
    webhook.failing = 500
    runs = Runs(store, [slack(webhook)], CONFIG)
    runs.run(hours=0)  # fails: held back 5 minutes
    runs.now += timedelta(minutes=4)
    assert runs.run(hours=0).delivered == {"slack": 0} and len(webhook.posts) == 3
    runs.now += timedelta(minutes=1)
    runs.run(hours=0)  # due again, fails again: held back 10 minutes
    assert len(webhook.posts) == 6
    webhook.failing = None
    runs.now += timedelta(minutes=9)
    runs.run(hours=0)
    assert webhook.accepted == []
    runs.now += timedelta(minutes=1)
    assert runs.run(hours=0).delivered == {"slack": 1}
    assert webhook.fingerprints() == [f"{1:064x}"]


def test_a_run_killed_between_storing_and_sending_sends_it_next_time_once(
    db_url: str, webhook: Webhook
) -> None:
    killed = Store.open(db_url)
    assert killed.record_alert(alert(1))  # committed; the process dies before any send
    killed.close()
    restarted = Store.open(db_url)
    try:
        channels: list[Channel] = [slack(webhook)]
        first = deliver_pending(restarted, channels, CONFIG, sleep=lambda _: None)
        again = deliver_pending(restarted, channels, CONFIG, sleep=lambda _: None)
        # The same alert raised again by the next pass is known: nothing new to send.
        assert not restarted.record_alert(alert(1))
    finally:
        restarted.close()
    assert first.delivered == {"slack": 1} and again.delivered == {"slack": 0}
    assert webhook.fingerprints() == [f"{1:064x}"]


def test_alerts_go_where_their_severity_and_audience_route_them(
    store: Store,
    tmp_path: Path,
    webhooks: LoopbackServer,
    webhook: Webhook,
    smtp: Callable[..., SmtpServer],
) -> None:
    mail = smtp()
    operator = Webhook(webhooks, "/services/T000/B000/operator")
    critical, warning, info = alert(1), alert(2, Severity.WARNING), alert(3, Severity.INFO)
    failing = alert(4, Severity.WARNING, audience="operator")
    for item in (critical, warning, info, failing):
        store.record_alert(item)
    environ = {
        "MOBWATCH_SLACK_WEBHOOK_URL": webhook.url,
        "MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL": operator.url,
        "MOBWATCH_SMTP_URL": mail.url(),
        "MOBWATCH_EMAIL_FROM": "mobwatch@example.org",
        "MOBWATCH_EMAIL_TO": "analyst@example.org",
    }
    console = io.StringIO()
    setup = ChannelSetup(home=tmp_path, environ=environ, stream=console, timeout=5)
    channels = build_channels(CONFIG.routing.channels(), setup)
    # No operator address is set: that channel is off, and says so.
    assert channels.off == {"email-operator": "set MOBWATCH_OPERATOR_EMAIL_TO"}
    report = deliver_pending(store, list(channels.on.values()), CONFIG, off=channels.off)
    assert report.failed == {} and report.off == channels.off
    assert webhook.fingerprints() == [critical.fingerprint, warning.fingerprint]
    assert [message["Message-ID"] for message in mail.mailbox.messages] == [
        f"<alert.{critical.fingerprint}@example.org>"
    ]
    assert operator.fingerprints() == [failing.fingerprint]
    assert console.getvalue().count("\n[") + 1 == 4  # the console takes every alert
    jsonl = (tmp_path / "alerts.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["fingerprint"] for line in jsonl] == [
        a.fingerprint for a in (critical, warning, info, failing)
    ]
    # The info alert waits for the digest.
    assert [
        a.fingerprint for a in store.undelivered("digest", CONFIG.routing.selector("digest"))
    ] == [info.fingerprint]


def test_a_channel_failing_three_runs_raises_one_operator_alert_per_streak(
    store: Store, tmp_path: Path, webhooks: LoopbackServer, webhook: Webhook
) -> None:
    operator = Webhook(webhooks, "/services/T000/B000/operator")
    store.record_alert(alert(1))
    console = io.StringIO()
    channels: list[Channel] = [
        ConsoleChannel(console),
        JsonlChannel(tmp_path / "alerts.jsonl"),
        slack(webhook),
        slack(operator, name="slack-operator"),
    ]
    runs = Runs(store, channels, CONFIG)
    webhook.failing = 500
    raised = [runs.run().raised for _ in range(5)]
    assert [len(batch) for batch in raised] == [0, 0, 1, 0, 0]
    [failing] = raised[2]
    assert (failing.marker, failing.audience, failing.severity) == (
        "channel_failing",
        "operator",
        "warning",
    )
    assert failing.title.startswith("Delivery channel slack failing: 3 runs in a row since")
    assert failing.evidence[0].quote == "Slack webhook: HTTP 500"
    # Delivered in the same run to the operator's working channels, and never to Slack.
    assert operator.fingerprints() == [failing.fingerprint]
    assert console.getvalue().count("channel_failing") == 1
    assert webhook.accepted == []
    # Slack recovers; a later streak is a new operator alert.
    webhook.failing = None
    runs.run()
    webhook.failing = 500
    store.record_alert(alert(2))
    later = [runs.run().raised for _ in range(3)]
    assert [len(batch) for batch in later] == [0, 0, 1]
    assert later[2][0].fingerprint != failing.fingerprint


def test_an_alert_waiting_over_an_hour_raises_channel_failing_at_once(
    store: Store, webhook: Webhook
) -> None:
    store.record_alert(alert(1))
    webhook.failing = 500
    [created] = [a.created_at for a in store.alerts()]
    assert created is not None
    report = deliver_pending(
        store, [slack(webhook)], CONFIG, now=created + timedelta(minutes=61), sleep=lambda _: None
    )
    [raised] = report.raised
    assert raised.title.startswith("Delivery channel slack failing: 1 runs in a row")


def test_without_a_configuration_every_channel_takes_every_alert_once_a_run(
    store: Store, webhook: Webhook
) -> None:
    store.record_alert(alert(1, Severity.INFO, audience="operator"))
    webhook.failing = 500
    sleeps: list[float] = []
    report = deliver_pending(store, [slack(webhook)], sleep=sleeps.append)
    assert report.failed == {"slack": "Slack webhook: HTTP 500"} and report.raised == []
    assert sleeps == [] and len(webhook.posts) == 1
    webhook.failing = None
    assert deliver_pending(store, [slack(webhook)]).delivered == {"slack": 1}


def test_a_policy_of_one_try_does_not_sleep(store: Store, webhook: Webhook) -> None:
    store.record_alert(alert(1))
    webhook.failing = 500
    config = dataclasses.replace(CONFIG, outbox=dataclasses.replace(CONFIG.outbox, tries_per_run=1))
    runs = Runs(store, [slack(webhook)], config)
    runs.run()
    assert runs.sleeps == [] and len(webhook.posts) == 1

"""State alerts and inhibition: a failing source is said once, again after the interval,
and resolved once; its parser never drifts meanwhile; a critical alert about an act holds
back the warnings about it. Delivered to a real webhook on loopback."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from mobwatch.alerts.holding import held_back
from mobwatch.alerts.outbox import deliver_pending
from mobwatch.alerts.routing import load_delivery_config
from mobwatch.alerts.secrets import Secret
from mobwatch.alerts.slack import SlackChannel, SlackWebhook
from mobwatch.cli.main import main
from mobwatch.demo.server import LoopbackServer
from mobwatch.indicators.model import Alert, Evidence, Severity
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.pipeline import stages
from mobwatch.store.store import Store
from tests.alerts.receivers import Webhook

CONFIG = load_delivery_config()
MARKERS = load_marker_config()
AS_OF = date(2026, 11, 20)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


def failed_run(store: Store) -> stages.SourceReport:
    store.record_source_run("regional-news", items=0, error="HTTP 503")
    return stages.SourceReport("regional-news", pages=0, errors=["HTTP 503"])


def good_run(store: Store, items: int) -> stages.SourceReport:
    store.record_source_run("regional-news", items=items, error=None)
    return stages.SourceReport("regional-news", pages=1, documents=items)


def test_a_failing_source_is_said_once_again_after_the_interval_and_resolved_once(
    store: Store, webhooks: LoopbackServer
) -> None:
    operator = Webhook(webhooks, "/services/T000/B000/operator")
    channel = SlackChannel(SlackWebhook(Secret(operator.url), 2.0), name="slack-operator")
    good_run(store, 12)
    start = datetime.now(UTC)

    def run(hours: float, report: stages.SourceReport) -> list[Alert]:
        now = start + timedelta(hours=hours)
        raised = stages.raise_operator_alerts(
            store, MARKERS, as_of=AS_OF, reports=[report], repeat_hours=24, now=now
        )
        deliver_pending(store, [channel], CONFIG, now=now)
        return raised

    failing = MARKERS.source_failing.failed_runs
    said = [run(hour, failed_run(store)) for hour in range(failing + 30)]
    titles = [alert.title for batch in said for alert in batch]
    assert len(titles) == 2, titles  # once when the streak is long enough, once a day later
    assert titles[0].startswith("Source regional-news failing")
    assert titles[1].startswith("Still failing (said 1 times before)")
    assert [i for i, batch in enumerate(said) if batch] == [failing - 1, failing - 1 + 24]
    # The source answers again but parses to nothing: drift is real now, and says so.
    recovered = run(failing + 31, good_run(store, 0))
    assert [(a.marker, a.severity, a.title.split(":")[0]) for a in recovered] == [
        ("source_failing", Severity.INFO, "Resolved"),
        ("parser_drift", Severity.WARNING, "Source regional-news parsed to nothing"),
    ]
    assert run(failing + 32, good_run(store, 5)) == []  # resolved once
    # Failing, still failing, then the resolution and the drift in one operator message.
    headers = [payload["blocks"][0]["text"]["text"] for payload in operator.accepted]
    assert headers == [
        "WARNING (operator) · source_failing",
        "WARNING (operator) · source_failing",
        "mobwatch · 2 operator alerts",
    ]
    assert len(set(operator.fingerprints())) == 4


def test_a_failing_source_holds_back_parser_drift_for_the_same_source(store: Store) -> None:
    failing = Alert(
        marker="source_failing",
        severity=Severity.WARNING,
        title="Source regional-news failing",
        fingerprint="a" * 64,
        fired_on=AS_OF,
        evidence=(Evidence(url="", quote="HTTP 503", source="regional-news"),),
        observation_key="state:source:regional-news:never",
        audience="operator",
    )
    drift = Alert(
        marker="parser_drift",
        severity=Severity.WARNING,
        title="Source regional-news parsed to nothing",
        fingerprint="b" * 64,
        fired_on=AS_OF,
        evidence=(Evidence(url="", quote="1 pages, 0 items", source="regional-news"),),
        audience="operator",
    )
    elsewhere = Alert(**{**drift.__dict__, "fingerprint": "c" * 64, "evidence": (
        Evidence(url="", quote="1 pages, 0 items", source="official-acts"),
    )})  # fmt: skip
    for alert in (failing, drift, elsewhere):
        store.record_alert(alert)
    held = held_back(store, [drift, elsewhere], CONFIG.inhibit, now=datetime.now(UTC))
    assert list(held) == [drift.fingerprint]
    assert held[drift.fingerprint].kind == "inhibited"
    assert "source_failing holds back parser_drift" in held[drift.fingerprint].reason


def test_a_critical_alert_about_an_act_holds_back_warnings_about_it(
    store: Store, webhook: Webhook
) -> None:
    def act_alert(n: int, severity: Severity, key: str) -> Alert:
        return Alert(
            marker="force_size_increase"
            if severity is Severity.CRITICAL
            else "callup_size_anomaly",
            severity=severity,
            title=f"alert {n}",
            fingerprint=f"{n:064x}",
            fired_on=AS_OF,
            evidence=(Evidence(url=f"http://example.org/{n}", quote="q"),),
            observation_key=key,
        )

    critical = act_alert(1, Severity.CRITICAL, "force_size_decree:2026-11-19")
    same_act = act_alert(2, Severity.WARNING, "force_size_decree:2026-11-19")
    other_act = act_alert(3, Severity.WARNING, "callup_decree:2026-autumn")
    for alert in (critical, same_act, other_act):
        store.record_alert(alert)
    slack = SlackChannel(SlackWebhook(Secret(webhook.url), 2.0))
    report = deliver_pending(store, [slack], CONFIG)
    assert report.held == {"slack": 1}
    assert sorted(webhook.fingerprints()) == [critical.fingerprint, other_act.fingerprint]


def test_the_route_command_shows_channels_silences_and_inhibitions(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MOBWATCH_SLACK_WEBHOOK_URL", raising=False)
    home = ["--home", str(tmp_path), "--db", db_url]
    add = ["silence", "add", "--marker", "parser_drift", "--source", "regional-news"]
    assert (
        main([*add, "--until", "2099-01-01", "--by", "Oleg", "--comment", "redesign", *home]) == 0
    )
    out = io.StringIO()
    argv = ["alerts", "route", "--marker", "parser_drift", "--severity", "warning", *home]
    assert main(argv, out) == 0
    text = out.getvalue()
    assert "parser_drift (warning) takes the operator route:" in text
    assert "  console: on (grouped)" in text
    assert "slack-operator: off (set MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL" in text
    assert (
        "applies to its region or source only: silence 1: parser_drift source=regional-news" in text
    )
    assert "by Oleg" in text
    assert "source_failing holds back parser_drift about the same source" in text
    out = io.StringIO()
    assert main([*argv, "--source", "regional-news"], out) == 0
    assert "  applies: silence 1: parser_drift" in out.getvalue()
    out = io.StringIO()
    assert main([*argv, "--source", "official-acts"], out) == 0
    assert "none in force for it" in out.getvalue()
    out = io.StringIO()
    argv = ["alerts", "route", "--marker", "martial_law", "--severity", "critical", *home]
    assert main(argv, out) == 0
    assert "  slack: off" in out.getvalue() and "none in force for it" in out.getvalue()
    assert "no rule holds it back" in out.getvalue()

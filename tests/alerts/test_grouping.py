"""Grouping against real receivers: a burst of a pass leaves as a few messages, each alert
named once, critical ones at once and alone; a rerun sends nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from mobwatch.alerts.grouping import AlertGroup, GroupPolicy, plan_messages
from mobwatch.alerts.routing import DEFAULT_ALERTS_FILE
from mobwatch.alerts.slack_blocks import group_message
from mobwatch.indicators.model import Alert, Evidence, Severity
from mobwatch.pipeline import stages
from mobwatch.pipeline.settings import Settings
from mobwatch.store.store import Store
from tests.alerts.receivers import SmtpServer, Webhook

AS_OF = date(2026, 11, 20)


def burst_alert(n: int, severity: Severity) -> Alert:
    return Alert(
        marker="regional_bonus_record" if severity is Severity.WARNING else "martial_law",
        severity=severity,
        title=f"burst alert {n} ({severity})",
        fingerprint=f"{n:064x}",
        fired_on=AS_OF,
        evidence=(
            Evidence(url=f"http://example.org/act/{n}", quote=f"quote {n}", title=f"act {n}"),
        ),
        observation_key=f"act:{n}",
    )


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


def alerts_file(tmp_path: Path) -> Path:
    """The project's routes, with warnings also emailed: a burst reaches both channels."""
    text = DEFAULT_ALERTS_FILE.read_text("utf-8")
    text = text.replace(
        'warning = ["console", "jsonl", "slack"]',
        'warning = ["console", "jsonl", "slack", "email"]',
    )
    path = tmp_path / "alerts.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def receivers(
    monkeypatch: pytest.MonkeyPatch, webhook: Webhook, smtp: Callable[..., SmtpServer]
) -> tuple[Webhook, SmtpServer]:
    mail = smtp()
    monkeypatch.setenv("MOBWATCH_SLACK_WEBHOOK_URL", webhook.url)
    monkeypatch.setenv("MOBWATCH_SMTP_URL", mail.url())
    monkeypatch.setenv("MOBWATCH_EMAIL_FROM", "mobwatch@example.org")
    monkeypatch.setenv("MOBWATCH_EMAIL_TO", "analyst@example.org")
    return webhook, mail


def named_in_email(mail: SmtpServer) -> list[str]:
    bodies = [m.get_body(("plain",)).get_content() for m in mail.mailbox.messages]  # type: ignore[union-attr]
    return [n for body in bodies for n in re.findall(r"burst alert (\d+)", body)]


def test_a_burst_of_20_warnings_and_2_critical_alerts_is_3_messages_a_channel(
    store: Store, db_url: str, tmp_path: Path, receivers: tuple[Webhook, SmtpServer]
) -> None:
    webhook, mail = receivers
    settings = Settings.resolve(home=tmp_path, db=db_url, alerts=alerts_file(tmp_path))
    now = datetime.now(UTC)
    # The pass's first sources land: a critical alert and ten warnings.
    for n in [1, *range(3, 13)]:
        store.record_alert(burst_alert(n, Severity.CRITICAL if n == 1 else Severity.WARNING))
    early = stages.deliver(store, settings, as_of=AS_OF, risk_level="", now=now, flush=False)
    # The critical one went at once, alone; the warnings wait for the rest of the pass.
    assert early.messages == {"console": 11, "jsonl": 11, "slack": 1, "email": 1}
    assert webhook.fingerprints() == [f"{1:064x}"]
    for n in [2, *range(13, 23)]:
        store.record_alert(burst_alert(n, Severity.CRITICAL if n == 2 else Severity.WARNING))
    last = stages.deliver(store, settings, as_of=AS_OF, risk_level="", now=now, flush=True)
    assert (last.messages["slack"], last.messages["email"]) == (2, 2)
    assert len(webhook.accepted) == 3 and len(mail.mailbox.messages) == 3
    every = sorted(f"{n:064x}" for n in range(1, 23))
    assert sorted(webhook.fingerprints()) == every  # each named once, in some message
    assert sorted(map(int, named_in_email(mail))) == list(range(1, 23))
    # Critical ones alone, in messages of their own.
    assert [p["blocks"][0]["text"]["text"] for p in webhook.accepted] == [
        "CRITICAL · martial_law",
        "CRITICAL · martial_law",
        "mobwatch · 20 warning alerts",
    ]
    rerun = stages.deliver(store, settings, as_of=AS_OF, risk_level="", now=now, flush=True)
    assert sum(rerun.messages.values()) == 0 and sum(rerun.delivered.values()) == 0
    assert len(webhook.accepted) == 3 and len(mail.mailbox.messages) == 3


def test_a_group_failing_to_send_is_retried_whole_and_delivered_once(
    store: Store, db_url: str, tmp_path: Path, receivers: tuple[Webhook, SmtpServer]
) -> None:
    webhook, _ = receivers
    settings = Settings.resolve(home=tmp_path, db=db_url, alerts=alerts_file(tmp_path))
    for n in range(1, 6):
        store.record_alert(burst_alert(n, Severity.WARNING))
    webhook.failing = 500
    now = datetime.now(UTC)
    down = stages.deliver(
        store, settings, as_of=AS_OF, risk_level="", now=now, sleep=lambda _: None
    )
    assert down.failed["slack"] == "Slack webhook: HTTP 500" and down.delivered["slack"] == 0
    webhook.failing = None
    later = now + timedelta(hours=2)  # past the backoff
    up = stages.deliver(
        store, settings, as_of=AS_OF, risk_level="", now=later, sleep=lambda _: None
    )
    assert up.messages["slack"] == 1 and up.delivered["slack"] == 5
    assert sorted(webhook.fingerprints()) == [f"{n:064x}" for n in range(1, 6)]


def test_past_the_size_limit_the_rest_are_counted_with_a_pointer() -> None:
    now = datetime.now(UTC)
    alerts = [burst_alert(n, Severity.WARNING) for n in range(1, 41)]
    [group] = plan_messages(alerts, GroupPolicy(max_per_message=30), now=now, flush=True)
    payload = group_message(group, "AMBER: one warning")
    assert len(payload["blocks"]) <= 50
    named = [b for b in payload["blocks"] if b.get("block_id", "").startswith("mobwatch-alert-")]
    assert len(named) == 30
    assert (
        "and 10 more: `mobwatch alerts` lists them all"
        in payload["blocks"][-1]["elements"][0]["text"]
    )
    assert all(len(b["text"]["text"]) <= 3000 for b in payload["blocks"] if b["type"] == "section")


def test_the_group_window_holds_a_route_until_its_oldest_alert_is_old_enough() -> None:
    now = datetime.now(UTC)
    young = Alert(**{**burst_alert(1, Severity.WARNING).__dict__, "created_at": now})
    critical = Alert(**{**burst_alert(2, Severity.CRITICAL).__dict__, "created_at": now})
    policy = GroupPolicy(window_seconds=60)
    assert plan_messages([young, critical], policy, now=now, flush=False) == [
        AlertGroup((critical,), 1)
    ]
    later = now + timedelta(seconds=61)
    assert len(plan_messages([young, critical], policy, now=later, flush=False)) == 2
    assert len(plan_messages([young, critical], policy, now=now, flush=True)) == 2

"""`mobwatch alerts test --channel …`: a real message through the real channel, reported
plainly, with exit 0 (delivered), 1 (failed) or 2 (not configured)."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest

from mobwatch.cli.main import main
from tests.alerts.receivers import SmtpServer, Webhook


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def test_console(tmp_path: Path) -> None:
    code, out = run("alerts", "test", "--channel", "console", "--home", str(tmp_path))
    assert code == 0
    assert "[INFO]" in out and "delivery_test" in out
    assert out.endswith("console: delivered\n")


def test_slack_delivered_then_failed(
    tmp_path: Path, webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOBWATCH_SLACK_WEBHOOK_URL", webhook.url)
    assert run("alerts", "--home", str(tmp_path), "test", "--channel", "slack") == (
        0,
        "slack: delivered\n",
    )
    [payload] = webhook.accepted
    assert "mobwatch test message: the slack channel works" in json.dumps(payload)
    webhook.failing = 503
    assert run("alerts", "test", "--channel", "slack", "--home", str(tmp_path)) == (
        1,
        "slack: FAILED: Slack webhook: HTTP 503\n",
    )


def test_email_delivered(
    tmp_path: Path, smtp: Callable[..., SmtpServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp(tls="starttls", user="mobwatch", password="secret")
    monkeypatch.setenv("MOBWATCH_SMTP_URL", server.url("mobwatch", "secret"))
    monkeypatch.setenv("MOBWATCH_SMTP_CA_FILE", str(server.ca_file))
    monkeypatch.setenv("MOBWATCH_EMAIL_FROM", "mobwatch@example.org")
    monkeypatch.setenv("MOBWATCH_EMAIL_TO", "analyst@example.org")
    assert run("alerts", "test", "--channel", "email", "--home", str(tmp_path)) == (
        0,
        "email: delivered\n",
    )
    [message] = server.mailbox.messages
    assert "mobwatch test message" in str(message["Subject"])


@pytest.mark.parametrize(
    ("channel", "variable"),
    [("slack", "MOBWATCH_SLACK_WEBHOOK_URL"), ("email", "MOBWATCH_SMTP_URL")],
)
def test_not_configured_says_which_variable(tmp_path: Path, channel: str, variable: str) -> None:
    code, out = run("alerts", "test", "--channel", channel, "--home", str(tmp_path))
    assert code == 2
    assert out.startswith(f"{channel}: not configured: set {variable}")


def test_the_alerts_listing_still_works(tmp_path: Path) -> None:
    assert run("alerts", "--home", str(tmp_path), "--format", "json") == (0, "[]\n")
    assert run("alerts", "--home", str(tmp_path)) == (0, "0 alerts\n")

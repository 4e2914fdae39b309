"""A planted Slack webhook token and SMTP password, a full monitoring pass whose deliveries
all fail, and then a search for them everywhere the program writes: no log record, no file
under home, no row of any table, no error message, no Prefect artifact."""

from __future__ import annotations

import base64
import logging
from io import StringIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from prefect.client.orchestration import get_client

from mobwatch.alerts.routing import DEFAULT_ALERTS_FILE
from mobwatch.cli.main import main
from mobwatch.demo.server import LoopbackServer
from mobwatch.flows.monitor import monitor
from mobwatch.store.store import Store
from mobwatch.store.tables import metadata
from tests.alerts.receivers import Webhook, smtp_server

pytestmark = pytest.mark.usefixtures("prefect_api")

TOKEN = "T0K3N-secret-8d41c7e2"
PASSWORD = "pw-Secret-3f9a61b0"


def quick_alerts_file(tmp_path: Path) -> Path:
    """The project's routing, with no real waiting and `channel_failing` at the first failure."""
    text = DEFAULT_ALERTS_FILE.read_text("utf-8")
    for old, new in [
        ("retry_delay_seconds = 1.0", "retry_delay_seconds = 0.01"),
        ("backoff_minutes = 5.0", "backoff_minutes = 0.0"),
        ("failed_runs = 3", "failed_runs = 1"),
    ]:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "alerts.toml"
    path.write_text(text, "utf-8")
    return path


def forms(secret: str) -> list[str]:
    """The secret as written, and the encodings a careless log might use."""
    return [secret, base64.b64encode(secret.encode()).decode(), secret.replace("-", "%2D")]


def test_planted_secrets_appear_nowhere_after_a_failing_pass(
    tmp_path: Path,
    sample_sources: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    home = tmp_path / "home"
    (tmp_path / "smtp").mkdir()
    with (
        LoopbackServer() as hooks,
        # The server knows another password: every login is refused.
        smtp_server(tmp_path / "smtp", tls="starttls", user="mobwatch", password="x") as mail,
    ):
        analysts = Webhook(hooks, f"/services/{TOKEN}/analysts", failing=500)
        operator = Webhook(hooks, f"/services/{TOKEN}/operator", failing=500)
        environ = {
            "MOBWATCH_SLACK_WEBHOOK_URL": analysts.url,
            "MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL": operator.url,
            "MOBWATCH_SMTP_URL": mail.url("mobwatch", PASSWORD),
            "MOBWATCH_SMTP_CA_FILE": str(mail.ca_file),
            "MOBWATCH_EMAIL_FROM": "mobwatch@example.org",
            "MOBWATCH_EMAIL_TO": "analyst@example.org",
            "MOBWATCH_OPERATOR_EMAIL_TO": "operator@example.org",
        }
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        summary = monitor(
            home=str(home),
            sources=str(sample_sources),
            since="2022-01-01",
            as_of="2025-12-01",
            window_days=2000,
            alerts_file=str(quick_alerts_file(tmp_path)),
        )
        outputs = []
        for channel in ("slack", "email"):
            out = StringIO()
            assert main(["alerts", "test", "--channel", channel, "--home", str(home)], out=out) == 1
            outputs.append(out.getvalue())
        out = StringIO()
        assert main(["alerts", "--home", str(home), "--format", "json"], out=out) == 0
        outputs.append(out.getvalue())

    # The pass did fail, everywhere, and said so.
    assert summary.delivery_errors == {
        "slack": "Slack webhook: HTTP 500",
        "email": f"SMTP 127.0.0.1:{mail.port}: login refused (535)",
        "slack-operator": "Slack webhook: HTTP 500",
        "email-operator": f"SMTP 127.0.0.1:{mail.port}: login refused (535)",
    }
    # channel_failing went to the operator's channels, which failed in turn.
    assert any(title.startswith("Delivery channel slack failing") for title in summary.new_alerts)
    assert analysts.posts and operator.posts and mail.mailbox.messages == []
    assert outputs[0] == "slack: FAILED: Slack webhook: HTTP 500\n"
    assert outputs[1] == f"email: FAILED: SMTP 127.0.0.1:{mail.port}: login refused (535)\n"

    places: dict[str, str] = {}
    for number, record in enumerate(caplog.records):
        formatted = logging.Formatter().format(record)  # message, args, traceback
        places[f"log {number} ({record.name})"] = f"{formatted} {record.args!r}"
    captured = capfd.readouterr()
    places["stdout"], places["stderr"] = captured.out, captured.err
    for number, output in enumerate(outputs):
        places[f"command output {number}"] = output
    for path in home.rglob("*"):
        if path.is_file():
            places[str(path)] = path.read_bytes().decode("utf-8", "replace")
    store = Store.open(f"sqlite:///{home / 'mobwatch.db'}")
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(sa.select(table)).all()
            places[f"table {table.name}"] = "\n".join(map(str, rows))
    store.close()
    places["pass summary"] = repr(summary)
    with get_client(sync_client=True) as client:
        for artifact in client.read_artifacts():
            places[f"artifact {artifact.key}"] = str(artifact.data)

    assert len(caplog.records) > 20
    # The failures were written down (without the secrets) where the search looks.
    assert "channel_failing" in places["table alerts"]
    for table in ("deliveries", "channel_health"):
        assert "HTTP 500" in places[f"table {table}"]
        assert "login refused" in places[f"table {table}"]
    leaks = [
        place
        for place, text in places.items()
        for secret in (*forms(TOKEN), *forms(PASSWORD))
        if secret in text
    ]
    assert leaks == []

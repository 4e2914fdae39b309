"""The daily digest flow with a real Prefect API, a real SMTP server and a real webhook
receiver on loopback; and the Prefect Secret blocks' absent path."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from mobwatch.alerts.channels import ChannelOff, ChannelSetup
from mobwatch.alerts.routing import DEFAULT_ALERTS_FILE
from mobwatch.alerts.secrets import read_secret
from mobwatch.alerts.slack import analysts
from mobwatch.cli.main import main
from mobwatch.demo.server import LoopbackServer
from mobwatch.flows.digest import daily_digest
from mobwatch.indicators.extract.acts import merge
from mobwatch.indicators.model import Alert, Evidence, Indicator, Observation, Severity
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store
from tests.alerts.receivers import SmtpServer, Webhook, smtp_server

pytestmark = pytest.mark.usefixtures("prefect_api")

AS_OF = "2025-12-01"
LAW = Observation(
    indicator=Indicator.SERVICE_LAW,
    event_date=date(2025, 11, 30),
    title="Федеральный закон от 30.11.2025 № 999-ФЗ <script>",
    url="http://publication.pravo.gov.ru/document/0001202511300001",
    source="pravo-president",
    evidence="внести изменения в Федеральный закон «О воинской обязанности»",
    document_number="999-ФЗ",
)
INFO = Alert(
    marker="regional_bonus_cut",
    severity=Severity.INFO,
    title="Region RU-XXX lowered its payment",
    fingerprint="e" * 64,
    fired_on=date(2025, 11, 29),
    evidence=(Evidence(url="http://example.org/cut", quote="снизить выплату"),),
)
CRITICAL = Alert(
    marker="martial_law",
    severity=Severity.CRITICAL,
    title="Martial law decree",
    fingerprint="f" * 64,
    fired_on=date(2025, 11, 29),
)


@dataclass
class Receivers:
    slack: Webhook
    mail: SmtpServer


@pytest.fixture
def receivers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Receivers]:
    (tmp_path / "smtp").mkdir()
    with LoopbackServer() as server, smtp_server(tmp_path / "smtp") as mail:
        slack = Webhook(server, "/services/T000/B000/digest")
        monkeypatch.setenv("MOBWATCH_SLACK_WEBHOOK_URL", slack.url)
        monkeypatch.setenv("MOBWATCH_SMTP_URL", mail.url())
        monkeypatch.setenv("MOBWATCH_EMAIL_FROM", "mobwatch@example.org")
        monkeypatch.setenv("MOBWATCH_EMAIL_TO", "analyst@example.org")
        yield Receivers(slack, mail)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    store = Store.open(f"sqlite:///{home / 'mobwatch.db'}")
    seed_store(store)
    store.save_observation(LAW, merge)
    store.record_alert(INFO)
    store.record_alert(CRITICAL)
    store.close()
    return home


def fast_alerts_file(tmp_path: Path) -> str:
    path = tmp_path / "alerts.toml"
    path.write_text(
        DEFAULT_ALERTS_FILE.read_text("utf-8").replace(
            "retry_delay_seconds = 1.0", "retry_delay_seconds = 0.01"
        ),
        "utf-8",
    )
    return str(path)


def test_the_digest_reaches_slack_email_and_the_console(
    home: Path, receivers: Receivers, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = daily_digest(home=str(home), as_of=AS_OF)
    assert summary.delivered == ["console", "slack", "email"]
    assert summary.failed == {} and summary.off == {}
    assert summary.new_observations == 1 and summary.alerts == 1
    assert summary.statuses["force_size_increase"] in ("seen", "escalating")
    assert summary.statuses["discharge_withheld"] == "not seen"
    assert summary.statuses["regional_bonus_cut"] == "escalating"  # the seeded cuts of 2025

    [message] = receivers.mail.mailbox.messages
    assert isinstance(message, EmailMessage)
    assert message["Subject"].strip() == (
        f"mobwatch daily digest, {AS_OF}: risk level {summary.risk_level}"
    )
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None and text is not None
    html_body, text_body = html.get_content(), text.get_content()
    assert "<th>marker</th><th>status</th><th>last evidence</th><th>date</th>" in html_body
    assert "<td>mobilisation_declared</td><td>seen</td>" in html_body
    assert "999-ФЗ &lt;script&gt;" in html_body and "<script>" not in html_body
    assert "Region RU-XXX lowered its payment" in html_body
    assert "Indicators and warnings" in text_body and "service_law" in text_body

    [payload] = receivers.slack.accepted
    blocks = payload["blocks"]
    assert blocks[0]["text"]["text"] == f"mobwatch daily digest · {AS_OF}"
    sections = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "*Federal decisions*" in sections and "*Recruitment money*" in sections
    assert "`mobilisation_declared` — seen — 2022-09-21: Mobilisation decree No. 647" in sections
    assert "*New observations (1)*" in sections and "&lt;script&gt;" in sections
    assert "*Alerts for the digest (1)*" in sections and "RU-XXX" in sections

    assert f"mobwatch daily digest, {AS_OF}" in capsys.readouterr().out
    with get_client(sync_client=True) as client:
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["mobwatch-digest"])),
            limit=1,
        )
    assert artifact.data and "| mobilisation_declared | seen |" in str(artifact.data)

    # The info alert was in a digest: the next one does not repeat it.
    assert daily_digest(home=str(home), as_of=AS_OF).alerts == 0


def test_a_failed_digest_keeps_its_alerts_for_the_next(
    home: Path, receivers: Receivers, tmp_path: Path
) -> None:
    receivers.slack.failing = 500
    alerts_file = fast_alerts_file(tmp_path)
    failed = daily_digest(home=str(home), as_of=AS_OF, alerts_file=alerts_file)
    assert failed.failed == {"slack": "Slack webhook: HTTP 500"}
    assert failed.delivered == ["console", "email"]
    assert len(receivers.slack.posts) == 3  # three tries
    receivers.slack.failing = None
    again = daily_digest(home=str(home), as_of=AS_OF, alerts_file=alerts_file)
    assert again.failed == {} and again.alerts == 1
    assert daily_digest(home=str(home), as_of=AS_OF, alerts_file=alerts_file).alerts == 0


def test_channels_not_configured_are_listed_off(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("MOBWATCH_SLACK_WEBHOOK_URL", "MOBWATCH_SMTP_URL"):
        monkeypatch.delenv(name, raising=False)
    summary = daily_digest(home=str(home), as_of=AS_OF)
    assert summary.delivered == ["console"]
    assert summary.off == {
        "slack": "set MOBWATCH_SLACK_WEBHOOK_URL or the Prefect Secret block "
        "mobwatch-slack-webhook-url",
        "email": "set MOBWATCH_SMTP_URL or the Prefect Secret block mobwatch-smtp-url",
    }


def test_the_digest_command(home: Path, receivers: Receivers) -> None:
    from io import StringIO

    out = StringIO()
    assert main(["digest", "--home", str(home), "--as-of", AS_OF], out=out) == 0
    lines = out.getvalue().splitlines()
    assert f"digest as of {AS_OF}: risk level" in out.getvalue()
    assert "  slack: delivered" in lines and "  email: delivered" in lines


def test_an_absent_prefect_secret_block_leaves_the_channel_off(tmp_path: Path) -> None:
    # A Prefect API is configured here, so the blocks are looked up, and found absent.
    assert read_secret({}, "MOBWATCH_SLACK_WEBHOOK_URL", "mobwatch-slack-webhook-url") is None
    with pytest.raises(ChannelOff, match="Prefect Secret block mobwatch-slack-webhook-url"):
        analysts(ChannelSetup(home=tmp_path, environ={}))

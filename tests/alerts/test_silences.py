"""Silences against real receivers: set from the command line before a pass, they keep a
marker out of every channel, show in `mobwatch alerts` and the digest, and end."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from mobwatch.alerts.holding import held_back
from mobwatch.cli.main import main
from mobwatch.indicators.model import Alert, Evidence, Indicator, Observation, Severity
from mobwatch.pipeline import stages
from mobwatch.pipeline.settings import Settings
from mobwatch.store.store import Store
from tests.alerts.receivers import SmtpServer, Webhook

AS_OF = date(2026, 11, 20)


def bonus(region: str) -> Observation:
    return Observation(
        indicator=Indicator.REGIONAL_BONUS,
        event_date=AS_OF,
        title=f"Payment raised in {region}",
        url=f"http://example.org/{region}",
        source="regional-news",
        evidence="quote",
        value=3_000_000,
        unit="RUB",
        region=region,
    )


def record_alert(n: int, marker: str, severity: Severity, key: str | None = None) -> Alert:
    return Alert(
        marker=marker,
        severity=severity,
        title=f"alert {n}: {marker}",
        fingerprint=f"{n:064x}",
        fired_on=AS_OF,
        evidence=(Evidence(url=f"http://example.org/{n}", quote="q", source="regional-news"),),
        observation_key=key,
    )


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


@pytest.fixture
def wired(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    db_url: str,
    webhook: Webhook,
    smtp: Callable[..., SmtpServer],
) -> tuple[Settings, SmtpServer]:
    mail = smtp()
    monkeypatch.setenv("MOBWATCH_SLACK_WEBHOOK_URL", webhook.url)
    monkeypatch.setenv("MOBWATCH_SMTP_URL", mail.url())
    monkeypatch.setenv("MOBWATCH_EMAIL_FROM", "mobwatch@example.org")
    monkeypatch.setenv("MOBWATCH_EMAIL_TO", "analyst@example.org")
    return Settings.resolve(home=tmp_path, db=db_url), mail


def test_a_silence_set_before_a_pass_keeps_its_marker_out_of_every_channel_until_it_ends(
    store: Store, wired: tuple[Settings, SmtpServer], db_url: str, webhook: Webhook
) -> None:
    settings, mail = wired
    home = str(settings.home)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    code, said = cli(
        "silence", "add", "--marker", "martial_law", "--until", tomorrow, "--by", "Anna",
        "--comment", "known exercise, no decree", "--home", home, "--db", db_url,
    )  # fmt: skip
    assert code == 0 and "silence 1: martial_law until" in said
    muted = record_alert(1, "martial_law", Severity.CRITICAL)
    other = record_alert(2, "force_size_increase", Severity.CRITICAL)
    store.record_alert(muted)
    store.record_alert(other)
    console = io.StringIO()
    now = datetime.now(UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", console)
        report = stages.deliver(store, settings, as_of=AS_OF, risk_level="", now=now)
    assert report.held == {"console": 1, "jsonl": 1, "slack": 1, "email": 1}
    assert webhook.fingerprints() == [other.fingerprint]
    assert [m["Message-ID"].split("@")[0] for m in mail.mailbox.messages] == [
        f"<alert.{other.fingerprint}"
    ]
    assert "alert 1" not in console.getvalue() and "alert 2" in console.getvalue()
    jsonl = (settings.home / "alerts.jsonl").read_text("utf-8")
    assert [json.loads(line)["fingerprint"] for line in jsonl.splitlines()] == [other.fingerprint]
    # Stored and shown as silenced; the digest says what was silenced and by whom.
    code, listing = cli("alerts", "--home", home, "--db", db_url)
    assert "silenced: silence 1: martial_law" in listing and "by Anna" in listing
    digest, _ = stages.daily_digest(store, settings, as_of=AS_OF, now=now + timedelta(minutes=1))
    assert [(a.fingerprint, "Anna" in why) for a, why in digest.silenced] == [
        (muted.fingerprint, True)
    ]
    assert "alert 1: martial_law" in webhook.accepted[-1]["blocks"][-1]["text"]["text"]
    # A rerun sends nothing; once --until has passed the silence no longer applies.
    again = stages.deliver(store, settings, as_of=AS_OF, risk_level="", now=now)
    assert sum(again.delivered.values()) == 0
    later = record_alert(3, "martial_law", Severity.CRITICAL)
    store.record_alert(later)
    after = store.silences()[0].until + timedelta(minutes=1)
    ended = stages.deliver(store, settings, as_of=AS_OF, risk_level="", now=after)
    assert ended.held == {} and webhook.fingerprints()[-1] == later.fingerprint
    assert muted.fingerprint not in webhook.fingerprints()  # what was silenced stays unsent


def test_a_silence_may_be_for_one_region_and_ends_when_expired(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    belgorod, kursk = bonus("RU-BEL"), bonus("RU-KRS")
    for observation in (belgorod, kursk):
        store.save_observation(observation, lambda old, new: new)
    until = datetime.now(UTC) + timedelta(days=2)
    silence = store.add_silence(
        marker="regional_bonus_record",
        region="RU-BEL",
        until=until,
        by="Ivan",
        comment="a local drive",
    )
    first = record_alert(1, "regional_bonus_record", Severity.WARNING, belgorod.key)
    second = record_alert(2, "regional_bonus_record", Severity.WARNING, kursk.key)
    for alert in (first, second):
        store.record_alert(alert)
    held = held_back(store, [first, second], (), now=datetime.now(UTC))
    assert list(held) == [first.fingerprint] and "RU-BEL" in held[first.fingerprint].reason
    code, said = cli("silence", "expire", str(silence.id), "--home", str(tmp_path), "--db", db_url)
    assert code == 0 and said.startswith("ended silence 1")
    code, listing = cli("silence", "list", "--home", str(tmp_path), "--db", db_url)
    assert listing.splitlines()[0].startswith("ended") and "1 silences" in listing
    third = record_alert(3, "regional_bonus_record", Severity.WARNING, belgorod.key)
    store.record_alert(third)
    assert held_back(store, [third], (), now=datetime.now(UTC)) == {}


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["--marker", "no_such_marker", "--until", "2099-01-01"], "no marker"),
        (["--marker", "martial_law", "--until", "2020-01-01"], "has passed"),
    ],
)
def test_a_silence_names_a_real_marker_and_ends_in_the_future(
    tmp_path: Path, db_url: str, argv: list[str], error: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = cli(
        "silence",
        "add",
        *argv,
        "--by",
        "x",
        "--comment",
        "y",
        "--home",
        str(tmp_path),
        "--db",
        db_url,
    )
    assert code == 2 and error in capsys.readouterr().err

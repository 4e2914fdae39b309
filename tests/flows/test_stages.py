"""The stages without Prefect: operator markers, the outbox, re-parsing the archive."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from mobwatch.alerts.channels import ConsoleChannel, DeliveryError, JsonlChannel
from mobwatch.alerts.outbox import deliver_pending
from mobwatch.demo.server import LoopbackServer
from mobwatch.fetching.client import HttpClient
from mobwatch.indicators.model import Alert
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.pipeline.settings import load_sources
from mobwatch.pipeline.stages import (
    marker_round,
    raise_alerts,
    read_source,
    reparse_source,
    risk_now,
)
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store

AS_OF = date(2025, 12, 1)
ATOM = "application/atom+xml; charset=utf-8"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    seed_store(opened)
    yield opened
    opened.close()


def operator(alerts: list[Alert]) -> list[Alert]:
    """The operator's alerts: the seeded laws of November 2025 fall within the window too."""
    return [alert for alert in alerts if alert.audience == "operator"]


def broken_source(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(f'[[sources]]\nname = "pravo-broken"\nparser = "pravo_api"\nurl = "{url}"\n')
    return path


def test_source_failing_fires_once_after_three_failed_runs(tmp_path: Path, store: Store) -> None:
    config = load_marker_config()
    with LoopbackServer() as server:
        server.add("/api/Documents", b"<html>maintenance</html>", status=503)
        [source] = load_sources(broken_source(tmp_path, f"{server.url}/api/Documents"))
        raised: list[list[Alert]] = []
        with HttpClient(retries=0, validators=store) as client:
            for _ in range(4):
                report = read_source(source, client=client, store=store)
                raised.append(
                    operator(
                        raise_alerts(store, config, as_of=AS_OF, window_days=30, reports=[report])
                    )
                )
    assert [len(batch) for batch in raised] == [0, 0, 1, 0]
    [alert] = raised[2]
    assert alert.marker == "source_failing" and alert.audience == "operator"
    assert "HTTP 503" in alert.evidence[0].quote
    [health] = store.source_health()
    assert health.consecutive_failures == 4 and health.last_success is None


def test_parser_drift_fires_when_a_productive_source_parses_to_nothing(
    tmp_path: Path, store: Store
) -> None:
    feed = Path(__file__).parents[1] / "fixtures" / "kremlin_feed" / "acts_feed.xml"
    empty_feed = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Kremlin</title></feed>'
    )
    config = load_marker_config()
    path = tmp_path / "kremlin.toml"
    with LoopbackServer() as server:
        path.write_text(
            f'[[sources]]\nname = "kremlin-acts"\nparser = "kremlin_feed"\n'
            f'url = "{server.url}/acts/news/feed"\n'
        )
        [source] = load_sources(path)
        server.add("/acts/news/feed", feed.read_bytes(), content_type=ATOM)
        with HttpClient(retries=0) as client:
            productive = read_source(source, client=client, store=store)
        server.add(
            "/acts/news/feed", empty_feed, content_type=ATOM
        )  # the feed still answers, with nothing
        with HttpClient(retries=0) as client:
            silent = read_source(source, client=client, store=store)
    assert productive.documents and not productive.error
    # The entry without text links to kremlin.ru: never followed from a loopback replay.
    assert productive.notes == ["not followed (another host): http://kremlin.ru/acts/news/75190"]
    assert silent.pages == 1 and silent.documents == 0 and not silent.error
    [alert] = operator(raise_alerts(store, config, as_of=AS_OF, window_days=30, reports=[silent]))
    assert (alert.marker, alert.audience) == ("parser_drift", "operator")
    # The same drift seen again the same day is the same alert.
    assert raise_alerts(store, config, as_of=AS_OF, window_days=30, reports=[silent]) == []


def test_a_parse_error_is_a_failure_not_drift(tmp_path: Path, store: Store) -> None:
    with LoopbackServer() as server:
        server.add(
            "/api/Documents",
            b'{"data": [], "total": 0}',  # the layout changed: no "items"
            content_type="application/json; charset=utf-8",
        )
        [source] = load_sources(broken_source(tmp_path, f"{server.url}/api/Documents"))
        with HttpClient(retries=0) as client:
            report = read_source(source, client=client, store=store)
    assert report.error and "items" in report.error
    alerts = raise_alerts(store, load_marker_config(), as_of=AS_OF, window_days=30)
    assert [a.marker for a in alerts if a.audience == "operator"] == []


class FlakyChannel:
    """Fails its first `failures` sends, like a webhook that is down for a while."""

    def __init__(self, failures: int) -> None:
        self.name = "flaky"
        self.failures = failures
        self.received: list[str] = []

    def send(self, alert: Alert) -> None:
        if self.failures:
            self.failures -= 1
            raise DeliveryError("HTTP 500 from receiver")
        self.received.append(alert.fingerprint)


def test_the_outbox_retries_a_failing_channel_and_delivers_each_alert_once(
    tmp_path: Path, store: Store
) -> None:
    config = load_marker_config()
    alerts = raise_alerts(store, config, as_of=date(2024, 9, 20), window_days=30)
    markers = [a.marker for a in alerts]
    # The seeded payments move the risk level too (a warning in July 2024 lapses in August).
    assert markers.count("force_size_increase") == 1
    assert set(markers) == {"force_size_increase", "risk_level_change"}
    flaky = FlakyChannel(failures=3)
    console = io.StringIO()
    channels = [ConsoleChannel(stream=console), JsonlChannel(tmp_path / "alerts.jsonl"), flaky]
    reports = [deliver_pending(store, channels) for _ in range(5)]
    assert reports[0].failed == {"flaky": "HTTP 500 from receiver"}
    assert sorted(flaky.received) == sorted(a.fingerprint for a in alerts)
    assert console.getvalue().count("[CRITICAL] 2024-09-16 force_size_increase") == 1
    lines = (tmp_path / "alerts.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == len(alerts)
    assert all(state for a in store.alerts() for state in a.delivered.values())


def test_console_lines_are_inert_whatever_the_scraped_title(store: Store) -> None:
    from mobwatch.indicators.model import Evidence, Severity

    hostile = Alert(
        marker="martial_law",
        severity=Severity.CRITICAL,
        title="Указ\x1b[2J\r\nFAKE: all clear",
        fingerprint="e" * 64,
        fired_on=AS_OF,
        evidence=(Evidence(url="http://k/1\n", quote="ввести\x07 военное положение"),),
    )
    out = io.StringIO()
    ConsoleChannel(stream=out).send(hostile)
    text = out.getvalue()
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert text.count("\n") == 2  # the headline and one evidence line, nothing injected


def test_reparse_rebuilds_the_observations_from_the_archive(tmp_path: Path) -> None:
    samples = Path(__file__).parents[2] / "demo" / "samples"
    from mobwatch.flows.demo import write_demo_sources

    first = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    with LoopbackServer.from_directory(samples) as server, HttpClient(validators=first) as client:
        for source in load_sources(write_demo_sources(server.url, tmp_path)):
            read_source(source, client=client, store=first, since=date(2022, 1, 1))
    fetched = {obs.key: obs for obs in first.observations()}
    rebuilt = Store.open(f"sqlite:///{tmp_path / 'b.db'}")
    for source in load_sources(tmp_path / "sources.toml"):
        for page in first.archived_pages(source.name):
            rebuilt.archive(source.name, page)
        reparse_source(source, store=rebuilt)
    assert {obs.key: obs for obs in rebuilt.observations()} == fetched


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(date(2022, 9, 25), "RED"), (date(2024, 9, 20), "RED"), (date(2025, 6, 1), "GREEN")],
)
def test_a_marker_round_reads_the_risk_level_a_replay_of_its_own_would(
    store: Store, as_of: date, expected: str
) -> None:
    # The flow delivers a round's alerts with the level that round read, not a second replay.
    config = load_marker_config()
    level = risk_now(store, config, as_of=as_of)
    assert level.startswith(f"{expected}: ")
    assert marker_round(store, config, as_of=as_of, window_days=30).risk_level == level

"""The demo's pages for laws, bills, reservists and statements, read on loopback by the real
sources: the backtest shows the three markers, and the report watches every marker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from mobwatch.demo.server import LoopbackServer
from mobwatch.fetching.client import HttpClient
from mobwatch.indicators.model import Indicator, Severity
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.pipeline.settings import load_sources
from mobwatch.pipeline.stages import backtest, read_source
from mobwatch.reports.build import build_report
from mobwatch.reports.html import render_page
from mobwatch.reports.summary import board_rows
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store

SOURCES = ("kremlin-acts", "duma-bills", "kremlin-transcripts", "tg-mod-russia", "interfax-news")
UNTIL = date(2026, 12, 1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    seed_store(opened)
    yield opened
    opened.close()


def test_the_demo_pages_fire_the_three_markers(
    store: Store, samples: LoopbackServer, sample_sources: Path
) -> None:
    sources = [s for s in load_sources(sample_sources) if s.name in SOURCES]
    with HttpClient(retries=0) as client:
        reports = [read_source(source, client=client, store=store) for source in sources]
    assert all(not report.errors for report in reports), [r.errors for r in reports]
    config = load_marker_config()
    alerts = backtest(store, config, since=date(2022, 1, 1), until=UNTIL)
    fired = {(a.marker, a.fired_on, a.severity) for a in alerts}
    # The year-round law, now with its text from the Kremlin: still a warning, no wider.
    assert ("service_term_change", date(2025, 11, 4), Severity.WARNING) in fired
    assert ("service_term_change", date(2023, 8, 4), Severity.CRITICAL) in fired  # ages
    assert ("reservist_callup", date(2025, 12, 30), Severity.WARNING) in fired
    # The 2023 transcript: the President on conscripts in the border regions (official).
    assert ("conscripts_in_combat", date(2023, 6, 13), Severity.WARNING) in fired
    # August 2024: the press first, then a ministry official, one episode; the denial silent.
    kursk = [a for a in alerts if a.marker == "conscripts_in_combat" and a.fired_on.year == 2024]
    assert [(a.fired_on, a.severity) for a in kursk] == [
        (date(2024, 8, 9), Severity.INFO),
        (date(2024, 8, 14), Severity.WARNING),
    ]
    denials = [
        obs
        for obs in store.observations(Indicator.CONSCRIPTS_IN_COMBAT)
        if obs.details["stance"] == "denies"
    ]
    assert {obs.event_date for obs in denials} >= {date(2024, 8, 28), date(2025, 9, 22)}
    bills = store.observations(Indicator.SERVICE_BILL)
    assert {obs.details["stage"] for obs in bills} == {"introduced", "third_reading", "signed"}

    report = build_report(store.observations(), config, as_of=UNTIL)
    assert all(row.watched for row in report.board.rows)
    assert {row["marker"] for row in board_rows(report)} >= {
        "service_term_change",
        "reservist_callup",
        "conscripts_in_combat",
    }
    assert "not watched yet" not in render_page(report, [])
    assert all(row["status"] != "not watched yet" for row in board_rows(report))


@pytest.mark.usefixtures("prefect_api")
def test_run_without_the_duma_key_says_what_to_set_and_does_not_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from io import StringIO

    from mobwatch.cli.main import main

    monkeypatch.delenv("MOBWATCH_DUMA_TOKEN", raising=False)
    monkeypatch.delenv("MOBWATCH_DUMA_APP_TOKEN", raising=False)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[sources]]\nname = "duma-bills"\nparser = "duma_api"\nurl = "http://127.0.0.1:9/api"\n'
    )
    out = StringIO()
    code = main(["run", "--home", str(tmp_path), "--sources", str(sources)], out=out)
    assert code == 0
    assert (
        "duma-bills" in out.getvalue()
        and "not configured: set MOBWATCH_DUMA_TOKEN and MOBWATCH_DUMA_APP_TOKEN" in out.getvalue()
    )
    assert "FAILED" not in out.getvalue()
    out = StringIO()
    assert main(["sources", "--home", str(tmp_path), "--sources", str(sources)], out=out) == 0
    assert "FAIL" not in out.getvalue().upper()

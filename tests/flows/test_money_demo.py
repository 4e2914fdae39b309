"""Recruitment money end to end: the demo's channels, feeds and regional site, read by a
real pass, exported, and replayed by the backtest."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path

import pytest

from mobwatch.cli.main import main
from mobwatch.demo.server import LoopbackServer
from mobwatch.fetching.client import HttpClient
from mobwatch.flows.demo import DEMO_SINCE, write_demo_sources
from mobwatch.flows.monitor import monitor
from mobwatch.indicators.model import Indicator
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.parsers.base import Source
from mobwatch.pipeline.settings import load_sources
from mobwatch.pipeline.stages import backtest, read_source
from mobwatch.store.store import Store

SINCE = "2022-01-01"
AS_OF = "2026-03-31"
MONEY = ("federal_bonus_change", "regional_bonus_escalation", "regional_bonus_record")
MONEY += ("regional_bonus_cut",)


def cli(*args: str) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def near_duplicates(records: list[dict]) -> list[tuple[str, str]]:
    """Pairs that look like one announcement stored twice: same subject, same amount,
    announced within a fortnight."""
    return [
        (a["key"], b["key"])
        for a, b in combinations(records, 2)
        if a["region"] == b["region"]
        and a["value"] == b["value"]
        and abs((date.fromisoformat(a["event_date"]) - date.fromisoformat(b["event_date"])).days)
        <= 14
    ]


@pytest.mark.usefixtures("prefect_api")
def test_the_demo_pass_exports_each_payment_once_and_the_backtest_fires_the_money_markers(
    tmp_path: Path, sample_sources: Path
) -> None:
    summary = monitor(home=str(tmp_path), sources=str(sample_sources), since=SINCE, as_of=AS_OF)
    assert all(row["error"] is None for row in summary.sources), summary.sources

    code, out = cli(
        "export", "--home", str(tmp_path), "--format", "json", "--indicator", "regional_bonus"
    )
    assert code == 0
    records = json.loads(out)
    assert records and {r["indicator"] for r in records} == {"regional_bonus"}
    assert all(r["region"].startswith("RU-") and r["unit"] == "RUB" for r in records)
    assert all(isinstance(r["value"], int) and r["value"] >= 10_000 for r in records)
    assert all(date.fromisoformat(r["event_date"]) for r in records)
    assert Counter(r["key"] for r in records).most_common(1)[0][1] == 1
    assert near_duplicates(records) == []
    by_key = {r["key"]: r for r in records}
    # Moscow's 1.9 million: the mayor's channel, TASS and Kommersant, one observation.
    moscow = by_key["regional_bonus:RU-MOW:1900000:2024-07"]
    sources = {link["source"] for link in moscow["links"]}
    assert {"tg-mos-sobyanin", "tass-full-text", "kommersant-news"} <= sources
    assert moscow["event_date"] == "2024-07-23" and moscow["confidence"] == "official"
    assert all(link["url"] for link in moscow["links"])
    # Bashkortostan's December cut: the head's channel (followed back a page) and RBC.
    cut = by_key["regional_bonus:RU-BA:500000:2025-12"]
    assert {"tg-radiyhabirov", "rbc-news"} <= {link["source"] for link in cut["links"]}
    assert (cut["period_start"], cut["period_end"]) == ("2025-12-01", "2025-12-25")
    # Yugra: the governor's channel, the government site (html_list) and TASS.
    yugra = by_key["regional_bonus:RU-KHM:3550000:2025-11"]
    assert {"admhmao-news", "tass-full-text"} <= {link["source"] for link in yugra["links"]}
    older = by_key["regional_bonus:RU-BA:100000:2023-11"]  # from the channel's older page
    assert "tg-radiyhabirov" in {link["source"] for link in older["links"]}

    code, out = cli(
        "backtest", "--home", str(tmp_path), "--since", SINCE, "--until", AS_OF, "--format", "json"
    )
    assert code == 0
    alerts = json.loads(out)
    fired = {(a["marker"], a["fired_on"]) for a in alerts}
    assert ("federal_bonus_change", "2024-07-31") in fired
    summer_2024 = [
        day
        for marker, day in fired
        if marker == "regional_bonus_escalation" and "2024-06-01" <= day <= "2024-08-31"
    ]
    assert summer_2024
    assert ("regional_bonus_record", "2024-07-23") in fired  # Moscow passes the record
    assert ("regional_bonus_cut", "2025-06-05") in fired
    assert all(a["severity"] != "critical" for a in alerts if a["marker"] in MONEY)
    federal = next(a for a in alerts if a["marker"] == "federal_bonus_change")
    assert any("/acts/news/" in evidence["url"] for evidence in federal["evidence"])


def test_the_pages_alone_reproduce_the_2024_escalation(tmp_path: Path) -> None:
    """Without the seeded record: what the demo's sources themselves say."""
    store = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    try:
        with (
            LoopbackServer.from_directory(Path(__file__).parents[2] / "demo" / "samples") as server,
            HttpClient(validators=store) as client,
        ):
            for source in load_sources(write_demo_sources(server.url, tmp_path)):
                report = read_source(source, client=client, store=store, since=DEMO_SINCE)
                assert report.error is None, (source.name, report.error)
        payments = store.observations(Indicator.REGIONAL_BONUS)
        alerts = backtest(store, load_marker_config(), since=DEMO_SINCE, until=date(2026, 3, 31))
    finally:
        store.close()
    assert len(payments) >= 25
    fired = [(a.marker, a.fired_on) for a in alerts if a.marker in MONEY]
    assert ("regional_bonus_escalation", date(2024, 8, 2)) in fired  # the fifth region
    assert ("regional_bonus_record", date(2024, 7, 23)) in fired
    assert ("regional_bonus_record", date(2024, 10, 7)) in fired  # Tyumen's 3 million
    assert ("regional_bonus_record", date(2025, 1, 15)) in fired  # Samara's 3.6 million
    cuts = {day for marker, day in fired if marker == "regional_bonus_cut"}
    assert {date(2025, 6, 5), date(2025, 10, 14), date(2025, 12, 5)} <= cuts


def test_a_channel_page_in_an_unknown_layout_fails_its_source_with_the_reason(
    tmp_path: Path,
) -> None:
    fixtures = Path(__file__).parents[1] / "fixtures" / "telegram"
    store = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    try:
        with LoopbackServer() as server, HttpClient(retries=0) as client:
            server.add(
                "/s/kurgan_demo_gov",
                (fixtures / "unknown-layout.html").read_bytes(),
                content_type="text/html; charset=utf-8",
            )
            source = Source("tg-redesigned", "telegram", f"{server.url}/s/kurgan_demo_gov")
            report = read_source(source, client=client, store=store)
        assert report.error is not None and report.error.startswith("layout not recognised")
        [health] = [h for h in store.source_health() if h.name == "tg-redesigned"]
        assert health.last_error == report.error and health.consecutive_failures == 1
    finally:
        store.close()

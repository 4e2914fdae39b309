"""The monitoring pass end to end: loopback sources, a real Prefect API, a real database."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from mobwatch.cli.main import main
from mobwatch.demo.server import LoopbackServer, Reply, Request
from mobwatch.flows.monitor import monitor
from mobwatch.indicators.model import Indicator
from mobwatch.indicators.provenance import provenance
from mobwatch.store.store import Store

pytestmark = pytest.mark.usefixtures("prefect_api")

SINCE = "2022-01-01"
AS_OF = "2025-12-01"


def run_pass(home: Path, sources: Path, db: str | None = None, **kw: object):
    return monitor(home=str(home), sources=str(sources), db=db, since=SINCE, as_of=AS_OF, **kw)


def cli(*args: str) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def test_a_pass_stores_one_observation_per_act_and_a_second_pass_adds_nothing(
    tmp_path: Path, sample_sources: Path, samples: LoopbackServer
) -> None:
    first = run_pass(tmp_path, sample_sources, window_days=2000)
    assert all(row["error"] is None for row in first.sources), first.sources
    assert first.new_alerts, "the sample history holds acts that fire markers"
    store = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    before = store.counts()
    requests_before = len(samples.requests)

    second = run_pass(tmp_path, sample_sources, window_days=2000)

    assert second.new_alerts == []
    assert second.new_observations == 0
    assert store.counts()["observations"] == before["observations"]
    assert store.counts()["alerts"] == before["alerts"]
    # Unchanged pages cost one conditional request each and no parsing.
    assert all(row["pages"] == 0 for row in second.sources), second.sources
    warm = samples.requests[requests_before:]
    assert warm and all("if-none-match" in {k.lower() for k in request.headers} for request in warm)
    jsonl = (tmp_path / "alerts.jsonl").read_text("utf-8").splitlines()
    assert len(jsonl) == len({json.loads(line)["fingerprint"] for line in jsonl})


def test_export_lists_every_campaign_and_force_size_decree_once(
    tmp_path: Path, sample_sources: Path
) -> None:
    run_pass(tmp_path, sample_sources)
    code, out = cli("export", "--home", str(tmp_path), "--format", "json")
    assert code == 0
    records = json.loads(out)
    callups = {
        r["period_start"][:4] + ("-spring" if r["period_start"][5:7] <= "07" else "-autumn"): r
        for r in records
        if r["indicator"] == Indicator.CALLUP_DECREE and r["event_date"] >= SINCE
    }
    assert Counter(r["key"] for r in records).most_common(1)[0][1] == 1
    expected = {
        "2022-spring": (134_500, "2022-04-01", "2022-07-15"),
        "2022-autumn": (120_000, "2022-11-01", "2022-12-31"),
        "2023-spring": (147_000, "2023-04-01", "2023-07-15"),
        "2023-autumn": (130_000, "2023-10-01", "2023-12-31"),
        "2024-spring": (150_000, "2024-04-01", "2024-07-15"),
        "2024-autumn": (133_000, "2024-10-01", "2024-12-31"),
        "2025-spring": (160_000, "2025-04-01", "2025-07-15"),
        "2025-autumn": (135_000, "2025-10-01", "2025-12-31"),
    }
    got = {
        season: (r["value"], r["period_start"], r["period_end"])
        for season, r in callups.items()
        if season in expected
    }
    assert got == expected
    # The fetched official acts enriched the seeded rows rather than adding new ones.
    assert callups["2024-autumn"]["confidence"] == "official"
    assert callups["2024-autumn"]["document_number"] == "822"
    assert len(callups["2024-autumn"]["links"]) >= 2
    force = {
        r["event_date"]: r["value"]
        for r in records
        if r["indicator"] == Indicator.FORCE_SIZE_DECREE and r["event_date"] >= SINCE
    }
    assert force["2022-08-25"] == 1_150_628
    assert force["2023-12-01"] == 1_320_000
    assert force["2024-09-16"] == 1_500_000


def test_backtest_fires_the_expected_critical_markers_and_no_other(
    tmp_path: Path, sample_sources: Path
) -> None:
    run_pass(tmp_path, sample_sources)
    code, out = cli(
        "backtest", "--home", str(tmp_path), "--since", SINCE, "--until", AS_OF, "--format", "json"
    )
    assert code == 0
    alerts = json.loads(out)
    critical = sorted((a["marker"], a["fired_on"]) for a in alerts if a["severity"] == "critical")
    assert critical == [
        ("force_size_increase", "2022-08-25"),
        ("force_size_increase", "2023-12-01"),
        ("force_size_increase", "2024-09-16"),
        ("martial_law", "2022-10-19"),
        ("martial_law", "2022-10-19"),
        ("mobilisation_declared", "2022-09-21"),
        ("service_term_change", "2023-08-04"),  # conscription ages 18–27 → 18–30
    ]
    fired = {(a["marker"], a["fired_on"][:7]) for a in alerts}
    assert ("callup_timing_anomaly", "2022-09") in fired
    assert ("callup_size_anomaly", "2025-03") in fired
    assert all("delivered" not in a for a in alerts)


def _hang(seconds: float):
    def handler(request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        time.sleep(seconds)
        return Reply(status=200, body=b"{}", content_type="application/json")

    return handler


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("timeout", "timed out"),
        ("http500", "HTTP 500"),
        ("broken_json", "JSON"),
    ],
)
def test_a_failing_source_leaves_the_others_intact_and_shows_in_sources(
    tmp_path: Path, sample_sources: Path, fault: str, reason: str
) -> None:
    with LoopbackServer() as broken:
        if fault == "timeout":
            broken.add_handler("/api/Documents", _hang(2.0))
        elif fault == "http500":
            broken.add(
                "/api/Documents",
                '{"message":"Внутренняя ошибка сервера"}'.encode(),
                status=500,
                content_type="application/json; charset=utf-8",
            )
        else:
            broken.add(
                "/api/Documents",
                b'{"items": [{"eoNumber": "0001',
                content_type="application/json; charset=utf-8",
            )
        sources = sample_sources.read_text("utf-8") + (
            "\n[http]\nread_timeout = 0.5\nretries = 1\nbackoff_base = 0.01\n"
            f'\n[[sources]]\nname = "pravo-broken"\nparser = "pravo_api"\n'
            f'url = "{broken.url}/api/Documents"\n'
        )
        sample_sources.write_text(sources, "utf-8")
        summary = run_pass(tmp_path, sample_sources)

    by_name = {row["source"]: row for row in summary.sources}
    assert reason in by_name["pravo-broken"]["error"]
    assert all(row["error"] is None for name, row in by_name.items() if name != "pravo-broken")
    store = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    official = [o for o in store.observations() if o.confidence == "official"]
    assert len(official) >= 10  # the healthy sources' acts all landed
    code, out = cli("sources", "--home", str(tmp_path), "--sources", str(sample_sources))
    assert code == 0
    assert "pravo-broken: FAILING" in out and reason in out
    assert "kremlin-acts: ok" in out


def test_run_command_exits_zero_and_prints_a_summary(tmp_path: Path, sample_sources: Path) -> None:
    code, out = cli(
        "run", "--home", str(tmp_path), "--sources", str(sample_sources), "--since", SINCE
    )
    assert code == 0
    assert "pravo-president" in out and "kremlin-acts" in out


def test_a_bad_sources_file_is_a_configuration_error(tmp_path: Path) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text('[[sources]]\nname = "x"\nparser = "nope"\nurl = "http://127.0.0.1/"\n')
    code, _ = cli("run", "--home", str(tmp_path), "--sources", str(bad))
    assert code == 2


def test_today_default_is_the_moscow_calendar() -> None:
    from datetime import UTC, datetime

    from mobwatch.indicators.calendar import today_in_moscow

    assert today_in_moscow(datetime(2024, 9, 30, 22, 30, tzinfo=UTC)) == date(2024, 10, 1)


def test_the_demo_command_shows_alerts_and_the_backtest(tmp_path: Path) -> None:
    code, out = cli("demo", "--home", str(tmp_path))
    assert code == 0
    assert "pravo-president" in out and "error: none" in out
    assert "mobilisation_declared" in out and "Backtest since 2022-01-01" in out
    assert "The history report:" in out
    demo = tmp_path / "demo"  # the demo's own home
    assert f"The demo's data is in its own home, {demo}" in out
    page = demo / "reports" / "mobwatch-report.html"
    assert page.is_file() and "<svg" in page.read_text("utf-8")
    delivered = (demo / "alerts.jsonl").read_text("utf-8").splitlines()
    markers = {json.loads(line)["marker"] for line in delivered}
    assert {"mobilisation_declared", "martial_law", "force_size_increase"} <= markers
    code, out = cli("alerts", "--home", str(demo), "--format", "json")
    listed = json.loads(out)
    assert len(listed) == len(delivered)
    assert all(set(a["delivered"]) == {"console", "jsonl"} for a in listed)


def test_the_demo_never_touches_the_store_run_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOBWATCH_HOME", str(tmp_path))
    code, out = cli("demo")
    assert code == 0
    # What the sample pages produced is told apart from the seeded history.
    read = re.search(r"observations read from the pages: (\d+) \((\d+) not in the seed", out)
    assert read and int(read[1]) > 40 and int(read[2]) > 0
    alerts = re.search(r"backtest alerts: (\d+) from the pages alone, (\d+) with the seed", out)
    assert alerts and 0 < int(alerts[1]) <= int(alerts[2])
    code, out = cli("export", "--format", "json")  # the user's own store, as `run` opens it
    assert code == 0
    exported = json.loads(out)
    assert exported and {row["provenance"] for row in exported} == {"seed"}
    assert not [row for row in exported if "127.0.0.1" in (row["url"] or "")]
    assert not (tmp_path / "alerts.jsonl").exists()
    # The demo's store holds the pages, and each row says where it comes from.
    code, out = cli("export", "--home", str(tmp_path / "demo"), "--format", "json")
    rows = json.loads(out)
    assert {"seed", "document", "seed+document"} <= {row["provenance"] for row in rows}
    # The demo's decree numbers are the real ones where the facts file has them.
    numbers = {row["document_number"] for row in rows if row["indicator"] == "callup_decree"}
    assert {"691", "822", "690"} <= numbers


def test_the_demo_without_the_seed_shows_what_the_pages_alone_yield(tmp_path: Path) -> None:
    code, out = cli("demo", "--home", str(tmp_path), "--no-seed")
    assert code == 0
    assert "observations from the seeded history alone: 0" in out
    store = Store.open(f"sqlite:///{tmp_path / 'demo' / 'mobwatch.db'}")
    try:
        kept = {provenance(obs) for obs in store.observations()}
    finally:
        store.close()
    assert kept == {"document"}

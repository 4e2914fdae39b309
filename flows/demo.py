"""The offline demo: the bundled sample sources replayed on loopback, through a real pass.

The samples (`demo/samples/`) are pages in the real formats of the legal portal's API and
the Kremlin's Atom feeds, covering the federal acts of 2022–2025. The demo serves them on
127.0.0.1, writes a sources file pointing there, runs the monitoring flow with the alert
window opened back to 2022 (so the old acts alert as if new), then prints the backtest
and writes the history report.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import TextIO

from mobwatch.demo.server import LoopbackServer
from mobwatch.flows.monitor import monitor
from mobwatch.flows.report import report
from mobwatch.flows.settings import Settings, load_sources
from mobwatch.flows.stages import backtest
from mobwatch.indicators.calendar import today_in_moscow
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.store.store import Store

DEMO_ROOT = Path(__file__).resolve().parents[1] / "demo"
SAMPLES = DEMO_ROOT / "samples"
DEMO_SOURCES = DEMO_ROOT / "sources.toml"
DEMO_ALERTS = DEMO_ROOT / "alerts.toml"  # console and alerts.jsonl only: the demo stays offline
DEMO_SINCE = date(2022, 1, 1)


def write_demo_sources(base_url: str, directory: Path) -> Path:
    """The demo's sources file with `{base}` replaced by the loopback server's address."""
    path = directory / "sources.toml"
    path.write_text(DEMO_SOURCES.read_text("utf-8").replace("{base}", base_url), "utf-8")
    load_sources(path)  # fail here, clearly, if the bundled file is broken
    return path


def run_demo(home: str | None, db: str | None, out: TextIO) -> int:
    settings = Settings.resolve(home=home, db=db)
    today = today_in_moscow()
    with (
        LoopbackServer.from_directory(SAMPLES) as server,
        tempfile.TemporaryDirectory(prefix="mobwatch-demo-") as scratch,
    ):
        sources = write_demo_sources(server.url, Path(scratch))
        print(f"Serving the bundled sample sources on {server.url}", file=out)
        summary = monitor(
            home=str(settings.home),
            db=settings.db_url,
            sources=str(sources),
            since=DEMO_SINCE.isoformat(),
            window_days=(today - DEMO_SINCE).days,
            alerts_file=str(DEMO_ALERTS),
        )
        requests = len(server.requests)
    print(f"\n{requests} requests served on loopback", file=out)
    for row in summary.sources:
        print(
            f"  {row['source']:<18} pages {row['pages']}, documents {row['documents']}, "
            f"new observations {row['changes'].get('new', 0)}, error: {row['error'] or 'none'}",
            file=out,
        )
    print(f"  alerts delivered: {summary.delivered}", file=out)
    store = Store.open(settings.db_url)
    try:
        replay = backtest(
            store, load_marker_config(settings.markers_file), since=DEMO_SINCE, until=today
        )
    finally:
        store.close()
    print(f"\nBacktest since {DEMO_SINCE} (what would have fired, and when):", file=out)
    for alert in replay:
        print(f"  {alert.fired_on}  {alert.severity:<8} {alert.marker:<24} {alert.title}", file=out)
    written = report(home=str(settings.home), db=settings.db_url)
    print(f"\nThe history report: {written.html}", file=out)
    print(
        f"\nData in {settings.home}. Next: `mobwatch export --format json`, "
        "`mobwatch alerts`, `mobwatch sources`.",
        file=out,
    )
    return 0

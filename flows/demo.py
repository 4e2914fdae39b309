"""The offline demo: the bundled sample sources replayed on loopback, through a real pass.

The samples (`demo/samples/`) are pages in the real formats of the legal portal's API and
the Kremlin's Atom feeds, covering the federal acts of 2022–2025. The demo serves them on
127.0.0.1, writes a sources file pointing there, runs the monitoring flow with the alert
window opened back to 2022 (so the old acts alert as if new), then prints what the pages
produced beside the seeded history, the backtest, and writes the history report. It keeps
to its own home (`demo/` under mobwatch's home), never the store `mobwatch run` uses.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TextIO

from mobwatch.demo.server import LoopbackServer
from mobwatch.flows.monitor import monitor
from mobwatch.flows.report import report
from mobwatch.indicators.calendar import today_in_moscow
from mobwatch.indicators.provenance import BOTH, DOCUMENT, SEED, provenance
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.pipeline.settings import ConfigurationError, Settings, load_sources
from mobwatch.pipeline.stages import backtest
from mobwatch.reports.replay_output import replayed_line
from mobwatch.store.store import Store

DEMO_ROOT = Path(__file__).resolve().parents[1] / "demo"
SAMPLES = DEMO_ROOT / "samples"
DEMO_SOURCES = DEMO_ROOT / "sources.toml"
DEMO_ALERTS = DEMO_ROOT / "alerts.toml"  # console and alerts.jsonl only: the demo stays offline
DEMO_SINCE = date(2022, 1, 1)
DEMO_HOME = "demo"  # under mobwatch's home: the demo's own store, alerts and report


def write_demo_sources(base_url: str, directory: Path) -> Path:
    """The demo's sources file with `{base}` replaced by the loopback server's address."""
    path = directory / "sources.toml"
    path.write_text(DEMO_SOURCES.read_text("utf-8").replace("{base}", base_url), "utf-8")
    load_sources(path)  # fail here, clearly, if the bundled file is broken
    return path


def demo_settings(home: str | None, db: str | None) -> Settings:
    """The demo's own home, `demo/` under mobwatch's home: the store `run` uses is never
    touched (an explicit `--db` naming that store is refused)."""
    main = Settings.resolve(home=home)
    if db is not None and db == main.db_url:
        raise ConfigurationError(
            f"the demo never writes to the store `mobwatch run` uses ({main.db_url}): "
            "leave --db out, or name another database"
        )
    return Settings.resolve(home=main.home / DEMO_HOME, db=db)


def run_demo(home: str | None, db: str | None, out: TextIO, *, seed: bool = True) -> int:
    settings = demo_settings(home, db)
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
            seed=seed,
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
        config = load_marker_config(settings.markers_file)
        replay = backtest(store, config, since=DEMO_SINCE, until=today)
        pages_only = backtest(store, config, since=DEMO_SINCE, until=today, seed=False)
        counts = Counter(provenance(obs) for obs in store.observations())
    finally:
        store.close()
    print("\nWhat the sample pages produced, beside the seeded history:", file=out)
    read = counts[DOCUMENT] + counts[BOTH]
    print(
        f"  observations read from the pages: {read} ({counts[DOCUMENT]} not in the seed, "
        f"{counts[BOTH]} seeded facts confirmed or completed by a page)",
        file=out,
    )
    print(f"  observations from the seeded history alone: {counts[SEED]}", file=out)
    print(
        f"  backtest alerts: {len(pages_only)} from the pages alone, {len(replay)} with the "
        "seeded history",
        file=out,
    )
    print(f"\nBacktest since {DEMO_SINCE} (what would have fired, and when):", file=out)
    for item in replay:
        print(f"  {replayed_line(item)}", file=out)
    written = report(home=str(settings.home), db=settings.db_url, seed=seed)
    print(f"\nThe history report: {written.html}", file=out)
    print(
        f"\nThe demo's data is in its own home, {settings.home}; the store `mobwatch run` uses "
        f"is untouched. Next: `mobwatch export --home {settings.home} --format json`, "
        f"`mobwatch alerts --home {settings.home}`.",
        file=out,
    )
    return 0

"""The history report as a Prefect flow: build it from the store, write it, publish a summary.

The flow only composes `reports/`: the page and the CSV files go to `out` (default
`<home>/reports/`), and each run leaves the same summary as Prefect artifacts, a markdown
one and a table of the indicators-and-warnings board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from mobwatch.indicators.calendar import today_in_moscow
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.pipeline.settings import Settings
from mobwatch.reports.build import Report, build_report
from mobwatch.reports.files import ReportFiles, write_report
from mobwatch.reports.summary import board_rows, figure_lines, summary_markdown
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store


@dataclass
class ReportSummary:
    as_of: str
    html: str
    csv: list[str]
    parquet: list[str]
    risk_level: str
    figures: list[str]


@task(name="build-report", cache_policy=NO_CACHE)
def build_report_task(settings: Settings, as_of: date, seed: bool = True) -> Report:
    store = Store.open(settings.db_url)
    try:
        if seed:
            seed_store(store)
        history = store.observations()
    finally:
        store.close()
    return build_report(history, load_marker_config(settings.markers_file), as_of=as_of)


@task(name="write-report", cache_policy=NO_CACHE)
def write_report_task(report: Report, out: Path) -> ReportFiles:
    return write_report(report, out)


@flow(name="mobwatch-report")
def report(
    home: str | None = None,
    db: str | None = None,
    out: str | None = None,
    as_of: str | None = None,
    seed: bool = True,
) -> ReportSummary:
    """The indicator history report: one HTML page with charts, a CSV of every series;
    `seed=False` leaves the seeded history out of a store that lacks it."""
    settings = Settings.resolve(home=home, db=db)
    day = date.fromisoformat(as_of) if as_of else today_in_moscow()
    target = Path(out).expanduser() if out else settings.home / "reports"
    built = build_report_task(settings, day, seed)
    files = write_report_task(built, target)
    get_run_logger().info("report written to %s", files.html)
    create_markdown_artifact(
        key="mobwatch-report",
        markdown=summary_markdown(built, files),
        description="Indicator history report",
    )
    create_table_artifact(
        key="mobwatch-board",
        table=board_rows(built),
        description="Indicators-and-warnings board",
    )
    return ReportSummary(
        as_of=day.isoformat(),
        html=str(files.html),
        csv=[str(path) for path in files.csv],
        parquet=[str(path) for path in files.parquet],
        risk_level=str(built.board.risk.level),
        figures=figure_lines(built),
    )

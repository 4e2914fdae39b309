"""Backfill as a Prefect flow: one task per source, each reading its archive back to a date.

The flow only composes `pipeline/backfill_stages.py`. Sources run side by side (they are on
different hosts); the client's pacer keeps every host's requests `min_interval` seconds
apart, retries and redirects included, booked in the store like the monitoring passes', so
a backfill and the hourly passes share one budget per host. With `show_progress`, a
progress bar per source goes to standard error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass
from datetime import date

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mobwatch.fetching.client import HttpClient
from mobwatch.fetching.shared_pacing import SharedPacer
from mobwatch.indicators.calendar import today_in_moscow
from mobwatch.parsers.base import Source
from mobwatch.pipeline.backfill_stages import BackfillReport, ProgressHook, Segment, backfill_source
from mobwatch.pipeline.settings import (
    ConfigurationError,
    Settings,
    load_http_settings,
    load_sources,
)
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store


@dataclass
class BackfillSummary:
    since: str
    until: str
    sources: list[dict[str, object]]

    @property
    def complete(self) -> bool:
        return all(row["complete"] for row in self.sources)


@task(name="backfill-source", task_run_name="backfill {source.name}", cache_policy=NO_CACHE)
def backfill_source_task(
    source: Source,
    client: HttpClient,
    store: Store,
    since: date,
    until: date,
    on_progress: ProgressHook | None,
) -> BackfillReport:
    report = backfill_source(
        source,
        client=client,
        store=store,
        since=since,
        until=until,
        on_progress=on_progress,
    )
    logger = get_run_logger()
    logger.info(
        "%s: %d/%d segments done (%d skipped), %d requests, %d pages, %d resumed, %s",
        source.name,
        report.finished + report.skipped,
        report.segments,
        report.skipped,
        report.requests,
        report.pages,
        report.resumed,
        report.changes,
    )
    for error in report.errors:
        logger.warning("%s: %s", source.name, error)
    return report


@contextmanager
def _progress_bar(sources: list[Source]) -> Iterator[ProgressHook]:
    """A rich progress bar per source on standard error: segments done, pages read."""
    bar = Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[pages]} pages"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )
    tasks = {source.name: bar.add_task(source.name, total=None, pages=0) for source in sources}

    def update(report: BackfillReport, segment: Segment) -> None:
        bar.update(
            tasks[report.source],
            total=report.segments,
            completed=report.finished + report.skipped,
            pages=report.pages + report.resumed,
        )

    with bar:
        yield update


def _summary_markdown(summary: BackfillSummary) -> str:
    lines = [
        f"# mobwatch backfill, {summary.since} to {summary.until}",
        "",
        "| source | segments done | skipped | requests | pages | resumed | new | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in summary.sources:
        done = f"{row['finished']}/{row['segments']}"
        lines.append(
            f"| {row['source']} | {done} | {row['skipped']} | {row['requests']} | "
            f"{row['pages']} | {row['resumed']} | {row['changes'].get('new', 0)} | "  # type: ignore[union-attr]
            f"{len(row['errors'])} |"  # type: ignore[arg-type]
        )
    return "\n".join(lines)


@flow(name="mobwatch-backfill", task_runner=ThreadPoolTaskRunner(max_workers=4))
def backfill(
    since: str,
    until: str | None = None,
    source: str | None = None,
    home: str | None = None,
    sources: str | None = None,
    db: str | None = None,
    min_interval: float = 1.0,
    show_progress: bool = False,
) -> BackfillSummary:
    """Read the sources' archives from `since` (YYYY-MM-DD) to `until` (default: today)."""
    settings = Settings.resolve(home=home, db=db, sources=sources)
    watched = [s for s in load_sources(settings.sources_file) if source in (None, s.name)]
    if not watched:
        raise ConfigurationError(f"no source named {source!r} in {settings.sources_file}")
    start = date.fromisoformat(since)
    end = date.fromisoformat(until) if until else today_in_moscow()
    if start > end:
        raise ConfigurationError(f"since {start} is after until {end}")
    store = Store.open(settings.db_url)
    try:
        seed_store(store)
        bar = _progress_bar(watched) if show_progress else nullcontext(None)
        with (
            HttpClient(
                validators=store,
                pacer=SharedPacer(store, min_interval),
                **load_http_settings(settings.sources_file),
            ) as client,
            bar as on_progress,
        ):
            futures = [
                backfill_source_task.submit(item, client, store, start, end, on_progress)
                for item in watched
            ]
            reports = [future.result() for future in futures]
    finally:
        store.close()
    summary = BackfillSummary(
        since=start.isoformat(),
        until=end.isoformat(),
        sources=[
            {**asdict(report), "complete": report.complete, "source": report.source}
            for report in reports
        ],
    )
    create_markdown_artifact(
        key="mobwatch-backfill", markdown=_summary_markdown(summary), description="Backfill"
    )
    return summary

"""The monitoring pass as a Prefect flow: one task per source, then markers, then delivery.

The flow only composes the stages in `pipeline/stages.py`; all logic lives there and below.
"""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner

from mobwatch.alerts.escape import markdown_text
from mobwatch.alerts.outbox import DeliveryReport
from mobwatch.fetching.client import HttpClient
from mobwatch.indicators.model import Alert
from mobwatch.parsers.base import Source
from mobwatch.pipeline import stages
from mobwatch.pipeline.monitor_pass import (
    PassSummary,
    alerts_round,
    monitoring_pass,
    operator_round,
)
from mobwatch.pipeline.parse_pool import PoolWork
from mobwatch.pipeline.settings import Settings
from mobwatch.store.store import Store


@task(
    name="read-source",
    task_run_name="read {source.name}",
    cache_policy=NO_CACHE,
    retries=1,
    retry_delay_seconds=2,
)
def read_source_task(
    source: Source, client: HttpClient, store: Store, since: date | None, work: PoolWork
) -> stages.SourceReport:
    report = stages.read_source(source, client=client, store=store, since=since, work=work)
    logger = get_run_logger()
    if report.error:
        logger.warning("%s failed: %s", source.name, report.error)
    else:
        logger.info(
            "%s: %d pages, %d unchanged, %d documents, %s",
            source.name,
            report.pages,
            report.not_modified,
            report.documents,
            report.changes,
        )
    return report


@task(name="raise-alerts", cache_policy=NO_CACHE)
def raise_alerts_task(
    store: Store, settings: Settings, as_of: date, window_days: int | None
) -> stages.MarkerRound:
    return alerts_round(store, settings, as_of, window_days)


@task(name="raise-operator-alerts", cache_policy=NO_CACHE)
def raise_operator_alerts_task(
    store: Store, settings: Settings, as_of: date, reports: list[stages.SourceReport]
) -> list[Alert]:
    return operator_round(store, settings, as_of, reports)


@task(name="deliver-alerts", cache_policy=NO_CACHE)
def deliver_task(
    store: Store, settings: Settings, as_of: date, risk_level: str, flush: bool = True
) -> DeliveryReport:
    report = stages.deliver(store, settings, as_of=as_of, risk_level=risk_level, flush=flush)
    logger = get_run_logger()
    # Channel errors are written secret-free by the channels themselves.
    for channel, error in report.failed.items():
        logger.warning("delivery to %s failed: %s", channel, error)
    if report.off:
        logger.info("channels off: %s", ", ".join(sorted(report.off)))
    for alert in report.raised:
        logger.warning("%s", alert.title)
    return report


def _summary_markdown(summary: PassSummary) -> str:
    lines = [
        f"# mobwatch pass, as of {summary.as_of}",
        "",
        "| source | pages | unchanged (304) | documents | new | error |",
        "|---|---|---|---|---|---|",
    ]
    for row in summary.sources:
        lines.append(
            f"| {row['source']} | {row['pages']} | {row['not_modified']} | {row['documents']} "
            f"| {row['changes'].get('new', 0)} | {row['error'] or ''} |"  # type: ignore[union-attr]
        )
    lines += ["", f"New alerts: {len(summary.new_alerts)}"]
    lines += [f"- {markdown_text(title)}" for title in summary.new_alerts]
    lines += ["", "| channel | delivered | state |", "|---|---|---|"]
    for channel, count in summary.delivered.items():
        error = summary.delivery_errors.get(channel)
        state = f"FAILED: {markdown_text(error)}" if error else "ok"
        lines.append(f"| {channel} | {count} | {state} |")
    for channel, reason in summary.channels_off.items():
        lines.append(f"| {channel} | – | off: {markdown_text(reason)} |")
    return "\n".join(lines)


class TaskSteps:
    """The pass's steps as Prefect tasks: each source a task run, on the flow's threads;
    pages parsed on a pool of processes once there are many (`pipeline/parse_pool.py`)."""

    def __init__(self, work: PoolWork) -> None:
        self._work = work

    def read(
        self, source: Source, client: HttpClient, store: Store, since: date
    ) -> PrefectFuture[stages.SourceReport]:
        return read_source_task.submit(source, client, store, since, self._work)

    def outcome(
        self, landing: PrefectFuture[stages.SourceReport]
    ) -> stages.SourceReport | BaseException:
        return landing.result(raise_on_failure=False)

    alerts = staticmethod(raise_alerts_task)
    operator_alerts = staticmethod(raise_operator_alerts_task)
    deliver = staticmethod(deliver_task)


@flow(name="mobwatch-monitor", task_runner=ThreadPoolTaskRunner(max_workers=4))
def monitor(
    home: str | None = None,
    sources: str | None = None,
    db: str | None = None,
    window_days: int | None = None,
    as_of: str | None = None,
    since: str | None = None,
    alerts_file: str | None = None,
    seed: bool = True,
) -> PassSummary:
    """One monitoring pass over every source in the sources file; `seed=False` leaves the
    seeded history out of the store."""
    settings = Settings.resolve(home=home, db=db, sources=sources, alerts=alerts_file)
    with PoolWork() as work:
        summary = monitoring_pass(
            TaskSteps(work),
            settings,
            window_days=window_days,
            as_of=as_of,
            since=since,
            seed=seed,
        )
    create_markdown_artifact(
        key="mobwatch-pass", markdown=_summary_markdown(summary), description="Monitoring pass"
    )
    return summary

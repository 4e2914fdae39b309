"""The monitoring pass as a Prefect flow: one task per source, then markers, then delivery.

The flow only composes the stages in `flows/stages.py`; all logic lives there and below.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from mobwatch.alerts.escape import markdown_text
from mobwatch.alerts.outbox import DeliveryReport
from mobwatch.alerts.routing import load_delivery_config
from mobwatch.fetching.client import HttpClient
from mobwatch.flows import stages
from mobwatch.flows.landing import landed_batches
from mobwatch.flows.pass_client import pass_client
from mobwatch.flows.settings import Settings, load_sources
from mobwatch.indicators.calendar import today_in_moscow
from mobwatch.indicators.model import Alert
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.parsers.base import Source
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store

# Alert rounds run while sources are still landing take about this share of the pass
# (flows/landing.py); a round's alerts wait at most nine rounds' time beyond their source.
EARLY_ALERTS_SHARE = 0.1


@dataclass
class PassSummary:
    as_of: str
    sources: list[dict[str, object]]
    new_observations: int
    new_alerts: list[str]
    delivered: dict[str, int]
    delivery_errors: dict[str, str]
    channels_off: dict[str, str]  # routed to but not configured: what to set


@task(
    name="read-source",
    task_run_name="read {source.name}",
    cache_policy=NO_CACHE,
    retries=1,
    retry_delay_seconds=2,
)
def read_source_task(
    source: Source, client: HttpClient, store: Store, since: date | None
) -> stages.SourceReport:
    report = stages.read_source(source, client=client, store=store, since=since)
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
    config = load_marker_config(settings.markers_file)
    window = config.alerts.recent_window_days if window_days is None else window_days
    return stages.marker_round(store, config, as_of=as_of, window_days=window)


@task(name="raise-operator-alerts", cache_policy=NO_CACHE)
def raise_operator_alerts_task(
    store: Store, settings: Settings, as_of: date, reports: list[stages.SourceReport]
) -> list[Alert]:
    config = load_marker_config(settings.markers_file)
    repeat_hours = load_delivery_config(settings.alerts_file).repeat_hours
    return stages.raise_operator_alerts(
        store, config, as_of=as_of, reports=reports, repeat_hours=repeat_hours
    )


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
    seeded history out of the store (what the sources alone yield)."""
    settings = Settings.resolve(home=home, db=db, sources=sources, alerts=alerts_file)
    watched = load_sources(settings.sources_file)
    config = load_marker_config(settings.markers_file)
    load_delivery_config(settings.alerts_file)  # a broken routing file stops the pass early
    today = date.fromisoformat(as_of) if as_of else today_in_moscow()
    read_since = (
        date.fromisoformat(since)
        if since
        else today - timedelta(days=config.alerts.recent_window_days)
    )
    store = Store.open(settings.db_url)
    try:
        if seed:
            seed_store(store)
        new_alerts: list[Alert] = []
        deliveries: list[DeliveryReport] = []
        with pass_client(store, settings.sources_file) as client:
            futures = {
                read_source_task.submit(source, client, store, read_since): source
                for source in watched
            }
            outcomes: dict[str, stages.SourceReport] = {}
            latest: stages.MarkerRound | None = None
            # Alert as sources land: one slow source holds back no one else's alerts.
            for batch in landed_batches(list(futures), share=EARLY_ALERTS_SHARE):
                landed = [
                    stages.report_outcome(
                        store, futures[future], future.result(raise_on_failure=False)
                    )
                    for future in batch
                ]
                outcomes.update((report.source, report) for report in landed)
                if any(stages.changed(report) for report in landed):
                    latest = raise_alerts_task(store, settings, today, window_days)
                    new_alerts += latest.raised
                    # Mid-pass: critical alerts go now, the rest wait for their group.
                    deliveries.append(
                        deliver_task(store, settings, today, latest.risk_level, flush=False)
                    )
        reports = [outcomes[source.name] for source in watched]
        if latest is None:
            # Nothing new, yet time alone can fire a marker (a decree overdue).
            latest = raise_alerts_task(store, settings, today, window_days)
            new_alerts += latest.raised
        # The operator's markers look at every source's outcome: they wait for all.
        new_alerts += raise_operator_alerts_task(store, settings, today, reports)
        deliveries.append(deliver_task(store, settings, today, latest.risk_level))
        delivery = stages.combine_deliveries(deliveries)
    finally:
        store.close()
    summary = PassSummary(
        as_of=today.isoformat(),
        sources=[{**asdict(report), "error": report.error} for report in reports],
        new_observations=stages.new_observations(reports),
        new_alerts=[alert.title for alert in (*new_alerts, *delivery.raised)],
        delivered=delivery.delivered,
        delivery_errors=delivery.failed,
        channels_off=delivery.off,
    )
    create_markdown_artifact(
        key="mobwatch-pass", markdown=_summary_markdown(summary), description="Monitoring pass"
    )
    return summary

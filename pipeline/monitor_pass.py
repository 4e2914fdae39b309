"""One monitoring pass composed from the stages, whoever runs its steps.

The pass is the same run as the Prefect flow (`flows/monitor.py`, each source a task run)
or directly in this process (`flows/direct.py`, no Prefect): `monitoring_pass` is given
the steps and composes them — every source read, alerts raised while sources are still
landing, the operator's alerts once all have landed, then delivery. Nothing here imports
Prefect, so a pass run directly does not pay for it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Protocol

from mobwatch.alerts.outbox import DeliveryReport
from mobwatch.alerts.routing import load_delivery_config
from mobwatch.fetching.client import HttpClient
from mobwatch.indicators.calendar import today_in_moscow
from mobwatch.indicators.model import Alert
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.parsers.base import Source
from mobwatch.pipeline import stages
from mobwatch.pipeline.landing import Landing, landed_batches
from mobwatch.pipeline.pass_client import pass_client
from mobwatch.pipeline.settings import Settings, load_sources
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store

# Alert rounds run while sources are still landing take about this share of the pass
# (pipeline/landing.py); a round's alerts wait at most nine rounds' time beyond their source.
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


class PassSteps(Protocol):
    """How a pass's steps run: as Prefect tasks, or as plain calls."""

    def read(self, source: Source, client: HttpClient, store: Store, since: date) -> Landing:
        """Start reading one source; the landing's outcome is its report or what it raised."""
        ...

    def outcome(self, landing: Landing) -> stages.SourceReport | BaseException: ...

    def alerts(
        self, store: Store, settings: Settings, as_of: date, window_days: int | None
    ) -> stages.MarkerRound: ...

    def operator_alerts(
        self, store: Store, settings: Settings, as_of: date, reports: list[stages.SourceReport]
    ) -> list[Alert]: ...

    def deliver(
        self, store: Store, settings: Settings, as_of: date, risk_level: str, flush: bool = True
    ) -> DeliveryReport: ...


def alerts_round(
    store: Store, settings: Settings, as_of: date, window_days: int | None
) -> stages.MarkerRound:
    """The markers' round with the window `markers.toml` sets unless one is given."""
    config = load_marker_config(settings.markers_file)
    window = config.alerts.recent_window_days if window_days is None else window_days
    return stages.marker_round(store, config, as_of=as_of, window_days=window)


def operator_round(
    store: Store, settings: Settings, as_of: date, reports: list[stages.SourceReport]
) -> list[Alert]:
    config = load_marker_config(settings.markers_file)
    repeat_hours = load_delivery_config(settings.alerts_file).repeat_hours
    return stages.raise_operator_alerts(
        store, config, as_of=as_of, reports=reports, repeat_hours=repeat_hours
    )


def monitoring_pass(
    steps: PassSteps,
    settings: Settings,
    *,
    window_days: int | None = None,
    as_of: str | None = None,
    since: str | None = None,
    seed: bool = True,
) -> PassSummary:
    """One monitoring pass over every source in the sources file; `seed=False` leaves the
    seeded history out of the store (what the sources alone yield)."""
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
            landings = {steps.read(source, client, store, read_since): source for source in watched}
            outcomes: dict[str, stages.SourceReport] = {}
            latest: stages.MarkerRound | None = None
            # Alert as sources land: one slow source holds back no one else's alerts.
            for batch in landed_batches(list(landings), share=EARLY_ALERTS_SHARE):
                landed = [
                    stages.report_outcome(store, landings[landing], steps.outcome(landing))
                    for landing in batch
                ]
                outcomes.update((report.source, report) for report in landed)
                if any(stages.changed(report) for report in landed):
                    latest = steps.alerts(store, settings, today, window_days)
                    new_alerts += latest.raised
                    # Mid-pass: critical alerts go now, the rest wait for their group.
                    deliveries.append(
                        steps.deliver(store, settings, today, latest.risk_level, flush=False)
                    )
        reports = [outcomes[source.name] for source in watched]
        if latest is None:
            # Nothing new, yet time alone can fire a marker (a decree overdue).
            latest = steps.alerts(store, settings, today, window_days)
            new_alerts += latest.raised
        # The operator's markers look at every source's outcome: they wait for all.
        new_alerts += steps.operator_alerts(store, settings, today, reports)
        deliveries.append(steps.deliver(store, settings, today, latest.risk_level))
        delivery = stages.combine_deliveries(deliveries)
    finally:
        store.close()
    return PassSummary(
        as_of=today.isoformat(),
        sources=[{**asdict(report), "error": report.error} for report in reports],
        new_observations=stages.new_observations(reports),
        new_alerts=[alert.title for alert in (*new_alerts, *delivery.raised)],
        delivered=delivery.delivered,
        delivery_errors=delivery.failed,
        channels_off=delivery.off,
    )

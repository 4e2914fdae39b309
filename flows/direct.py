"""The monitoring pass run in this process, without Prefect.

The same pass as the `mobwatch-monitor` flow (`pipeline/monitor_pass.py` composes both):
sources read on four threads, alerts raised as they land, then the operator's alerts and
delivery. What it leaves out is Prefect's record of the run — no flow run, task runs,
logs or artifact on a Prefect API — and with it Prefect's import and, when no API is
configured, the temporary server Prefect would start for the one run. `mobwatch run`
takes this path when there is no Prefect API to record the run on.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from types import TracebackType

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

READERS = 4  # as many sources read at once as the flow's task runner reads


class DirectSteps:
    """The pass's steps as plain calls; sources are read on a pool of threads, their pages
    parsed on a pool of processes once there are many (`pipeline/parse_pool.py`)."""

    def __init__(self, readers: int = READERS, work: PoolWork | None = None) -> None:
        self._pool = ThreadPoolExecutor(readers, thread_name_prefix="mobwatch-read")
        self._work = work or PoolWork()

    def __enter__(self) -> DirectSteps:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._work.__exit__(exc_type, exc, traceback)

    def read(
        self, source: Source, client: HttpClient, store: Store, since: date
    ) -> Future[stages.SourceReport]:
        return self._pool.submit(
            stages.read_source, source, client=client, store=store, since=since, work=self._work
        )

    def outcome(self, landing: Future[stages.SourceReport]) -> stages.SourceReport | BaseException:
        return landing.exception() or landing.result()

    def alerts(
        self, store: Store, settings: Settings, as_of: date, window_days: int | None
    ) -> stages.MarkerRound:
        return alerts_round(store, settings, as_of, window_days)

    def operator_alerts(
        self, store: Store, settings: Settings, as_of: date, reports: list[stages.SourceReport]
    ) -> list[Alert]:
        return operator_round(store, settings, as_of, reports)

    def deliver(
        self, store: Store, settings: Settings, as_of: date, risk_level: str, flush: bool = True
    ) -> DeliveryReport:
        # No Prefect API (why this path runs): no Secret blocks to look up.
        return stages.deliver(
            store,
            settings,
            as_of=as_of,
            risk_level=risk_level,
            flush=flush,
            secret_blocks=False,
        )


def direct_monitor(
    home: str | None = None,
    sources: str | None = None,
    db: str | None = None,
    window_days: int | None = None,
    as_of: str | None = None,
    since: str | None = None,
    alerts_file: str | None = None,
    seed: bool = True,
) -> PassSummary:
    """One monitoring pass, as `flows.monitor.monitor` runs it, recorded nowhere but the store."""
    settings = Settings.resolve(home=home, db=db, sources=sources, alerts=alerts_file)
    with DirectSteps() as steps:
        return monitoring_pass(
            steps, settings, window_days=window_days, as_of=as_of, since=since, seed=seed
        )

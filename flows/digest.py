"""The daily digest as a Prefect flow: the indicators-and-warnings board, the risk level,
the last day's new observations and the alerts routed to the digest, sent by email and
Slack when configured and to the console always; plus a markdown artifact.

The flow only composes `mobwatch.pipeline.stages.daily_digest`, under the digest's delivery lock: of
two workers sending the digest at once, the second lists only what the first left pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from mobwatch.alerts.digest import DIGEST, digest_markdown
from mobwatch.indicators.calendar import today_in_moscow
from mobwatch.pipeline import stages
from mobwatch.pipeline.settings import Settings
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store


@dataclass
class DigestSummary:
    as_of: str
    risk_level: str
    statuses: dict[str, str]  # marker → not seen / seen / escalating
    new_observations: int
    alerts: int
    delivered: list[str]
    failed: dict[str, str]  # channel → error
    off: dict[str, str]  # channel → what to set


@flow(name="mobwatch-digest")
def daily_digest(
    home: str | None = None,
    db: str | None = None,
    as_of: str | None = None,
    alerts_file: str | None = None,
) -> DigestSummary:
    """The daily digest of the day `as_of` (default: today in Moscow)."""
    settings = Settings.resolve(home=home, db=db, alerts=alerts_file)
    today = date.fromisoformat(as_of) if as_of else today_in_moscow()
    store = Store.open(settings.db_url)
    try:
        seed_store(store)
        with store.delivery_lock(DIGEST):
            digest, report = stages.daily_digest(store, settings, as_of=today)
    finally:
        store.close()
    logger = get_run_logger()
    for channel, error in report.failed.items():
        logger.warning("digest to %s failed: %s", channel, error)
    create_markdown_artifact(
        key="mobwatch-digest", markdown=digest_markdown(digest), description="Daily digest"
    )
    return DigestSummary(
        as_of=today.isoformat(),
        risk_level=str(digest.board.risk.level),
        statuses={row.marker: str(row.status) for row in digest.board.rows},
        new_observations=len(digest.observations),
        alerts=len(digest.alerts),
        delivered=report.delivered,
        failed=report.failed,
        off=report.off,
    )

"""What a deployed pass left in the store: which sources it read, and what they brought."""

from __future__ import annotations

from mobwatch.store.store import Store


def sources_landed(db_url: str) -> tuple[set[str], set[str]]:
    """The sources whose last run succeeded, and the sources the stored observations link.

    Every source's links are kept; which one names a merged act is whichever stored it
    first, a race between the sources' tasks, so the links are what to look at.
    """
    store = Store.open(db_url)
    try:
        healthy = {row.name for row in store.source_health() if row.last_success}
        observed = {link.source for obs in store.observations() for link in obs.links}
    finally:
        store.close()
    return healthy, observed

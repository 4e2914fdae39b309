"""A known alert learns the evidence a later source brought, without being raised again.

The same act reported by a second source keeps its alert's fingerprint, so the alert is
not recorded (nor sent) twice; its stored evidence gains the second source's link and
quote, so whoever reads the alert later sees every report behind it.
"""

from __future__ import annotations

import sqlalchemy as sa

from mobwatch.indicators.model import Alert
from mobwatch.store.records import evidence_from_dict, evidence_to_dict
from mobwatch.store.store import Store
from mobwatch.store.tables import alerts


def add_alert_evidence(store: Store, alert: Alert) -> bool:
    """Add `alert`'s links the stored alert of its fingerprint lacks; True when it gained any."""
    query = sa.select(alerts.c.evidence).where(alerts.c.fingerprint == alert.fingerprint)
    with store.engine.connect() as conn:
        stored = conn.execute(query).scalar()
    if stored is None:
        return False
    known = {evidence_from_dict(item).url for item in stored}
    added = [evidence_to_dict(item) for item in alert.evidence if item.url not in known]
    if not added:
        return False
    with store.writing() as conn:
        # Read again under the write lock: another worker may have added some since.
        current = conn.execute(query).scalar() or []
        urls = {item.get("url") for item in current}
        fresh = [item for item in added if item["url"] not in urls]
        if fresh:
            conn.execute(
                alerts.update()
                .where(alerts.c.fingerprint == alert.fingerprint)
                .values(evidence=[*current, *fresh])
            )
    return bool(fresh)

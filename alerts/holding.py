"""Before a send: which due alerts are held back, silenced or inhibited, and why.

Both are decided when the outbox is about to send, so a silence set before a pass mutes
the pass's alerts, and one that has ended mutes nothing more. An alert held back is
recorded once with its reason (`store/silences.py`) and counts as done on the channel:
it is never sent later, even after the silence ends.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from mobwatch.alerts.inhibition import InhibitRule, inhibitions
from mobwatch.alerts.silences import silence_for
from mobwatch.indicators.model import Alert
from mobwatch.store.store import Store

SILENCED = "silenced"
INHIBITED = "inhibited"


@dataclass(frozen=True)
class Held:
    kind: str  # SILENCED or INHIBITED
    reason: str


def held_back(
    store: Store, due: Sequence[Alert], rules: Sequence[InhibitRule], *, now: datetime
) -> dict[str, Held]:
    """Fingerprint → why, for the due alerts held back now; each is recorded."""
    if not due:
        return {}
    decided = {
        fp: Held(h.kind, h.reason) for fp, h in store.holds(a.fingerprint for a in due).items()
    }
    undecided = [alert for alert in due if alert.fingerprint not in decided]
    silences = store.active_silences(now)
    regions = store.regions_of(a.observation_key or "" for a in undecided) if silences else {}
    found: dict[str, Held] = {}
    for alert in undecided:
        silence = silence_for(alert, silences, regions)
        if silence is not None:
            found[alert.fingerprint] = Held(SILENCED, silence.describe())
    rest = [alert for alert in undecided if alert.fingerprint not in found]
    if rules and rest:
        for fingerprint, why in inhibitions(rest, store.alerts(), rules).items():
            reason = f"{why.rule.describe()}: {why.holder.marker}: {why.holder.title}"
            found[fingerprint] = Held(INHIBITED, reason)
    for fingerprint, held in found.items():
        store.hold_alert(fingerprint, held.kind, held.reason, at=now)
    return {**decided, **found}


def shown_with_holds(store: Store, alerts: Sequence[Alert]) -> list[Alert]:
    """The alerts as the `alerts` command shows them: one held back shows why, in place of
    its deliveries (it was recorded as done on each channel, and sent on none)."""
    held = store.holds(alert.fingerprint for alert in alerts)
    shown = []
    for alert in alerts:
        hold = held.get(alert.fingerprint)
        shown.append(
            dataclasses.replace(alert, delivered={hold.kind: hold.reason}) if hold else alert
        )
    return shown


def silenced_since(store: Store, since: datetime) -> tuple[tuple[Alert, str], ...]:
    """The alerts silenced since `since`, each with its silence: what the digest lists."""
    silenced = {h.fingerprint: h for h in store.held_since(since) if h.kind == SILENCED}
    if not silenced:
        return ()
    return tuple(
        (alert, silenced[alert.fingerprint].reason)
        for alert in store.alerts()
        if alert.fingerprint in silenced
    )

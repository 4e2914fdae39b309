"""One announcement, one observation: the identity of a regional payment.

A governor posts that the payment rises to 1.5 million from 7 October; that day and the
next, five outlets report it. Their reports differ in date (the day each appeared) and in
wording, and agree on the region and the amount. The rule:

* **Identity.** A regional payment observation is known by its subject, its amount in
  roubles and the calendar month it was announced in: `RU-KGN:1500000:2024-10`, kept in
  `details["announcement"]` (`Observation.key` reads it). Reports read from the same pass
  agree on it without seeing each other.
* **Joining across a month's end.** Before a report is stored, the stored observations of
  the same subject are searched: one announced within `JOIN_DAYS` days with the same amount
  (or the same stated total) is the same announcement, and the report takes its identity,
  so a post of 31 July and a story of 1 August are one observation.
* **Merging.** Reports of one announcement merge as every fact does (`extract.merging`):
  the earliest date stands (the first report is the announcement), an amount stated in the
  text wins over one derived from a total, the governor's own channel over the press, and
  every report's link is kept.

A region raising the same amount again in a later month, or restoring an old amount, is a
new observation. Two reports of one announcement that disagree on the amount (one gives
the regional part, another only a total that includes a municipal top-up) stay two: the
text does not say they are one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

from mobwatch.indicators.model import Indicator, Observation

ANNOUNCEMENT = "announcement"
JOIN_DAYS = 14


def announcement_id(region: str, amount: int, announced: date) -> str:
    return f"{region}:{amount}:{announced:%Y-%m}"


def join_window(observations: Iterable[Observation]) -> tuple[date, date] | None:
    """The days whose stored payments the regional payments among `observations` may join:
    theirs, widened by `JOIN_DAYS` each way. None when there is no regional payment."""
    days = [obs.event_date for obs in observations if obs.indicator is Indicator.REGIONAL_BONUS]
    if not days:
        return None
    reach = timedelta(days=JOIN_DAYS)
    return min(days) - reach, max(days) + reach


def resolve(observation: Observation, known: Iterable[Observation]) -> Observation:
    """The observation under the identity of the stored one it repeats, if any."""
    if observation.indicator is not Indicator.REGIONAL_BONUS or not observation.region:
        return observation
    same = [
        stored
        for stored in known
        if stored.indicator is Indicator.REGIONAL_BONUS
        and stored.region == observation.region
        and stored.details.get(ANNOUNCEMENT)
        and abs((stored.event_date - observation.event_date).days) <= JOIN_DAYS
        and _same_amount(stored, observation)
    ]
    if not same:
        return observation
    nearest = min(
        same,
        key=lambda stored: (abs((stored.event_date - observation.event_date).days), stored.key),
    )
    details = {**observation.details, ANNOUNCEMENT: nearest.details[ANNOUNCEMENT]}
    return replace(observation, details=details)


def _same_amount(first: Observation, second: Observation) -> bool:
    if first.value is not None and first.value == second.value:
        return True
    total = first.details.get("total")
    return total is not None and total == second.details.get("total")

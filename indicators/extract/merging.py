"""One real-world fact from many reports: merging observations of the same act.

Each field keeps the value of the most trusted report that has one: official over
reported over unverified (docs/facts.md: a fetched official document overwrites seeded rows
marked "check"). Between equals the value already known stays, so merging is
deterministic and idempotent. A merged observation records, in
`details["field_confidence"]`, the fields it still holds at a lower confidence than its
own, so a later official report replaces a seeded figure that an official title-only
record could not confirm.

Two groups move as one: the value with its unit and evidence (the evidence is the sentence
that carried the value), and the period with `details["period_from_title"]`. A period
stated in a text beats one derived from a title's months at any confidence: the title of
the autumn 2022 decree said October–December, its text 1 November. Likewise an amount a
text states beats one derived from a stated total (`details["derived_from_total"]`), and
a regional payment keeps the date of its first report (`mobwatch.indicators.extract.announcements`).
`details["seed_fields"]` keeps the groups whose value is still the seeded history's
(`mobwatch.indicators.provenance`), so a figure no document confirmed stays marked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from mobwatch.indicators.model import Confidence, Evidence, Indicator, Observation
from mobwatch.indicators.provenance import SEED_FIELDS, is_seed_source

FIELD_CONFIDENCE = "field_confidence"
PERIOD_FROM_TITLE = "period_from_title"
DERIVED_FROM_TOTAL = "derived_from_total"
_BOOKKEEPING = (FIELD_CONFIDENCE, PERIOD_FROM_TITLE, SEED_FIELDS)
_CONFIDENCES = (Confidence.UNVERIFIED, Confidence.REPORTED, Confidence.OFFICIAL)  # by trust
_RANKS = {level: rank for rank, level in enumerate(_CONFIDENCES)}

Presence = Callable[[Observation], bool]
Ranking = Callable[[Observation, str], Any]


def merge(existing: Observation, new: Observation) -> Observation:
    """`existing` enriched by `new`, a report of the same act (the same `key`)."""
    if existing.key != new.key:
        raise ValueError(f"cannot merge {new.key} into {existing.key}: different facts")
    confidence = max(existing.confidence, new.confidence, key=_RANKS.__getitem__)
    held: dict[str, int] = {}  # group → rank of the report its value came from
    fields: dict[str, Any] = {}
    chosen: dict[str, Observation] = {}
    for group, names, present, ranking in _GROUPS:
        chosen[group] = _pick(existing, new, group, present, ranking)
        fields |= {name: getattr(chosen[group], name) for name in names}
        if present(chosen[group]):
            held[group] = _rank(chosen[group], group)
    if fields["value"] is None:  # neither has a value: keep the more trusted evidence
        fields["evidence"] = _pick(existing, new, "value", _has_evidence).evidence
    details = _merged_details(existing, new, held)
    if chosen["period"].details.get(PERIOD_FROM_TITLE):
        details[PERIOD_FROM_TITLE] = True
    seeded = sorted(
        group for group, report in chosen.items() if group in held and _seeded(report, group)
    )
    if seeded:
        details[SEED_FIELDS] = seeded
    weaker = {
        group: _CONFIDENCES[rank].value
        for group, rank in sorted(held.items())
        if rank < _RANKS[confidence]
    }
    if weaker:
        details[FIELD_CONFIDENCE] = weaker
    return replace(
        existing,
        **fields,
        confidence=confidence,
        published=_earliest(existing.published, new.published),
        details=details,
        links=_united_links(existing.links, new.links),
    )


def _merged_details(
    existing: Observation, new: Observation, held: dict[str, int]
) -> dict[str, Any]:
    """Each detail picked like a field; `held` learns the rank of each one kept."""
    details: dict[str, Any] = {}
    for key in _detail_keys(existing, new):
        name = f"details.{key}"
        chosen = _pick(existing, new, name, _has_detail(key))
        details[key] = chosen.details.get(key)
        if _has_detail(key)(chosen):
            held[name] = _rank(chosen, name)
    return details


def _earliest(first: date | None, second: date | None) -> date | None:
    """The act became public with its first report, whoever made it."""
    days = [day for day in (first, second) if day is not None]
    return min(days) if days else None


def _seeded(obs: Observation, group: str) -> bool:
    """Whether the report's value of `group` is the seeded history's, not a document's."""
    if SEED_FIELDS in obs.details:
        return group in obs.details[SEED_FIELDS]
    return is_seed_source(obs.source) and not obs.links


def _rank(obs: Observation, name: str) -> int:
    """How far the report's value of `name` is trusted: its own, or the weaker one it
    inherited from an earlier merge."""
    level = obs.details.get(FIELD_CONFIDENCE, {}).get(name, obs.confidence)
    return _RANKS[Confidence(level)]


def _period_rank(obs: Observation, name: str) -> tuple[bool, int]:
    return not obs.details.get(PERIOD_FROM_TITLE), _rank(obs, name)


def _date_rank(obs: Observation, name: str) -> tuple[int, int]:
    """An announcement is dated by its first report, whoever made it; acts by trust."""
    if obs.indicator is Indicator.REGIONAL_BONUS:
        return -obs.event_date.toordinal(), _rank(obs, name)
    return 0, _rank(obs, name)


def _value_rank(obs: Observation, name: str) -> tuple[bool, int]:
    """An amount the text states beats one derived from a total, at any trust."""
    return not obs.details.get(DERIVED_FROM_TOTAL), _rank(obs, name)


def _pick(
    existing: Observation,
    new: Observation,
    name: str,
    present: Presence,
    rank: Ranking = _rank,
) -> Observation:
    """The report whose `name` the merge keeps: the only one that has it, else `new` only
    when it outranks `existing`."""
    if not present(new):
        return existing
    if not present(existing):
        return new
    return new if rank(new, name) > rank(existing, name) else existing


def _has_field(name: str) -> Presence:
    return lambda obs: getattr(obs, name) not in (None, "")


def _has_detail(key: str) -> Presence:
    return lambda obs: obs.details.get(key) is not None


def _has_evidence(obs: Observation) -> bool:
    return bool(obs.evidence)


def _has_period(obs: Observation) -> bool:
    return obs.period_start is not None or obs.period_end is not None


def _detail_keys(existing: Observation, new: Observation) -> list[str]:
    keys = [*existing.details, *(key for key in new.details if key not in existing.details)]
    return [key for key in keys if key not in _BOOKKEEPING]


def _united_links(first: list[Evidence], second: list[Evidence]) -> list[Evidence]:
    """Both reports' links, each address once, in the order first seen."""
    seen: set[str] = set()
    united = []
    for link in [*first, *second]:
        if link.url not in seen:
            seen.add(link.url)
            united.append(link)
    return united


# (group, the fields that move together, whether a report has the group, how it ranks)
_GROUPS: tuple[tuple[str, tuple[str, ...], Presence, Ranking], ...] = (
    ("provenance", ("title", "url", "source"), _has_field("url"), _rank),
    ("event_date", ("event_date",), _has_field("event_date"), _date_rank),
    ("region", ("region",), _has_field("region"), _rank),
    ("document_number", ("document_number",), _has_field("document_number"), _rank),
    ("value", ("value", "unit", "evidence"), _has_field("value"), _value_rank),
    ("period", ("period_start", "period_end"), _has_period, _period_rank),
)

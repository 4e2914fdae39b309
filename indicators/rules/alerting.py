"""What every marker shares: the `Marker` object, fingerprints, evidence, readable figures."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Protocol

from mobwatch.indicators.model import Alert, Evidence, Observation, Severity
from mobwatch.indicators.rules.settings import MarkerConfig


class Rule(Protocol):
    """A marker's evaluation: the stored history and the thresholds in, its alerts out.

    `as_of` is the day of evaluation; a marker that fires on an absence (a decree not
    published in time) looks no further than that day.
    """

    def __call__(
        self, history: Sequence[Observation], config: MarkerConfig, *, as_of: date
    ) -> list[Alert]: ...


class Group(StrEnum):
    """Where a marker belongs: the board's sections for the analysts, or the operator's."""

    FEDERAL = "Federal decisions"
    MONEY = "Recruitment money"
    OPERATOR = "The watch itself"


@dataclass(frozen=True)
class Marker:
    """One early-warning marker, declared beside the function that evaluates it.

    `settings` is the dataclass of its `[<id>]` table in markers.toml (None: no
    thresholds); `basis` the report's words it rests on, carried by each of its alerts;
    `evaluate` reads the stored history. Operator markers judge the watch's own health and
    are raised where that is known (the pass, the outbox), so they have no `evaluate`; nor
    has a marker of the domain notes not watched yet, which the board lists all the same.
    """

    id: str
    group: Group
    description: str
    basis: str = ""
    settings: type | None = None
    evaluate: Rule | None = None

    @property
    def audience(self) -> str:
        """Who its alerts go to (`Alert.audience`)."""
        return "operator" if self.group is Group.OPERATOR else "analyst"

    def __call__(
        self, history: Sequence[Observation], config: MarkerConfig, *, as_of: date
    ) -> list[Alert]:
        return self.evaluate(history, config, as_of=as_of) if self.evaluate else []


def fingerprint(marker: str, key: str, figure: object) -> str:
    """The alert's identity: the marker, the fact and the figure that fired it, never a time.

    The same evidence read again (another run, another source, a restart) gives the same
    fingerprint, so the store alerts on it once.
    """
    return hashlib.sha256(f"{marker}\x1f{key}\x1f{figure}".encode()).hexdigest()


def evidence_of(obs: Observation) -> tuple[Evidence, ...]:
    """The documents behind an observation: its links, or the one it was read from."""
    if obs.links:
        return tuple(obs.links)
    return (Evidence(url=obs.url, quote=obs.evidence, source=obs.source, title=obs.title),)


def observation_alert(
    obs: Observation, marker: str, severity: Severity, title: str, basis: str, figure: object
) -> Alert:
    """An alert fired by one observation, on the day it was signed or announced."""
    return Alert(
        marker=marker,
        severity=severity,
        title=title,
        fingerprint=fingerprint(marker, obs.key, figure),
        fired_on=obs.event_date,
        evidence=evidence_of(obs),
        basis=basis,
        observation_key=obs.key,
    )


def by_date(history: Sequence[Observation]) -> list[Observation]:
    """The history in the order it became known; the key breaks ties so replays repeat."""
    return sorted(history, key=lambda obs: (obs.event_date, obs.key))


def campaign_of(obs: Observation) -> tuple[int, str]:
    """(2024, "autumn") for a call-up observation."""
    year, season = obs.campaign.split("-")
    return int(year), season


def share_at_least(part: int, whole: int, ratio: float) -> bool:
    """Whether `part` is at least `ratio` of `whole`, with the ratio read as written.

    Exact arithmetic: in floating point 138,000 / 120,000 - 1 falls just short of 0.15,
    and a rise of exactly 15 % must reach a threshold of 15 %.
    """
    return Fraction(part, whole) >= Fraction(str(ratio))


def persons(number: int) -> str:
    return f"{number:,}"


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def span_text(start: date, end: date) -> str:
    """`1 Nov – 31 Dec 2022`; the year is written once when both ends share it."""
    if start.year == end.year:
        return f"{start.day} {start:%b} – {day_text(end)}"
    return f"{day_text(start)} – {day_text(end)}"


def percent(ratio: float) -> str:
    return f"{ratio * 100:.1f} %"

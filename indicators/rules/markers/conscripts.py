"""`conscripts_in_combat`: statements that conscripts are sent to, serve in or may be used
in combat, grouped into episodes.

Statements (`extract.statements`) that affirm it are grouped into episodes: one region (or
none named), within `episode_days` of the episode's first report; reports of one episode
by several outlets are one episode with all their links. The first report from the press
is info; an official statement (the authority's own channel, or an official named as the
speaker) is a warning, raised again in the same episode when an official confirms what the
press reported. Denials are stored and never fire.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from mobwatch.indicators.model import Alert, Evidence, Indicator, Observation, Severity
from mobwatch.indicators.rules.alerting import (
    Group,
    Marker,
    by_date,
    day_text,
    evidence_of,
    fingerprint,
)
from mobwatch.indicators.rules.settings import MarkerConfig


@dataclass(frozen=True)
class ConscriptsInCombatConfig:
    episode_days: int


@dataclass
class _Episode:
    start: date
    regions: set[str]
    statements: list[Observation] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.statements[0].key

    def takes(self, obs: Observation, days: int) -> bool:
        if obs.event_date > self.start + timedelta(days=days):
            return False
        named = set(obs.details.get("regions") or [])
        return not named or not self.regions or bool(named & self.regions)


def conscripts_in_combat(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """One alert per episode (info from the press, a warning once an official says it)."""
    episode_days = config.conscripts_in_combat.episode_days
    episodes: list[_Episode] = []
    for obs in by_date(history):
        if obs.indicator is not Indicator.CONSCRIPTS_IN_COMBAT:
            continue
        if obs.details.get("stance") != "affirms":
            continue  # denials are stored, never fired
        episode = next((e for e in episodes if e.takes(obs, episode_days)), None)
        if episode is None:
            episode = _Episode(obs.event_date, set())
            episodes.append(episode)
        episode.statements.append(obs)
        episode.regions |= set(obs.details.get("regions") or [])
    alerts = []
    for episode in episodes:
        evidence = tuple(e for obs in episode.statements for e in evidence_of(obs))
        first = episode.statements[0]
        official = next((obs for obs in episode.statements if obs.details.get("official")), None)
        if official is not first:  # the press first: info until an official says it
            alerts.append(_episode_alert(episode, first, Severity.INFO, evidence))
        if official is not None:
            alerts.append(_episode_alert(episode, official, Severity.WARNING, evidence))
    return alerts


def _episode_alert(
    episode: _Episode, obs: Observation, severity: Severity, evidence: tuple[Evidence, ...]
) -> Alert:
    where = ", ".join(sorted(episode.regions)) or "combat areas"
    who = "an official statement" if severity is Severity.WARNING else "the press"
    outlets = len({e.url for e in evidence})
    title = (
        f"Conscripts reported in combat or border areas under attack ({where}), by {who} on "
        f"{day_text(obs.event_date)}; {outlets} report{'s' if outlets != 1 else ''}"
    )
    return Alert(
        marker=CONSCRIPTS_IN_COMBAT.id,
        severity=severity,
        title=title,
        fingerprint=fingerprint(CONSCRIPTS_IN_COMBAT.id, episode.key, severity),
        fired_on=obs.event_date,
        evidence=evidence,
        basis=CONSCRIPTS_IN_COMBAT.basis,
        observation_key=episode.key,
    )


CONSCRIPTS_IN_COMBAT = Marker(
    id="conscripts_in_combat",
    group=Group.FEDERAL,
    description="An act or statement allows or reports conscripts deployed to combat.",
    basis=(
        "All the above makes it more likely that the Kremlin will decide to use conscript "
        "soldiers in combat operations"
    ),
    settings=ConscriptsInCombatConfig,
    evaluate=conscripts_in_combat,
)

"""The markers of laws, bills and statements: the service term and conscription, reservists
called outside mobilisation, and conscripts in combat.

- `service_term_change`: a signed law that lengthens conscript service or widens
  conscription is critical; one that changes other conscription or mobilisation rules a
  warning; any other change to the laws of military service info. A bill is watched from
  its introduction: a warning when it would lengthen or widen (info otherwise), and each
  stage it passes alerts again in the same episode (the bill), so the board shows it
  escalating until the law is signed.
- `reservist_callup`: a decree calling reservists to special assemblies for the first
  time, for new tasks or regions, or in larger numbers, and a law widening when they may
  be called, are warnings; critical when the act sends them to combat or beyond their own
  region. Training assemblies are the routine and never alert.
- `conscripts_in_combat`: statements that conscripts are sent to, serve in or may be used
  in combat, grouped into episodes (one region, `episode_days`); a media report is info,
  an official statement a warning. Denials are stored and never fire.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from mobwatch.indicators.extract.law_changes import (
    CONSCRIPTION_KINDS,
    MOBILISATION,
    RESERVISTS,
    LawChange,
    describes_changes,
)
from mobwatch.indicators.model import Alert, Evidence, Indicator, Observation, Severity
from mobwatch.indicators.rules.alerting import (
    by_date,
    day_text,
    evidence_of,
    fingerprint,
    observation_alert,
    persons,
)

SERVICE_TERM_BASIS = (
    "the term of conscription service might be increased to two years … parliament must "
    "amend the Law on Military Duty and Military Service"
)
RESERVIST_BASIS = (
    "The Russian authorities have clearly not ruled out such a possibility and have put in "
    "place all the required organisational measures"
)
CONSCRIPTS_BASIS = (
    "All the above makes it more likely that the Kremlin will decide to use conscript "
    "soldiers in combat operations"
)
_STAGE_TEXT = {
    "introduced": "was introduced",
    "first_reading": "passed its first reading",
    "second_reading": "passed its second reading",
    "third_reading": "passed its third reading",
    "federation_council": "was approved by the Federation Council",
    "signed": "was signed",
    "rejected": "was rejected",
    "withdrawn": "was withdrawn",
}


# --- service_term_change -------------------------------------------------------------


def law_severity(changes: Sequence[LawChange]) -> Severity:
    """Critical when a change lengthens or widens; a warning for other conscription or
    mobilisation rules; info for the rest."""
    if any(change.widens for change in changes):
        return Severity.CRITICAL
    if any(change.kind in CONSCRIPTION_KINDS | {MOBILISATION} for change in changes):
        return Severity.WARNING
    return Severity.INFO


def service_term_change(
    history: Sequence[Observation], config: object, *, as_of: date
) -> list[Alert]:
    """Signed laws on military service, and the stages of bills on them."""
    alerts = []
    for obs in by_date(history):
        if obs.indicator is Indicator.SERVICE_LAW:
            alert = _law_alert(obs)
        elif obs.indicator is Indicator.SERVICE_BILL:
            alert = _bill_alert(obs)
        else:
            continue
        if alert is not None:
            alerts.append(alert)
    return alerts


def changes_of(obs: Observation) -> list[LawChange]:
    """The changes an observation records, those on reservists left to their own marker."""
    return [
        change
        for change in map(LawChange.from_dict, obs.details.get("changes") or [])
        if change.kind != RESERVISTS
    ]


def _law_alert(obs: Observation) -> Alert | None:
    if obs.details.get("changes") and not changes_of(obs):
        return None  # a law on reservists only: reservist_callup's
    changes = changes_of(obs)
    severity = law_severity(changes)
    what = describes_changes(changes) or "amends the laws of military service"
    title = f"Law{_number(obs)} of {day_text(obs.event_date)}: {what}"
    figure = (severity, tuple(sorted({change.kind for change in changes})))
    return observation_alert(
        obs, "service_term_change", severity, title, SERVICE_TERM_BASIS, figure
    )


def _bill_alert(obs: Observation) -> Alert:
    changes = changes_of(obs)
    stage = str(obs.details.get("stage"))
    widens = any(change.widens for change in changes)
    if stage == "signed":
        severity = law_severity(changes)
    else:
        severity = Severity.WARNING if widens else Severity.INFO
    what = describes_changes(changes) or "amends the laws of military service"
    title = (
        f"Bill No. {obs.document_number} {_STAGE_TEXT.get(stage, stage)} on "
        f"{day_text(obs.event_date)}: {what}"
    )
    alert = observation_alert(
        obs, "service_term_change", severity, title, SERVICE_TERM_BASIS, (severity, stage)
    )
    # Every stage of one bill is one episode: the alerts share the bill as their subject.
    return replace(alert, observation_key=f"{Indicator.SERVICE_BILL}:{obs.document_number}")


# --- reservist_callup ----------------------------------------------------------------


def reservist_callup(history: Sequence[Observation], config: object, *, as_of: date) -> list[Alert]:
    """Reservists called outside mobilisation: the first time, for something new, or more."""
    alerts = []
    tasks: set[str] = set()
    regions: set[str] = set()
    largest: int | None = None
    first = True
    for obs in by_date(history):
        if obs.indicator is Indicator.SERVICE_LAW and not _reservist_law(obs):
            continue
        if obs.indicator not in (Indicator.RESERVIST_CALLUP, Indicator.SERVICE_LAW):
            continue
        assembly = obs.details.get("assembly", "law")
        if assembly == "training":
            continue  # the routine yearly decree: stored, not alerted
        severity = _reservist_severity(obs)
        if assembly == "law" or obs.indicator is Indicator.SERVICE_LAW:
            title = (
                f"Law{_number(obs)} of {day_text(obs.event_date)} widens when reservists may "
                "be called up outside mobilisation"
            )
            alerts.append(
                observation_alert(obs, "reservist_callup", severity, title, RESERVIST_BASIS, "law")
            )
            continue
        reasons = []
        new_tasks = set(obs.details.get("tasks") or []) - tasks
        new_regions = set(obs.details.get("regions") or []) - regions
        if first:
            reasons.append("the first call of reservists to special assemblies")
        elif new_tasks:
            reasons.append("for new tasks")
        if not first and new_regions:
            reasons.append(f"in new regions ({', '.join(sorted(new_regions))})")
        if obs.value is not None and largest is not None and obs.value > largest:
            reasons.append(f"more reservists than before ({persons(obs.value)})")
        if severity is Severity.CRITICAL:
            reasons.append("sending them to combat or beyond their own region")
        first = False
        tasks |= new_tasks
        regions |= new_regions
        largest = max(largest or 0, obs.value or 0) or None
        if not reasons:
            continue
        title = (
            f"Decree{_number(obs)} of {day_text(obs.event_date)} calls reservists to special "
            f"assemblies: {'; '.join(reasons)}"
        )
        alerts.append(
            observation_alert(
                obs, "reservist_callup", severity, title, RESERVIST_BASIS, tuple(reasons)
            )
        )
    return alerts


def _reservist_law(obs: Observation) -> bool:
    """A service law that also widens when reservists may be called."""
    return any(change.get("kind") == RESERVISTS for change in obs.details.get("changes") or [])


def _reservist_severity(obs: Observation) -> Severity:
    sends = obs.details.get("combat") or obs.details.get("beyond_region")
    return Severity.CRITICAL if sends else Severity.WARNING


# --- conscripts_in_combat ------------------------------------------------------------


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
    history: Sequence[Observation], config: object, *, as_of: date, episode_days: int
) -> list[Alert]:
    """One alert per episode (info from the press, a warning once an official says it)."""
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
        marker="conscripts_in_combat",
        severity=severity,
        title=title,
        fingerprint=fingerprint("conscripts_in_combat", episode.key, severity),
        fired_on=obs.event_date,
        evidence=evidence,
        basis=CONSCRIPTS_BASIS,
        observation_key=episode.key,
    )


def _number(obs: Observation) -> str:
    return f" No. {obs.document_number}" if obs.document_number else ""

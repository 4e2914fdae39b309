"""The markers of the laws of military service: the service term and conscription, and
reservists called up outside mobilisation.

- `service_term_change`: a signed law that lengthens conscript service or widens
  conscription is critical; one that changes other conscription or mobilisation rules a
  warning; any other change to the laws of military service info. A bill is watched from
  its introduction: a warning when it would lengthen or widen (info otherwise), and each
  stage it passes alerts again in the same episode (the bill, `Alert.observation_key`), so
  the board shows it escalating until the law is signed.
- `reservist_callup`: a decree calling reservists to special assemblies for the first
  time, for new tasks or regions, or in larger numbers, and a law widening when they may
  be called, are warnings; critical when the act sends them to combat or beyond their own
  region. Training assemblies are the routine and never alert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from mobwatch.indicators.extract.law_changes import (
    CONSCRIPTION_KINDS,
    MOBILISATION,
    RESERVISTS,
    LawChange,
    describes_changes,
)
from mobwatch.indicators.model import Alert, Indicator, Observation, Severity
from mobwatch.indicators.rules.alerting import (
    Group,
    Marker,
    by_date,
    day_text,
    fingerprint,
    observation_alert,
    persons,
)
from mobwatch.indicators.rules.settings import MarkerConfig

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
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
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
    alert = observation_alert(
        obs, SERVICE_TERM_CHANGE.id, severity, title, SERVICE_TERM_CHANGE.basis, severity
    )
    return replace(alert, fingerprint=_signed_law_fingerprint(obs.event_date, severity, changes))


def _signed_law_fingerprint(signed: date, severity: Severity, changes: Sequence[LawChange]) -> str:
    """One signed law, whether read from its text or from its bill's last stage: the Duma's
    "signed" and the law on the portal or the Kremlin feed alert once, whichever lands first."""
    kinds = tuple(sorted({change.kind for change in changes}))
    return fingerprint(
        SERVICE_TERM_CHANGE.id, f"{Indicator.SERVICE_LAW}:{signed}", (severity, kinds)
    )


def _bill_alert(obs: Observation) -> Alert | None:
    if obs.details.get("changes") and not changes_of(obs):
        return None  # a bill on reservists only: reservist_callup watches the signed law
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
        obs, SERVICE_TERM_CHANGE.id, severity, title, SERVICE_TERM_CHANGE.basis, (severity, stage)
    )
    if stage == "signed":
        alert = replace(
            alert, fingerprint=_signed_law_fingerprint(obs.event_date, severity, changes)
        )
    # Every stage of one bill is one episode: the alerts share the bill as their subject.
    return replace(alert, observation_key=f"{Indicator.SERVICE_BILL}:{obs.document_number}")


# --- reservist_callup ----------------------------------------------------------------


def reservist_callup(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
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
                observation_alert(
                    obs, RESERVIST_CALLUP.id, severity, title, RESERVIST_CALLUP.basis, "law"
                )
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
                obs, RESERVIST_CALLUP.id, severity, title, RESERVIST_CALLUP.basis, tuple(reasons)
            )
        )
    return alerts


def _reservist_law(obs: Observation) -> bool:
    """A service law that also widens when reservists may be called."""
    return any(change.get("kind") == RESERVISTS for change in obs.details.get("changes") or [])


def _reservist_severity(obs: Observation) -> Severity:
    sends = obs.details.get("combat") or obs.details.get("beyond_region")
    return Severity.CRITICAL if sends else Severity.WARNING


def _number(obs: Observation) -> str:
    return f" No. {obs.document_number}" if obs.document_number else ""


SERVICE_TERM_CHANGE = Marker(
    id="service_term_change",
    group=Group.FEDERAL,
    description="A bill or law lengthens conscript service or widens conscription.",
    basis=(
        "the term of conscription service might be increased to two years … parliament must "
        "amend the Law on Military Duty and Military Service"
    ),
    evaluate=service_term_change,
)
RESERVIST_CALLUP = Marker(
    id="reservist_callup",
    group=Group.FEDERAL,
    description="Reservists called up outside mobilisation: special assemblies, or a law on them.",
    basis=(
        "The Russian authorities have clearly not ruled out such a possibility and have put in "
        "place all the required organisational measures"
    ),
    evaluate=reservist_callup,
)

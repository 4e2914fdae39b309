"""The indicators-and-warnings board: each marker's status, last evidence, and the level."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mobwatch.indicators.model import Alert, Evidence, Severity
from mobwatch.indicators.rules.board import (
    FEDERAL_MARKERS,
    MONEY_MARKERS,
    Status,
    build_board,
    marker_status,
)
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.indicators.rules.markers import MARKERS, evaluate
from mobwatch.indicators.rules.risk import RiskLevel
from mobwatch.store.seed import load_seed_history

CONFIG = load_marker_config()
DAY = date(2025, 12, 1)


def fired(
    marker: str, days_ago: int, severity: Severity = Severity.WARNING, audience: str = "analyst"
) -> Alert:
    on = DAY - timedelta(days=days_ago)
    return Alert(
        marker=marker,
        severity=severity,
        title=f"{marker} {on}",
        fingerprint=f"{marker}:{on}:{severity}",
        fired_on=on,
        evidence=(Evidence(url=f"http://example.org/{marker}/{on}", quote="…"),),
        audience=audience,
    )


@pytest.mark.parametrize(
    ("history", "status"),
    [
        ([], Status.NOT_SEEN),
        ([fired("m", 10)], Status.SEEN),
        ([fired("m", 200)], Status.SEEN),
        ([fired("m", 300), fired("m", 200)], Status.SEEN),
        ([fired("m", 100), fired("m", 10)], Status.SEEN),
        ([fired("m", 89), fired("m", 0)], Status.ESCALATING),  # the window holds 90 days
        ([fired("m", 90), fired("m", 0)], Status.SEEN),
        ([fired("m", 200), fired("m", 10, Severity.CRITICAL)], Status.ESCALATING),
        ([fired("m", 200, Severity.CRITICAL), fired("m", 10)], Status.SEEN),
        ([fired("m", 300), fired("m", 200, Severity.CRITICAL)], Status.SEEN),
    ],
)
def test_marker_status(history: list[Alert], status: Status) -> None:
    assert marker_status(history, as_of=DAY, window_days=90) is status


def test_the_board_lists_the_federal_and_money_markers_in_order() -> None:
    board = build_board([], CONFIG, as_of=DAY, window_days=90)
    assert [row.marker for row in board.rows] == [*FEDERAL_MARKERS, *MONEY_MARKERS]
    assert all(row.status is Status.NOT_SEEN and row.last is None for row in board.rows)
    watched = {row.marker for row in board.rows if row.watched}
    assert watched == set(MARKERS)  # every implemented marker is on the board
    assert watched >= set(MONEY_MARKERS)  # the money markers are implemented too
    assert watched == {row.marker for row in board.rows}  # and every federal marker
    assert board.risk.level is RiskLevel.GREEN


def test_the_board_shows_last_evidence_and_ignores_operator_and_level_alerts() -> None:
    alerts = [
        fired("force_size_increase", 400, Severity.CRITICAL),
        fired("force_size_increase", 30, Severity.CRITICAL),
        fired("callup_size_anomaly", 20),
        fired("source_failing", 1, audience="operator"),
        fired("risk_level_change", 30),
        fired("martial_law", -5, Severity.CRITICAL),  # after the board's day: not yet known
    ]
    board = build_board(alerts, CONFIG, as_of=DAY, window_days=90)
    rows = {row.marker: row for row in board.rows}
    force = rows["force_size_increase"]
    assert force.status is Status.SEEN and force.in_window == 1
    assert force.last is not None and force.last.fired_on == DAY - timedelta(days=30)
    assert force.evidence is not None and force.evidence.url.endswith(str(force.last.fired_on))
    assert rows["callup_size_anomaly"].status is Status.SEEN
    assert rows["martial_law"].status is Status.NOT_SEEN
    assert "source_failing" not in rows and "risk_level_change" not in rows
    assert board.risk.level is RiskLevel.RED
    assert [a.marker for a in board.risk.behind] == ["force_size_increase"]
    assert board.risk_reason == "1 critical alert in the last 90 days (force_size_increase)"


def test_the_seeded_history_on_a_known_day() -> None:
    as_of = date(2022, 10, 31)
    board = build_board(
        evaluate(load_seed_history(), CONFIG, as_of=as_of), CONFIG, as_of=as_of, window_days=90
    )
    rows = {row.marker: row for row in board.rows}
    assert rows["mobilisation_declared"].status is Status.SEEN
    assert rows["mobilisation_declared"].last is not None
    assert rows["mobilisation_declared"].last.fired_on == date(2022, 9, 21)
    # Four regions' martial law and the response regime: several decrees of 19 October.
    assert rows["martial_law"].status is Status.ESCALATING
    assert rows["federal_bonus_change"].status is Status.NOT_SEEN
    assert board.risk.level is RiskLevel.RED

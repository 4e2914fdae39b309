"""The markers' registry: one object per marker, read by the markers file, the board and
the operator's alerts alike."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mobwatch.indicators.rules.alerting import Group
from mobwatch.indicators.rules.board import build_board
from mobwatch.indicators.rules.config import DEFAULT_MARKERS_FILE, load_marker_config
from mobwatch.indicators.rules.markers import MARKERS, REGISTRY, evaluate
from mobwatch.indicators.rules.markers.operator import SOURCE_FAILING, source_failing
from mobwatch.indicators.rules.settings import ConfigError, MonthDay, read_marker_file
from mobwatch.store.health import SourceHealth
from mobwatch.store.seed import load_seed_history

CONFIG = load_marker_config()
AS_OF = date(2026, 11, 25)


def test_each_marker_is_registered_once() -> None:
    ids = [marker.id for marker in REGISTRY]
    assert len(ids) == len(set(ids))
    assert {marker.id for marker in REGISTRY if marker.group is Group.OPERATOR} == {
        "source_failing",
        "parser_drift",
        "channel_failing",
    }


def test_every_table_of_the_markers_file_has_a_reader() -> None:
    # A marker that forgot its `settings`, or a table named after no marker, shows here.
    with DEFAULT_MARKERS_FILE.open("rb") as file:
        tables = set(tomllib.load(file))
    assert set(CONFIG.tables) == tables
    for marker in REGISTRY:
        if marker.settings is not None:
            assert isinstance(getattr(CONFIG, marker.id), marker.settings)


def test_each_alert_carries_its_markers_basis() -> None:
    fired = evaluate(load_seed_history(), CONFIG, as_of=AS_OF)
    alerts = [alert for alert in fired if alert.marker in MARKERS]
    assert {alert.marker for alert in alerts} >= {"martial_law", "callup_timing_anomaly"}
    for alert in alerts:
        assert alert.basis == MARKERS[alert.marker].basis != ""
        assert alert.audience == MARKERS[alert.marker].audience == "analyst"


def test_the_board_lists_the_analysts_markers_of_the_registry_in_its_order() -> None:
    board = build_board([], CONFIG, as_of=AS_OF, window_days=90)
    analysts = [marker for marker in REGISTRY if marker.audience == "analyst"]
    assert [row.marker for row in board.rows] == [marker.id for marker in analysts]
    assert [row.group for row in board.rows] == [str(marker.group) for marker in analysts]
    # Every marker of the domain notes is evaluated now: none is listed as not watched.
    assert all(row.watched for row in board.rows)


def test_an_operator_marker_alerts_the_audience_it_declares() -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    health = SourceHealth(
        name="kremlin-acts",
        last_run=now,
        last_success=None,
        last_error="HTTP 503",
        last_error_at=now,
        consecutive_failures=3,
        items_seen=0,
        last_items=0,
    )
    settings = CONFIG.source_failing
    alert = source_failing(
        health, failed_runs=settings.failed_runs, stale_hours=settings.stale_hours, now=now
    )
    assert alert is not None
    assert (alert.marker, alert.audience) == (SOURCE_FAILING.id, "operator")
    assert SOURCE_FAILING.audience == "operator"


@dataclass(frozen=True)
class NewMarkerSettings:
    min_count: int
    starts: MonthDay


NEW_TABLE = '[new_marker]\nmin_count = 2\nstarts = "10-01"\n'


def test_a_new_markers_table_is_read_into_its_settings(tmp_path: Path) -> None:
    path = tmp_path / "markers.toml"
    path.write_text(NEW_TABLE, encoding="utf-8")
    config = read_marker_file(path, {"new_marker": NewMarkerSettings})
    assert config.new_marker == NewMarkerSettings(2, MonthDay(10, 1))


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ("", "new_marker", "missing"),
        (NEW_TABLE.replace("min_count = 2\n", ""), "new_marker.min_count", "missing"),
        (NEW_TABLE + "min_cuont = 3\n", "new_marker.min_cuont", "unknown key"),
        (NEW_TABLE.replace('"10-01"', '"13-01"'), "new_marker.starts", "MM-DD"),
        ("new_marker = 3\n", "new_marker", "expected a table"),
    ],
)
def test_a_new_markers_table_errors_name_the_file_and_key(
    tmp_path: Path, text: str, key: str, reason: str
) -> None:
    path = tmp_path / "markers.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_marker_file(path, {"new_marker": NewMarkerSettings})
    assert caught.value.key == key
    assert str(path) in str(caught.value)
    assert reason in str(caught.value)

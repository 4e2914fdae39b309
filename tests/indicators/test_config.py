"""The markers file: defaults as docs/markers.md states them, and errors that name file and key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mobwatch.indicators.rules.config import (
    DEFAULT_MARKERS_FILE,
    ConfigError,
    load_marker_config,
)
from mobwatch.indicators.rules.settings import MonthDay

REPO_ROOT = Path(__file__).resolve().parents[2]


def write_variant(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the project's markers file with one line changed."""
    text = DEFAULT_MARKERS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "markers.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_default_file_is_the_one_at_the_repository_root() -> None:
    assert DEFAULT_MARKERS_FILE == REPO_ROOT / "markers.toml"
    assert load_marker_config() == load_marker_config(REPO_ROOT / "markers.toml")


def test_defaults_are_those_of_markers_md() -> None:
    config = load_marker_config()
    assert config.alerts.recent_window_days == 30
    assert config.callup_size_anomaly.lookback_years == 10
    assert config.callup_size_anomaly.critical_excess == pytest.approx(0.15)
    timing = config.callup_timing_anomaly
    assert timing.usual_period("spring", 2025) == (date(2025, 4, 1), date(2025, 7, 15))
    assert timing.usual_period("autumn", 2025) == (date(2025, 10, 1), date(2025, 12, 31))
    assert timing.late_signing_days == 1
    assert timing.missing_decree_grace_days == 7
    assert config.force_size_increase.critical_increase == pytest.approx(0.10)
    assert (config.risk_level.red_days, config.risk_level.amber_days) == (90, 60)
    assert config.risk_level.amber_warnings == 2
    assert (config.source_failing.failed_runs, config.source_failing.stale_hours) == (3, 24)


def test_a_whole_number_is_accepted_where_a_ratio_is_expected(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "critical_increase = 0.10", "critical_increase = 1")
    assert load_marker_config(path).force_size_increase.critical_increase == 1.0


def test_missing_key_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "red_days = 90\n", "")
    with pytest.raises(ConfigError) as caught:
        load_marker_config(path)
    assert caught.value.key == "risk_level.red_days"
    assert str(path) in str(caught.value)
    assert "risk_level.red_days: missing" in str(caught.value)


def test_missing_table_is_reported(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "[force_size_increase]", "[force_size_increases]")
    with pytest.raises(ConfigError, match=r"force_size_increase: missing"):
        load_marker_config(path)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("lookback_years = 10", 'lookback_years = "10"', "callup_size_anomaly.lookback_years"),
        ("lookback_years = 10", "lookback_years = 10.5", "callup_size_anomaly.lookback_years"),
        ("amber_warnings = 2", "amber_warnings = true", "risk_level.amber_warnings"),
        (
            "critical_excess = 0.15",
            'critical_excess = "15 %"',
            "callup_size_anomaly.critical_excess",
        ),
        ("red_days = 90", "red_days = -1", "risk_level.red_days"),
        ('spring_start = "04-01"', 'spring_start = "04-31"', "callup_timing_anomaly.spring_start"),
        ('autumn_end = "12-31"', "autumn_end = 1231", "callup_timing_anomaly.autumn_end"),
    ],
)
def test_mistyped_value_names_the_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = write_variant(tmp_path, old, new)
    with pytest.raises(ConfigError) as caught:
        load_marker_config(path)
    assert caught.value.key == key
    assert str(path) in str(caught.value)


def test_misspelt_key_inside_a_table_is_an_error(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "amber_days = 60\n", "amber_days = 60\namber_day = 30\n")
    with pytest.raises(ConfigError, match=r"risk_level\.amber_day: unknown key"):
        load_marker_config(path)


def test_missing_file_and_broken_toml_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_marker_config(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[risk_level\nred_days = 90\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_marker_config(broken)


def test_month_day_reads_and_writes_mm_dd() -> None:
    assert MonthDay.parse("07-15") == MonthDay(7, 15)
    assert str(MonthDay(4, 1)) == "04-01"
    assert MonthDay(12, 31).in_year(2024) == date(2024, 12, 31)

"""The markers' thresholds and windows, read from `markers.toml`.

Each table of the file is one frozen dataclass below; every key is required and typed, so
a missing or mistyped threshold stops the program with the file and key named instead of
quietly falling back to a number hidden in code.
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

DEFAULT_MARKERS_FILE = Path(__file__).resolve().parents[2] / "markers.toml"

T = TypeVar("T")
N = TypeVar("N", int, float)


class ConfigError(Exception):
    """The markers file is missing, unreadable, or has a missing or mistyped key."""

    def __init__(self, path: Path, key: str, reason: str) -> None:
        where = f"{path}: {key}" if key else str(path)
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.key = key
        self.reason = reason


@dataclass(frozen=True)
class MonthDay:
    """A day of the year without the year, written "MM-DD" in the file (`"04-01"`)."""

    month: int
    day: int

    def in_year(self, year: int) -> date:
        return date(year, self.month, self.day)

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        # 2000 is a leap year, so "02-29" is accepted like any real day of the year.
        day = date.fromisoformat(f"2000-{text}")
        return cls(day.month, day.day)

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class AlertsConfig:
    recent_window_days: int


@dataclass(frozen=True)
class CallupSizeConfig:
    lookback_years: int
    critical_excess: float


@dataclass(frozen=True)
class CallupTimingConfig:
    spring_start: MonthDay
    spring_end: MonthDay
    autumn_start: MonthDay
    autumn_end: MonthDay
    late_signing_days: int
    missing_decree_grace_days: int

    def usual_period(self, season: str, year: int) -> tuple[date, date]:
        """The usual call-up period of a `spring` or `autumn` campaign in `year`."""
        if season == "spring":
            return self.spring_start.in_year(year), self.spring_end.in_year(year)
        return self.autumn_start.in_year(year), self.autumn_end.in_year(year)


@dataclass(frozen=True)
class ForceSizeConfig:
    critical_increase: float


@dataclass(frozen=True)
class RegionalEscalationConfig:
    window_days: int
    min_regions: int
    median_lookback_days: int
    median_rise: float


@dataclass(frozen=True)
class RegionalRecordConfig:
    min_regions_on_record: int


@dataclass(frozen=True)
class RegionalCutConfig:
    min_drop: float


@dataclass(frozen=True)
class RiskLevelConfig:
    red_days: int
    amber_days: int
    amber_warnings: int


@dataclass(frozen=True)
class SourceFailingConfig:
    failed_runs: int
    stale_hours: int


@dataclass(frozen=True)
class MarkerConfig:
    """The whole file: one attribute per table."""

    alerts: AlertsConfig
    callup_size_anomaly: CallupSizeConfig
    callup_timing_anomaly: CallupTimingConfig
    force_size_increase: ForceSizeConfig
    regional_bonus_escalation: RegionalEscalationConfig
    regional_bonus_record: RegionalRecordConfig
    regional_bonus_cut: RegionalCutConfig
    risk_level: RiskLevelConfig
    source_failing: SourceFailingConfig


def load_marker_config(path: Path | None = None) -> MarkerConfig:
    """Read the markers file (default: the project's `markers.toml`)."""
    path = path or DEFAULT_MARKERS_FILE
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError as error:
        raise ConfigError(path, "", "no such file") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, "", f"not valid TOML ({error})") from error
    return _read_table(data, MarkerConfig, path, prefix="")


def _read_table(data: Any, cls: type[T], path: Path, prefix: str) -> T:
    """Build the dataclass `cls` from a TOML table, checking every key's presence and type."""
    table_name = prefix.rstrip(".") or "(top level)"
    if not isinstance(data, dict):
        raise ConfigError(path, table_name, "expected a table")
    fields = {field.name for field in dataclasses.fields(cls)}
    unknown = sorted(set(data) - fields) if prefix else []
    if unknown:
        # Only inside a table: a misspelt threshold would otherwise be silently ignored.
        raise ConfigError(path, f"{prefix}{unknown[0]}", "unknown key")
    types = typing.get_type_hints(cls)
    values = {}
    for name in sorted(fields):
        key = f"{prefix}{name}"
        if name not in data:
            raise ConfigError(path, key, "missing")
        values[name] = _read_value(data[name], types[name], path, key)
    return cls(**values)


def _read_value(value: Any, expected: type, path: Path, key: str) -> Any:
    if expected is MonthDay:
        if isinstance(value, str):
            try:
                return MonthDay.parse(value)
            except ValueError:
                pass
        raise ConfigError(path, key, f'expected a "MM-DD" date string, got {value!r}')
    if dataclasses.is_dataclass(expected):
        return _read_table(value, expected, path, prefix=f"{key}.")
    # bool is an int to Python but never a valid count or ratio here.
    if expected is int and isinstance(value, int) and not isinstance(value, bool):
        return _non_negative(value, path, key)
    if expected is float and isinstance(value, int | float) and not isinstance(value, bool):
        return _non_negative(float(value), path, key)
    raise ConfigError(path, key, f"expected {expected.__name__}, got {value!r}")


def _non_negative(value: N, path: Path, key: str) -> N:
    if value < 0:
        raise ConfigError(path, key, f"must not be negative, got {value!r}")
    return value

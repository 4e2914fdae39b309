"""Reading the markers' thresholds and windows from `markers.toml`, whatever the tables.

Each table of the file is read into the frozen dataclass its marker declares (see
`rules.config.load_marker_config` for who declares which); every key is required and typed,
so a missing or mistyped threshold stops the program with the file and key named instead of
quietly falling back to a number hidden in code.
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

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
class MarkerConfig:
    """The whole file: each table read into the dataclass its reader declared, by name.

    `config.risk_level` is the `[risk_level]` table; a marker's table bears its id.
    """

    tables: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        # Read through __dict__: while a copy is being built `tables` is not there yet.
        tables = self.__dict__.get("tables")
        if tables is None or name not in tables:
            raise AttributeError(name)
        return tables[name]


def read_marker_file(path: Path, tables: Mapping[str, type]) -> MarkerConfig:
    """Read `path`, each of `tables` (name to dataclass) required and checked."""
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError as error:
        raise ConfigError(path, "", "no such file") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, "", f"not valid TOML ({error})") from error
    # A table nothing reads is left alone; keys inside a table are checked for misspellings.
    values = {}
    for name in sorted(tables):
        if name not in data:
            raise ConfigError(path, name, "missing")
        values[name] = _read_table(data[name], tables[name], path, prefix=f"{name}.")
    return MarkerConfig(values)


def _read_table(data: Any, cls: type[T], path: Path, prefix: str) -> T:
    """Build the dataclass `cls` from a TOML table, checking every key's presence and type."""
    if not isinstance(data, dict):
        raise ConfigError(path, prefix.rstrip("."), "expected a table")
    fields = {field.name for field in dataclasses.fields(cls)}
    unknown = sorted(set(data) - fields)
    if unknown:
        # A misspelt threshold would otherwise be silently ignored.
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

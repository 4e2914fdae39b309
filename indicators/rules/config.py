"""The markers file, `markers.toml`: every table its readers declare, read and checked.

A marker with thresholds declares its settings dataclass in the registry
(`rules.markers.REGISTRY`), read from the table named by its id; the run's window and the
composite level declare theirs here. Errors name the file and the key (`settings.ConfigError`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mobwatch.indicators.rules.markers import settings_tables
from mobwatch.indicators.rules.risk import RiskLevelConfig
from mobwatch.indicators.rules.settings import ConfigError, MarkerConfig, read_marker_file

# The project's markers.toml: a link to it in a checkout, a copy in an installed package.
DEFAULT_MARKERS_FILE = (Path(__file__).parent / "markers.toml").resolve()

__all__ = ["DEFAULT_MARKERS_FILE", "ConfigError", "MarkerConfig", "load_marker_config"]


@dataclass(frozen=True)
class AlertsConfig:
    recent_window_days: int


def load_marker_config(path: Path | None = None) -> MarkerConfig:
    """Read the markers file (default: the project's `markers.toml`)."""
    tables = {"alerts": AlertsConfig, "risk_level": RiskLevelConfig, **settings_tables()}
    return read_marker_file(path or DEFAULT_MARKERS_FILE, tables)

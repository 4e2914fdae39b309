"""Where things live and what to watch: home, database URL, sources, markers, alerts files.

Precedence for each setting: the command-line option, then the environment variable
(`MOBWATCH_HOME`, `MOBWATCH_DB_URL`), then the project's default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from mobwatch.fetching.client import USER_AGENT
from mobwatch.fetching.user_agents import UserAgents
from mobwatch.parsers import PARSERS
from mobwatch.parsers.base import Source

_PACKAGE = Path(__file__).resolve().parents[1]  # the checkout, or the installed `mobwatch`
# The files at the top of a checkout, through the links to them in the packages that read
# them (an installed package holds copies there). Markers and alerts are found as
# `rules.config` and `alerts.routing` find them, without importing either.
DEFAULT_SOURCES = (Path(__file__).parent / "sources.toml").resolve()
DEFAULT_MARKERS = (_PACKAGE / "indicators" / "rules" / "markers.toml").resolve()
DEFAULT_ALERTS = (_PACKAGE / "alerts" / "alerts.toml").resolve()


class ConfigurationError(Exception):
    """The program cannot run with this configuration (the message says what to fix)."""


@dataclass(frozen=True)
class Settings:
    home: Path
    db_url: str
    sources_file: Path
    markers_file: Path
    alerts_file: Path = DEFAULT_ALERTS

    @classmethod
    def resolve(
        cls,
        home: str | Path | None = None,
        db: str | None = None,
        sources: str | Path | None = None,
        markers: str | Path | None = None,
        alerts: str | Path | None = None,
    ) -> Settings:
        home_dir = Path(
            home or os.environ.get("MOBWATCH_HOME") or platformdirs.user_data_dir("mobwatch")
        ).expanduser()
        home_dir.mkdir(parents=True, exist_ok=True)
        db_url = db or os.environ.get("MOBWATCH_DB_URL") or f"sqlite:///{home_dir / 'mobwatch.db'}"
        return cls(
            home=home_dir,
            db_url=db_url,
            sources_file=Path(sources) if sources else DEFAULT_SOURCES,
            markers_file=Path(markers) if markers else DEFAULT_MARKERS,
            alerts_file=Path(alerts) if alerts else DEFAULT_ALERTS,
        )


# The HTTP client's politeness and limits, settable in the sources file's [http] table.
HTTP_SETTINGS: dict[str, type] = {
    "user_agent": str,
    "user_agents": dict,  # [http.user_agents]: host = "User-Agent", for hosts that need one
    "connect_timeout": float,
    "read_timeout": float,
    "total_timeout": float,
    "max_bytes": int,
    "retries": int,
    "backoff_base": float,
    "per_host": int,
    "min_interval": float,  # the pacer's, not the client's: see load_min_interval
}
_PACING = "min_interval"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigurationError(f"sources file not found: {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(f"{path}: not valid TOML: {error}") from error


def load_http_settings(path: Path) -> dict[str, Any]:
    """Keyword arguments for `HttpClient` from the optional `[http]` table."""
    return {key: value for key, value in _http_table(path).items() if key != _PACING}


def load_min_interval(path: Path) -> float:
    """`[http] min_interval`: the seconds between two requests to one host, kept across every
    worker sharing the store; 0 (no pause) when unset."""
    interval = _http_table(path).get(_PACING, 0.0)
    if interval < 0:
        raise ConfigurationError(f"{path}: [http] {_PACING} must not be negative")
    return interval


def _http_table(path: Path) -> dict[str, Any]:
    table = _read_toml(path).get("http", {})
    settings: dict[str, Any] = {}
    for key, value in table.items():
        kind = HTTP_SETTINGS.get(key)
        if kind is None:
            raise ConfigurationError(f"{path}: [http] has no setting {key!r}")
        if kind is dict:
            settings[key] = _host_table(path, key, value)
            continue
        if isinstance(value, bool) or not isinstance(value, (kind, int)):
            raise ConfigurationError(f"{path}: [http] {key} must be a {kind.__name__}")
        settings[key] = kind(value)
    return settings


def _host_table(path: Path, key: str, value: object) -> dict[str, str]:
    """A table of host names to strings, checked as the client will use it."""
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigurationError(f"{path}: [http.{key}] must map host names to strings")
    try:
        UserAgents(USER_AGENT, value)
    except ValueError as error:
        raise ConfigurationError(f"{path}: [http.{key}] {error}") from error
    return value


def load_sources(path: Path) -> list[Source]:
    """Read and check the sources file: unique names, known parsers, http(s) URLs."""
    data = _read_toml(path)
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        raise ConfigurationError(f"{path}: no [[sources]] entries")
    sources: list[Source] = []
    for index, entry in enumerate(entries, start=1):
        where = f"{path}: source #{index}"
        missing = [key for key in ("name", "parser", "url") if not entry.get(key)]
        if missing:
            raise ConfigurationError(f"{where}: missing {', '.join(missing)}")
        if entry["parser"] not in PARSERS:
            known = ", ".join(sorted(PARSERS))
            raise ConfigurationError(f"{where}: unknown parser {entry['parser']!r} ({known})")
        if urlsplit(entry["url"]).scheme not in ("http", "https"):
            raise ConfigurationError(f"{where}: url must be http or https")
        options = {k: v for k, v in entry.items() if k not in ("name", "parser", "url")}
        sources.append(Source(entry["name"], entry["parser"], entry["url"], options))
    names = [source.name for source in sources]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ConfigurationError(f"{path}: duplicate source names: {', '.join(duplicates)}")
    return sources

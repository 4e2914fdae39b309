"""Which Prefect API a one-shot pass records its run on, if any — found without importing
Prefect, whose import alone costs a second of CPU and about 70 MB.

In order: the API the operator configured for Prefect (`PREFECT_API_URL` as Prefect reads
it: the environment, a `.env`, `prefect.toml` or `pyproject.toml` in the working
directory, the active profile), then the local server a running `mobwatch serve` started
and announced under mobwatch's home. With neither, there is nothing to record a run on:
Prefect would start a temporary server for the one run and throw it away with its record.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

SERVED_FILE = "prefect-server.json"  # under mobwatch's home, while `mobwatch serve` runs
API_URL = "PREFECT_API_URL"


@dataclass(frozen=True)
class PrefectApi:
    url: str
    origin: str  # where it was found, for the run's output
    served: bool = False  # announced by `mobwatch serve`: Prefect itself does not know it


def configured_api(
    environ: Mapping[str, str] = os.environ, cwd: Path | None = None
) -> PrefectApi | None:
    """The API Prefect itself would use, from the places Prefect reads it."""
    if environ.get(API_URL):
        return PrefectApi(environ[API_URL], f"{API_URL} in the environment")
    here = cwd or Path.cwd()
    found = _dotenv(here / ".env")
    if found:
        return PrefectApi(found, f"{API_URL} in {here / '.env'}")
    found = _toml_value(here / "prefect.toml", ("api", "url"))
    if found:
        return PrefectApi(found, f"api.url in {here / 'prefect.toml'}")
    found = _toml_value(here / "pyproject.toml", ("tool", "prefect", "api", "url"))
    if found:
        return PrefectApi(found, f"[tool.prefect] api.url in {here / 'pyproject.toml'}")
    return _profile_api(environ)


def _dotenv(path: Path) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    for line in lines:
        key, sep, value = line.removeprefix("export ").partition("=")
        if sep and key.strip() == API_URL:
            return value.strip().strip("'\"") or None
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}  # a file Prefect could not read either sets nothing


def _toml_value(path: Path, keys: tuple[str, ...]) -> str | None:
    node: Any = _read_toml(path)
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node if isinstance(node, str) and node else None


def _profile_api(environ: Mapping[str, str]) -> PrefectApi | None:
    prefect_home = Path(environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(environ.get("PREFECT_PROFILES_PATH") or prefect_home / "profiles.toml")
    data = _read_toml(path.expanduser())
    active = environ.get("PREFECT_PROFILE") or data.get("active") or "ephemeral"
    profile = data.get("profiles", {}).get(active, {})
    url = profile.get(API_URL) if isinstance(profile, dict) else None
    if isinstance(url, str) and url:
        return PrefectApi(url, f"the Prefect profile {active!r} ({path})")
    return None


def announce_served(home: Path, api_url: str) -> Path:
    """Tell one-shot passes under this home where `mobwatch serve`'s server listens."""
    path = home / SERVED_FILE
    path.write_text(json.dumps({"api_url": api_url, "pid": os.getpid()}), encoding="utf-8")
    return path


def served_api(home: Path, timeout: float = 1.0) -> PrefectApi | None:
    """The server a running `mobwatch serve` announced under `home`, if it answers."""
    path = home / SERVED_FILE
    try:
        announced = json.loads(path.read_text(encoding="utf-8"))
        url = str(announced["api_url"])
    except (FileNotFoundError, json.JSONDecodeError, KeyError, TypeError):
        return None
    # A `serve` killed with -9 leaves its file behind: only a server that answers counts.
    try:
        healthy = httpx.get(f"{url}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        healthy = False
    return PrefectApi(url, f"`mobwatch serve`'s server ({path})", served=True) if healthy else None

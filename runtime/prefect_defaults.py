"""Prefect settings mobwatch starts with unless the operator set them.

Prefect's server sends usage telemetry by default; mobwatch runs must not reach any host
but the sources they watch, so it is off unless explicitly enabled.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

DEFAULTS = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def apply_prefect_defaults(environ: MutableMapping[str, str] = os.environ) -> None:
    """Set the defaults in the environment; call before Prefect is imported."""
    for key, value in DEFAULTS.items():
        environ.setdefault(key, value)

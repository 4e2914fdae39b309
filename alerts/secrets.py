"""Secrets for the channels: from the environment, or a Prefect Secret block standing in.

A `Secret` prints as `Secret('********')`, so a repr in a log line, an f-string or a
traceback's locals never shows the value; only `reveal()` does, where a channel needs it.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__


def read_secret(environ: Mapping[str, str], variable: str, block: str | None) -> Secret | None:
    """The environment variable, else the Prefect Secret block named `block`, else None.

    Blocks are looked up only when a Prefect API is configured: without one, Prefect would
    start a temporary API that holds no blocks, just to say so.
    """
    value = environ.get(variable, "").strip()
    if value:
        return Secret(value)
    if block is None:
        return None
    return _prefect_secret(block)


def _prefect_secret(name: str) -> Secret | None:
    from prefect.blocks.system import Secret as SecretBlock
    from prefect.settings import get_current_settings

    if not get_current_settings().api.url:
        return None
    try:
        block = SecretBlock.load(name)
    except (ValueError, httpx.HTTPError):  # no such block, or the API did not answer
        return None
    value = str(block.get()).strip()
    return Secret(value) if value else None

"""Which User-Agent a request sends: the program's own, or a host's override.

mobwatch names itself by default (docs/sources.md §7). Some sites answer a descriptive client
with a block page or a redirect — Telegram's previews, TASS behind its anti-bot wall, the
Kremlin's pages — and are read with the browser User-Agent the sources file gives for them
(`[http.user_agents]`), as docs/sources.md recommends. One fixed string per host, never rotated;
requests keep their pace (`min_interval`) and conditional requests whatever they send.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping


class UserAgents:
    """The User-Agent for a host: the longest configured domain it is or lies under."""

    def __init__(self, default: str, overrides: Mapping[str, str]) -> None:
        for domain, agent in overrides.items():
            if not domain.strip() or "/" in domain or ":" in domain:
                raise ValueError(f"not a host name: {domain!r}")
            if not agent.strip() or any(ord(char) < 32 for char in agent):
                raise ValueError(f"not a User-Agent for {domain}: {agent!r}")
        self.default = default
        self._overrides = {
            domain.strip().lower().strip("."): agent for domain, agent in overrides.items()
        }

    def for_host(self, host: str) -> str:
        name = host.lower().rstrip(".")
        if _is_address(name):  # an address has no parent domains
            return self._overrides.get(name, self.default)
        while True:
            if name in self._overrides:
                return self._overrides[name]
            if "." not in name:
                return self.default
            name = name.split(".", 1)[1]


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True

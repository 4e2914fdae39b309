"""Validators for conditional requests (ETag, Last-Modified) and where they are kept.

The client reads validators before a request and sends `If-None-Match` /
`If-Modified-Since`; it writes them only when the caller says the page was processed
(`HttpClient.remember`), so a page whose parse failed is fetched in full next time.
Keys are full URLs, query string included.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Validators | None:
        """The validators a response's headers carry, or None."""
        lowered = {name.lower(): value for name, value in headers.items()}
        found = cls(etag=lowered.get("etag"), last_modified=lowered.get("last-modified"))
        return found if found.etag or found.last_modified else None

    def as_request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class ValidatorStore(Protocol):
    def get(self, url: str) -> Validators | None: ...

    def get_many(self, urls: Collection[str]) -> dict[str, Validators]: ...

    def put(self, url: str, validators: Validators) -> None: ...

    def put_many(self, values: Mapping[str, Validators]) -> None: ...


class MemoryValidators:
    """A `ValidatorStore` in a dict, safe to share between threads."""

    def __init__(self) -> None:
        self._by_url: dict[str, Validators] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> Validators | None:
        with self._lock:
            return self._by_url.get(url)

    def get_many(self, urls: Collection[str]) -> dict[str, Validators]:
        with self._lock:
            return {url: self._by_url[url] for url in urls if url in self._by_url}

    def put(self, url: str, validators: Validators) -> None:
        with self._lock:
            self._by_url[url] = validators

    def put_many(self, values: Mapping[str, Validators]) -> None:
        with self._lock:
            self._by_url.update(values)

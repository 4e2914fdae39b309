"""The one error the HTTP client raises."""

from __future__ import annotations


class FetchError(Exception):
    """A URL could not be fetched: network failure, timeout, refusal or an HTTP error status.

    `reason` is short and readable ("HTTP 503 after 4 attempts", "timed out after 30 s");
    it never carries request headers, so it is safe for logs and source-health records.
    """

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"{reason} ({url})")
        self.url = url
        self.reason = reason
        self.status = status

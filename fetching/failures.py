"""Reading failed responses: which are worth another attempt, and how to say what went wrong."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from mobwatch.fetching.decoding import decode_body
from mobwatch.fetching.inflate import decoded_chunks

MiB = 1024 * 1024
_SNIFF_BYTES = 64 * 1024
# Words of anti-bot and geo-block pages (StormWall, Qrator, Cloudflare, DDoS-Guard).
_BLOCK_MARKERS = ("captcha", "stormwall", "qrator", "cloudflare", "ddos", "не робот", "not a bot")


class Retryable(Exception):
    """An attempt failed in a way a later one may not: network, timeout, 408, 429, 5xx."""

    def __init__(
        self, reason: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


def after_attempts(failure: Retryable, attempts: int) -> str:
    if attempts == 1:
        return failure.reason
    if failure.status is not None:
        return f"{failure.reason} after {attempts} attempts"
    return f"{failure.reason} ({attempts} attempts)"


def network_reason(exc: httpx.TransportError) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "reset" in text:
        return "connection reset"
    return f"connection failed: {str(exc) or type(exc).__name__}"


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def is_block_page(response: httpx.Response, deadline: float) -> bool:
    """Whether a 403 is an anti-bot or geo-block page, not an API's own refusal."""
    if "html" in response.headers.get("content-type", ""):
        return True
    head = b""
    for chunk in decoded_chunks(response):
        head += chunk
        if len(head) >= _SNIFF_BYTES or time.monotonic() > deadline:
            break
    text = decode_body(head[:_SNIFF_BYTES], response.headers.get("content-type", "")).lower()
    return any(marker in text for marker in _BLOCK_MARKERS)


def size_text(n: int) -> str:
    for unit, factor in (("MiB", MiB), ("KiB", 1024)):
        if n >= factor and n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n} bytes"

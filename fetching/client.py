"""The program's one HTTP client: polite, bounded, and plain about why a fetch failed.

Every fetch goes through `HttpClient.get`, which
- identifies itself honestly, or as the sources file says for a host that blocks
  descriptive clients (`user_agents.py`), and asks for Russian (see docs/sources.md §7);
- bounds each attempt in time (connect, each read, and a deadline for the whole attempt,
  redirects included, checked as body chunks arrive) and in size (Content-Length up front,
  then the decoded bytes while streaming, so a gzip bomb stops at the cap);
- retries connection errors, timeouts, 408, 429 and 5xx with exponential backoff, honouring
  Retry-After up to a cap;
- follows redirects itself: only to allowed schemes, and to another host only when asked;
- lets at most `per_host` requests run against one host at once, across threads;
- with a `pacer`, asks it before every request (retries and redirects too), so requests to
  one host keep their distance, within the process or across workers (`pacing.py`);
- sends conditional requests from a `ValidatorStore` but writes to it only via `remember`.

One instance is meant to be shared by every thread of a run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType

import httpx

from mobwatch.fetching.errors import FetchError
from mobwatch.fetching.failures import (
    MiB,
    Retryable,
    after_attempts,
    is_block_page,
    network_reason,
    parse_retry_after,
    size_text,
)
from mobwatch.fetching.inflate import ACCEPTED, decoded_chunks
from mobwatch.fetching.pacing import Pacing
from mobwatch.fetching.page import Page
from mobwatch.fetching.transport import LazyTlsTransport
from mobwatch.fetching.user_agents import UserAgents
from mobwatch.fetching.validators import Validators, ValidatorStore

__all__ = ["FetchError", "HttpClient", "NotModified"]  # FetchError is part of get's contract

USER_AGENT = "mobwatch/0.1 (+https://github.com/mobwatch/mobwatch; early-warning research monitor)"
ACCEPT_LANGUAGE = "ru-RU,ru;q=0.9,en;q=0.8"

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRIED_4XX = frozenset({408, 429})


@dataclass(frozen=True)
class NotModified:
    """The server answered 304: unchanged since the validators that `remember` stored."""

    url: str


class HttpClient:
    """Share one instance between threads; close it when done, or use it in `with`."""

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        user_agents: Mapping[str, str] | None = None,
        connect_timeout: float = 10,
        read_timeout: float = 30,
        total_timeout: float = 60,
        max_bytes: int = 10 * MiB,
        retries: int = 3,
        backoff_base: float = 1.0,
        backoff_cap: float = 30.0,
        max_retry_after: float = 120.0,
        per_host: int = 2,
        max_redirects: int = 5,
        allowed_schemes: Sequence[str] = ("http", "https"),
        validators: ValidatorStore | None = None,
        pacer: Pacing | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if retries < 0 or per_host < 1:
            raise ValueError("retries must be >= 0 and per_host >= 1")
        self._http = httpx.Client(
            headers={
                "Accept-Language": ACCEPT_LANGUAGE,
                "Accept-Encoding": ACCEPTED,  # only what decoded_chunks can undo
            },
            transport=transport or LazyTlsTransport(),
            follow_redirects=False,
        )
        self._agents = UserAgents(user_agent, user_agents or {})
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._total_timeout = total_timeout
        self._total_reason = f"timed out after {total_timeout:g} s for the whole request"
        self._max_bytes = max_bytes
        self._retries = retries
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._max_retry_after = max_retry_after
        self._per_host = per_host
        self._max_redirects = max_redirects
        self._schemes = tuple(allowed_schemes)
        self._validators = validators
        self._pacer = pacer
        self._sleep = sleep
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._slots_lock = threading.Lock()
        self._expected: dict[str, Validators | None] = {}  # see `expect`
        self._expected_lock = threading.Lock()

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str | Sequence[str]] | None = None,
        conditional: bool = True,
        allow_cross_host: bool = False,
    ) -> Page | NotModified:
        """Fetch `url` with `params` added to its query string (keys may repeat).

        A 2xx gives a `Page` whose `url` is the final URL, query included, and whose
        `headers` have lower-case names; a 304 gives `NotModified`; anything else raises
        `FetchError`. With `conditional`, the validators stored for the URL are sent, but
        `get` never stores new ones: call `remember(page)` once the page has been processed,
        so that a page whose processing failed is fetched in full next time.
        """
        target = self._target(url, params)
        attempt = 1
        while True:
            try:
                return self._attempt(url, target, conditional, allow_cross_host)
            except Retryable as failure:
                if attempt > self._retries:
                    reason = after_attempts(failure, attempt)
                    raise FetchError(url, reason, status=failure.status) from failure.__cause__
                self._sleep(self._delay(url, failure, attempt))
                attempt += 1

    def expect(self, urls: Collection[str]) -> None:
        """Read the validators of URLs about to be fetched in one go: the pages a plan or a
        listing leads to. Each answer stands for one `get` of its URL, which then need not
        read them itself."""
        if self._validators is None or not urls:
            return
        found = self._validators.get_many(urls)
        with self._expected_lock:
            self._expected.update((url, found.get(url)) for url in urls)

    def _kept(self, store: ValidatorStore, url: str) -> Validators | None:
        with self._expected_lock:
            if url in self._expected:
                return self._expected.pop(url)
        return store.get(url)

    def remember(self, *pages: Page) -> None:
        """Store the pages' ETag / Last-Modified so the next get of their URLs is conditional
        (all in one write).

        Call it only once the pages have been processed (parsed, stored): a page remembered
        and then lost would come back as `NotModified` and never be read again.
        """
        if self._validators is None:
            return
        found = {page.url: Validators.from_headers(page.headers) for page in pages}
        self._validators.put_many({url: value for url, value in found.items() if value is not None})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _target(self, url: str, params: Mapping[str, str | Sequence[str]] | None) -> httpx.URL:
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL: {exc}") from exc
        if target.scheme not in self._schemes:
            raise FetchError(url, f"scheme not allowed: {target.scheme or 'none'}")
        return target.copy_merge_params(params) if params else target

    def _delay(self, url: str, failure: Retryable, attempt: int) -> float:
        if failure.retry_after is None:
            return min(self._backoff_base * 2.0 ** (attempt - 1), self._backoff_cap)
        if failure.retry_after > self._max_retry_after:
            reason = (
                f"{failure.reason}, Retry-After {failure.retry_after:g} s"
                f" is over the {self._max_retry_after:g} s cap"
            )
            raise FetchError(url, reason, status=failure.status)
        return failure.retry_after

    def _attempt(
        self, url: str, target: httpx.URL, conditional: bool, allow_cross_host: bool
    ) -> Page | NotModified:
        """One try: the request and the redirects it leads to, under one deadline."""
        deadline = time.monotonic() + self._total_timeout
        hop, seen = target, {str(target)}
        for _ in range(self._max_redirects + 1):
            # Waiting for the host's turn is politeness, not the server being slow: the
            # deadline moves by the time waited.
            deadline += self._pace(hop)
            outcome = self._hop(url, hop, conditional, deadline)
            if not isinstance(outcome, httpx.URL):
                return outcome
            if outcome.scheme not in self._schemes:
                raise FetchError(url, f"redirect to a disallowed scheme: {outcome.scheme}")
            if outcome.host != target.host and not allow_cross_host:
                raise FetchError(url, f"redirect to another host: {outcome.host}")
            if str(outcome) in seen:
                raise FetchError(url, "redirect loop")
            hop = outcome
            seen.add(str(hop))
        raise FetchError(url, f"more than {self._max_redirects} redirects")

    def _pace(self, hop: httpx.URL) -> float:
        """Wait until the pacer lets a request to the hop's host go; the seconds waited."""
        if self._pacer is None:
            return 0.0
        started = time.monotonic()
        self._pacer.wait(str(hop))
        return time.monotonic() - started

    def _hop(
        self, url: str, hop: httpx.URL, conditional: bool, deadline: float
    ) -> Page | NotModified | httpx.URL:
        """One request; a redirect comes back as the URL to request next."""
        # Validators belong to the URL that gave them, so each hop looks up its own.
        store = self._validators if conditional else None
        known = self._kept(store, str(hop)) if store is not None else None
        headers = known.as_request_headers() if known else {}
        headers["User-Agent"] = self._agents.for_host(hop.host)
        timeout = self._timeout(deadline)
        with self._slot(hop.host):
            try:
                with self._http.stream("GET", hop, headers=headers, timeout=timeout) as response:
                    return self._answer(url, response, deadline)
            except httpx.TimeoutException as exc:
                raise Retryable(self._timeout_reason(exc, deadline)) from exc
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                raise Retryable(network_reason(exc)) from exc
            except httpx.TransportError as exc:  # unsupported protocol, proxy: retrying won't help
                raise FetchError(url, f"request failed: {exc}") from exc
            except httpx.DecodingError as exc:
                raise FetchError(url, f"undecodable body: {exc}") from exc

    def _answer(
        self, url: str, response: httpx.Response, deadline: float
    ) -> Page | NotModified | httpx.URL:
        status = response.status_code
        location = response.headers.get("location")
        if status in _REDIRECTS and location:
            try:
                return response.url.join(location)
            except httpx.InvalidURL as exc:
                raise FetchError(url, f"redirect to an invalid URL: {exc}") from exc
        if status == 304:
            return NotModified(str(response.url))
        if 200 <= status < 300:
            return Page(
                url=str(response.url),
                body=self._read_body(url, response, deadline),
                content_type=response.headers.get("content-type", ""),
                status=status,
                headers=dict(response.headers),
            )
        if status in _RETRIED_4XX or status >= 500:
            wait = parse_retry_after(response.headers.get("retry-after"))
            raise Retryable(f"HTTP {status}", status=status, retry_after=wait)
        if status == 403 and is_block_page(response, deadline):
            raise FetchError(url, "HTTP 403 (blocked)", status=status)
        raise FetchError(url, f"HTTP {status}", status=status)

    def _read_body(self, url: str, response: httpx.Response, deadline: float) -> bytes:
        too_large = f"body larger than {size_text(self._max_bytes)}"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise FetchError(url, too_large)
        chunks: list[bytes] = []
        size = 0
        # decoded_chunks inflates in bounded steps, so the cap holds against gzip bombs: the
        # peak is the cap plus one step, not one network read inflated (some 64 MiB of zeros).
        for chunk in decoded_chunks(response):
            size += len(chunk)
            if size > self._max_bytes:
                raise FetchError(url, too_large)
            if time.monotonic() > deadline:
                raise Retryable(self._total_reason)
            chunks.append(chunk)
        return b"".join(chunks)

    def _timeout(self, deadline: float) -> httpx.Timeout:
        left = deadline - time.monotonic()
        if left <= 0:
            raise Retryable(self._total_reason)
        connect, read = min(self._connect_timeout, left), min(self._read_timeout, left)
        return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)

    def _timeout_reason(self, exc: httpx.TimeoutException, deadline: float) -> str:
        if time.monotonic() >= deadline:
            return self._total_reason
        if isinstance(exc, httpx.ConnectTimeout):
            return f"timed out connecting after {self._connect_timeout:g} s"
        if isinstance(exc, httpx.PoolTimeout):
            return "timed out waiting for a free connection"
        return f"timed out after {self._read_timeout:g} s without data"

    @contextmanager
    def _slot(self, host: str) -> Iterator[None]:
        with self._slots_lock:
            slot = self._slots.get(host)
            if slot is None:
                slot = self._slots[host] = threading.BoundedSemaphore(self._per_host)
        with slot:
            yield

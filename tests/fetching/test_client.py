from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler

import pytest

from mobwatch.demo.server import LoopbackServer, Reply, Request
from mobwatch.fetching.client import FetchError, HttpClient, NotModified
from mobwatch.fetching.page import Page
from mobwatch.fetching.validators import MemoryValidators, Validators

JSON = "application/json; charset=utf-8"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(sleeps: list[float]) -> Iterator[Callable[..., HttpClient]]:
    """Clients that record their backoff instead of sleeping."""
    made: list[HttpClient] = []

    def make(**options: object) -> HttpClient:
        options.setdefault("validators", MemoryValidators())
        made.append(HttpClient(sleep=sleeps.append, **options))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for client in made:
        client.close()


def answers(*replies: Reply) -> Callable[[Request, BaseHTTPRequestHandler], Reply]:
    """A handler giving these replies in turn, then the last one forever."""
    queue = list(replies)

    def handler(request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return handler


def fetch_error(client: HttpClient, url: str, **options: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        client.get(url, **options)  # type: ignore[arg-type]
    return caught.value


def test_200_gives_a_page(server: LoopbackServer, make_client: Callable[..., HttpClient]) -> None:
    server.add("/api/Documents", '{"items": ["Указ"]}'.encode(), content_type=JSON)
    page = make_client().get(server.url + "/api/Documents")
    assert isinstance(page, Page)
    assert (page.status, page.body, page.content_type) == (
        200,
        '{"items": ["Указ"]}'.encode(),
        JSON,
    )
    assert page.url == server.url + "/api/Documents"
    assert page.headers["etag"].startswith('"')


def test_sends_user_agent_and_accept_language(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    server.add("/a", b"x")
    make_client().get(server.url + "/a")
    headers = server.requests[0].headers
    assert headers["user-agent"].startswith("mobwatch/0.1 (+https://github.com/mobwatch/mobwatch")
    assert headers["accept-language"] == "ru-RU,ru;q=0.9,en;q=0.8"


def test_repeated_query_parameters_are_sent_and_kept_in_the_page_url(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    server.add("/api/Documents", b"[2]", content_type=JSON, query={"Index": "2"})
    params = {"DocumentTypes": ["a", "b"], "Index": "2"}
    page = make_client().get(server.url + "/api/Documents?PageSize=200", params=params)
    assert isinstance(page, Page)
    assert page.body == b"[2]"
    expected = "/api/Documents?PageSize=200&DocumentTypes=a&DocumentTypes=b&Index=2"
    assert server.requests[0].path == expected
    assert page.url == server.url + expected


def test_second_get_after_remember_is_a_304(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    server.add("/api/Documents", b"[]", content_type=JSON, query={"Index": "1"})
    validators = MemoryValidators()
    client = make_client(validators=validators)
    url = server.url + "/api/Documents"
    page = client.get(url, params={"Index": "1"})
    assert isinstance(page, Page)
    assert validators.get(page.url) is None  # get alone never stores validators
    client.remember(page)
    assert validators.get(url + "?Index=1") == Validators(
        page.headers["etag"], page.headers["last-modified"]
    )

    again = client.get(url, params={"Index": "1"})
    assert again == NotModified(url + "?Index=1")
    assert server.requests[1].headers["if-none-match"] == page.headers["etag"]
    assert server.requests[1].headers["if-modified-since"] == page.headers["last-modified"]
    assert isinstance(client.get(url, params={"Index": "1"}, conditional=False), Page)
    assert "if-none-match" not in server.requests[2].headers


class CountedValidators(MemoryValidators):
    """The validators in memory, with the reads counted."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []

    def get(self, url: str) -> Validators | None:
        self.reads.append(url)
        return super().get(url)

    def get_many(self, urls: Collection[str]) -> dict[str, Validators]:
        self.reads.append(f"{len(urls)} at once")
        return super().get_many(urls)


def test_expected_pages_read_their_validators_in_one_go(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    for name in ("a", "b", "c"):
        server.add(f"/news/{name}", name.encode())
    validators = CountedValidators()
    client = make_client(validators=validators)
    kept = client.get(server.url + "/news/a")
    assert isinstance(kept, Page)
    client.remember(kept)
    validators.reads.clear()
    urls = [server.url + f"/news/{name}" for name in ("a", "b", "c")]
    client.expect(urls)
    assert client.get(urls[0]) == NotModified(urls[0])  # what was kept, read in advance
    assert isinstance(client.get(urls[1]), Page)
    assert validators.reads == ["3 at once"]
    # An answer stands for one get: the next one reads the store again.
    assert client.get(urls[0]) == NotModified(urls[0])
    assert validators.reads == ["3 at once", urls[0]]


def test_get_without_remember_is_not_conditional(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    server.add("/feed.atom", b"<feed/>")
    client = make_client()
    client.get(server.url + "/feed.atom")
    assert isinstance(client.get(server.url + "/feed.atom"), Page)
    assert all("if-none-match" not in request.headers for request in server.requests)


def test_retries_503_with_exponential_backoff(
    server: LoopbackServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    server.add_handler("/flaky", answers(Reply(503), Reply(503), Reply(body=b"ok")))
    page = make_client().get(server.url + "/flaky")
    assert isinstance(page, Page)
    assert page.body == b"ok"
    assert len(server.requests) == 3
    assert sleeps == [1.0, 2.0]


def test_backoff_is_capped(
    server: LoopbackServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    server.add("/down", b"", status=502)
    fetch_error(make_client(retries=5, backoff_cap=3), server.url + "/down")
    assert sleeps == [1.0, 2.0, 3.0, 3.0, 3.0]


def test_429_honours_retry_after_seconds(
    server: LoopbackServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    limited = Reply(429, headers={"Retry-After": "2"})
    server.add_handler("/limited", answers(limited, Reply(body=b"ok")))
    assert isinstance(make_client().get(server.url + "/limited"), Page)
    assert sleeps == [2.0]


def test_retry_after_as_an_http_date(
    server: LoopbackServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    server.add_handler("/limited", answers(Reply(503, headers={"Retry-After": when}), Reply()))
    make_client().get(server.url + "/limited")
    assert 27 <= sleeps[0] <= 30


def test_retry_after_over_the_cap_fails_at_once(
    server: LoopbackServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    server.add("/limited", b"", status=429, headers={"Retry-After": "3600"})
    error = fetch_error(make_client(), server.url + "/limited")
    assert error.status == 429
    assert "Retry-After 3600 s is over the 120 s cap" in error.reason
    assert sleeps == []
    assert len(server.requests) == 1


def test_500_on_every_attempt_is_a_fetch_error(
    server: LoopbackServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    server.add("/broken", b"oops", status=500)
    error = fetch_error(make_client(), server.url + "/broken?token=x")
    assert (error.status, error.reason) == (500, "HTTP 500 after 4 attempts")
    assert error.url == server.url + "/broken?token=x"
    assert len(server.requests) == 4
    assert sleeps == [1.0, 2.0, 4.0]


def test_404_is_not_retried(
    server: LoopbackServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    error = fetch_error(make_client(), server.url + "/missing")
    assert (error.status, error.reason) == (404, "HTTP 404")
    assert len(server.requests) == 1
    assert sleeps == []


def test_403_block_page_is_named(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    server.add("/act.html", b"<h1>Access denied</h1>", status=403)
    server.add("/api", b'{"error": "token"}', status=403, content_type=JSON)
    server.add("/plain", b"StormWall: checking you are not a bot", status=403)
    client = make_client()
    assert fetch_error(client, server.url + "/act.html").reason == "HTTP 403 (blocked)"
    assert fetch_error(client, server.url + "/api").reason == "HTTP 403"
    assert fetch_error(client, server.url + "/plain").reason == "HTTP 403 (blocked)"


def test_read_timeout(server: LoopbackServer, make_client: Callable[..., HttpClient]) -> None:
    def stall(request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        time.sleep(1)
        return Reply()

    server.add_handler("/stall", stall)
    error = fetch_error(make_client(read_timeout=0.3, retries=1), server.url + "/stall")
    assert error.reason == "timed out after 0.3 s without data (2 attempts)"
    assert error.status is None


def test_slow_drip_is_stopped_by_the_total_deadline(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    # Every piece arrives well within the read timeout; only the deadline stops it.
    drip = Reply(body=b"x" * 100, chunk_size=1, chunk_delay=0.05)
    server.add_handler("/drip", lambda request, raw: drip)
    client = make_client(read_timeout=1, total_timeout=0.5, retries=0)
    started = time.monotonic()
    error = fetch_error(client, server.url + "/drip")
    assert error.reason == "timed out after 0.5 s for the whole request"
    assert time.monotonic() - started < 1.5


def test_body_over_the_cap_with_content_length(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    server.add("/big", b"x" * 2000)
    error = fetch_error(make_client(max_bytes=1000), server.url + "/big")
    assert error.reason == "body larger than 1000 bytes"


def test_chunked_body_over_the_cap_is_stopped_while_streaming(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    server.add_handler("/big", lambda request, raw: Reply(body=b"x" * 5000, chunk_size=100))
    error = fetch_error(make_client(max_bytes=1024), server.url + "/big")
    assert error.reason == "body larger than 1 KiB"


def test_gzip_bodies_are_decoded_and_a_gzip_bomb_hits_the_cap(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    bomb = gzip.compress(b"\0" * (4 * 1024 * 1024))
    assert len(bomb) < 10_000
    gzipped = {"Content-Encoding": "gzip"}
    server.add("/bomb", bomb, headers=gzipped)
    server.add("/small", gzip.compress("Указ".encode()), headers=gzipped)
    client = make_client(max_bytes=1024 * 1024)
    assert fetch_error(client, server.url + "/bomb").reason == "body larger than 1 MiB"
    page = client.get(server.url + "/small")
    assert isinstance(page, Page)
    assert page.text == "Указ"


def test_follows_redirects_on_the_same_host(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    server.add("/old", b"", status=301, headers={"Location": "/new?x=1"})
    server.add("/new", b"here")
    page = make_client().get(server.url + "/old")
    assert isinstance(page, Page)
    assert (page.url, page.body) == (server.url + "/new?x=1", b"here")


def test_redirect_to_another_host_needs_permission(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    port = server.url.rsplit(":", 1)[1]
    other = f"http://localhost:{port}/there"
    server.add("/away", b"", status=302, headers={"Location": other})
    server.add("/there", b"there")
    client = make_client()
    error = fetch_error(client, server.url + "/away")
    assert error.reason == "redirect to another host: localhost"
    page = client.get(server.url + "/away", allow_cross_host=True)
    assert isinstance(page, Page)
    assert page.url == other


@pytest.mark.parametrize("location", ["ftp://127.0.0.1/file", "file:///etc/passwd"])
def test_redirect_to_another_scheme_is_refused(
    server: LoopbackServer, make_client: Callable[..., HttpClient], location: str
) -> None:
    server.add("/away", b"", status=302, headers={"Location": location})
    error = fetch_error(make_client(), server.url + "/away", allow_cross_host=True)
    assert error.reason.startswith("redirect to a disallowed scheme")


def test_redirect_loop_and_long_chains_fail(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    server.add("/a", b"", status=302, headers={"Location": "/b"})
    server.add("/b", b"", status=302, headers={"Location": "/a"})
    for n in range(7):
        server.add(f"/chain/{n}", b"", status=302, headers={"Location": f"/chain/{n + 1}"})
    client = make_client()
    assert fetch_error(client, server.url + "/a").reason == "redirect loop"
    assert fetch_error(client, server.url + "/chain/0").reason == "more than 5 redirects"


def test_other_schemes_are_refused_up_front(make_client: Callable[..., HttpClient]) -> None:
    assert fetch_error(make_client(), "file:///etc/passwd").reason == "scheme not allowed: file"


def test_connection_refused_is_retried_then_reported(
    make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, now closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = fetch_error(make_client(retries=1), f"http://127.0.0.1:{port}/")
    assert error.reason == "connection refused (2 attempts)"
    assert sleeps == [1.0]


def test_dropped_connection_is_retried(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    served = []

    def drop_once(request: Request, raw: BaseHTTPRequestHandler) -> Reply | None:
        served.append(request)
        if len(served) == 1:
            raw.connection.shutdown(socket.SHUT_RDWR)
            return None
        return Reply(body=b"ok")

    server.add_handler("/shaky", drop_once)
    page = make_client().get(server.url + "/shaky")
    assert isinstance(page, Page)
    assert page.body == b"ok"


def test_no_more_than_per_host_requests_at_once(
    server: LoopbackServer, make_client: Callable[..., HttpClient]
) -> None:
    lock = threading.Lock()
    active, peak = [0], [0]

    def slow(request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.15)
        with lock:
            active[0] -= 1
        return Reply(body=b"ok")

    server.add_handler("/slow", slow)
    client = make_client(per_host=2)
    with ThreadPoolExecutor(max_workers=5) as pool:
        pages = list(pool.map(lambda _: client.get(server.url + "/slow"), range(5)))
    assert all(isinstance(page, Page) for page in pages)
    assert len(server.requests) == 5
    assert peak[0] == 2

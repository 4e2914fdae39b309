"""Pacing: which host a request counts against, the shared book of slots in the store, and
the client asking its pacer before every request it makes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from itertools import pairwise
from pathlib import Path

import pytest
import sqlalchemy as sa

from mobwatch.demo.server import Handler, LoopbackServer, Reply, Request
from mobwatch.fetching.client import HttpClient
from mobwatch.fetching.pacing import Pacer, host_key
from mobwatch.fetching.page import Page
from mobwatch.fetching.shared_pacing import SharedPacer
from mobwatch.pipeline.pass_client import pass_client
from mobwatch.pipeline.settings import ConfigurationError, load_http_settings, load_min_interval
from mobwatch.store.store import Store
from mobwatch.store.tables import host_pacing

EPOCH = 1_764_547_200.0  # 2025-12-01, as the database's clock would give it


class FakeClock:
    """Epoch seconds that move only when someone sleeps."""

    def __init__(self) -> None:
        self.now = EPOCH
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def in_turn(*replies: Reply) -> Handler:
    """These replies one after another, then the last one again."""
    queue = list(replies)

    def handler(request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return handler


class RecordingPacer:
    def __init__(self, pause: float = 0.0) -> None:
        self.urls: list[str] = []
        self.pause = pause

    def wait(self, url: str) -> None:
        self.urls.append(url)
        time.sleep(self.pause)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


def test_a_host_is_its_name_and_any_port_but_the_default() -> None:
    assert host_key("http://Kremlin.RU/acts/news/feed") == "kremlin.ru"
    assert host_key("https://kremlin.ru:443/x") == host_key("http://kremlin.ru:80/") == "kremlin.ru"
    assert host_key("http://kremlin.ru:443/") == "kremlin.ru:443"
    assert host_key("http://127.0.0.1:8001/a") == "127.0.0.1:8001"
    assert host_key("http://127.0.0.1:8001/a") != host_key("http://127.0.0.1:8002/a")


def test_the_shared_book_spaces_one_hosts_requests_and_no_others(store: Store) -> None:
    clock = FakeClock()
    pacer = SharedPacer(store, 1.0, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        pacer.wait("http://t.me/s/one")
    assert clock.slept == [1.0, 1.0]
    pacer.wait("http://kremlin.ru/acts/news/feed")  # another host: its own turn, now
    pacer.wait("http://t.me:8443/s/one")  # another port: another server
    assert clock.slept == [1.0, 1.0]
    clock.now += 0.25
    pacer.wait("https://t.me/s/two")  # 0.75 s left of the interval after the last one
    assert clock.slept == [1.0, 1.0, 0.75]
    clock.now += 5
    pacer.wait("http://t.me/s/one")  # long enough ago: no wait
    assert clock.slept == [1.0, 1.0, 0.75]


def test_workers_booking_in_one_store_queue_behind_each_other(store: Store) -> None:
    clock = FakeClock()
    slept: dict[str, list[float]] = {"a": [], "b": []}
    workers = {
        name: SharedPacer(store, 2.0, clock=clock, sleep=slept[name].append) for name in slept
    }
    # Both at the same moment (no one has slept yet): each booking takes the next slot.
    for name in ("a", "b", "a", "b"):
        workers[name].wait("http://publication.pravo.gov.ru/api/Documents")
    assert slept == {"a": [4.0], "b": [2.0, 6.0]}


def test_the_book_reads_the_databases_clock(store: Store) -> None:
    pacer = SharedPacer(store, 0.2)
    started = time.monotonic()
    for _ in range(3):
        pacer.wait("http://127.0.0.1:9/")
    assert time.monotonic() - started >= 0.4 - 0.01


def test_no_interval_books_nothing(store: Store) -> None:
    SharedPacer(store, 0).wait("http://t.me/s/one")
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(host_pacing)).scalar() == 0


def test_the_client_asks_the_pacer_before_every_request() -> None:
    pacer = RecordingPacer()
    with LoopbackServer() as server, HttpClient(pacer=pacer, sleep=lambda _: None) as client:
        server.add_handler("/old", in_turn(Reply(302, headers={"Location": "/new"})))
        server.add_handler("/new", in_turn(Reply(503), Reply(200, b"ok")))
        page = client.get(server.url + "/old")
        assert isinstance(page, Page) and page.body == b"ok"
        # A redirect, a 503, then the retry's redirect and its answer: four requests.
        asked = [server.url + request.path for request in server.requests]
    assert asked == [f"{server.url}/{path}" for path in ("old", "new", "old", "new")]
    assert pacer.urls == asked


def test_waiting_for_a_turn_does_not_count_against_the_deadline() -> None:
    pacer = RecordingPacer(pause=0.3)
    with (
        LoopbackServer() as server,
        HttpClient(pacer=pacer, total_timeout=0.2, retries=0) as client,
    ):
        server.add("/feed.atom", b"<feed/>")
        page = client.get(server.url + "/feed.atom")
    assert isinstance(page, Page) and page.body == b"<feed/>"


def test_the_in_process_pacer_keys_on_the_port_too() -> None:
    clock = FakeClock()
    pacer = Pacer(1.0, clock=clock, sleep=clock.sleep)
    pacer.wait("http://127.0.0.1:8001/a")
    pacer.wait("http://127.0.0.1:8002/a")
    pacer.wait("http://127.0.0.1:8001/b")
    assert clock.slept == [1.0]


def test_min_interval_is_read_from_the_http_table(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text("[http]\nretries = 1\n", "utf-8")
    assert load_min_interval(sources) == 0.0  # unset: no pause
    sources.write_text("[http]\nretries = 1\nmin_interval = 1\n", "utf-8")
    assert load_min_interval(sources) == 1.0
    assert load_http_settings(sources) == {"retries": 1}  # the pacer's, not the client's
    sources.write_text("[http]\nmin_interval = -1\n", "utf-8")
    with pytest.raises(ConfigurationError, match="min_interval must not be negative"):
        load_min_interval(sources)
    sources.write_text('[http]\nmin_interval = "1s"\n', "utf-8")
    with pytest.raises(ConfigurationError, match="min_interval must be a float"):
        load_min_interval(sources)


def test_the_pass_client_paces_through_the_store(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text("[http]\nmin_interval = 0.3\n", "utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    arrivals: list[float] = []

    def note(request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        arrivals.append(time.monotonic())
        return Reply(200, b"ok")

    try:
        with LoopbackServer() as server, pass_client(store, sources) as client:
            server.add_handler("/page", note)
            for _ in range(3):
                client.get(server.url + "/page")
            with store.engine.connect() as conn:
                booked = conn.execute(sa.select(host_pacing.c.host)).scalars().all()
            assert booked == [host_key(server.url)]
    finally:
        store.close()
    assert len(arrivals) == 3
    # Paced by the send, seen at arrival: the first request also opens the connection, so
    # a gap may be short of 0.3 s by that; unpaced, the three arrive within milliseconds.
    assert all(later - earlier >= 0.3 - 0.1 for earlier, later in pairwise(arrivals))

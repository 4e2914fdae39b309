from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from mobwatch.fetching.page import Page
from mobwatch.fetching.validators import Validators
from mobwatch.indicators.extract.acts import merge
from mobwatch.indicators.model import Alert, Confidence, Evidence, Indicator, Observation, Severity
from mobwatch.store.history import Change
from mobwatch.store.store import Store


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


def callup(
    size: int | None, *, source: str = "kremlin-acts", url: str = "http://k/1", **kw
) -> Observation:
    return Observation(
        indicator=Indicator.CALLUP_DECREE,
        event_date=date(2024, 9, 30),
        title="О призыве в октябре – декабре 2024 г. граждан на военную службу",
        url=url,
        source=source,
        evidence=f"… в количестве {size} человек." if size else "",
        value=size,
        unit="persons" if size else None,
        period_start=date(2024, 10, 1),
        period_end=date(2024, 12, 31),
        document_number=kw.pop("number", "822"),
        confidence=kw.pop("confidence", Confidence.OFFICIAL),
        links=[Evidence(url=url, quote="q", source=source)],
        **kw,
    )


def test_saving_the_same_fact_twice_stores_one_row(store: Store) -> None:
    assert store.save_observation(callup(133_000), merge) == Change.NEW
    assert store.save_observation(callup(133_000), merge) == Change.UNCHANGED
    assert store.counts()["observations"] == 1


def test_two_sources_enrich_one_observation(store: Store) -> None:
    portal = callup(None, source="pravo-president", url="http://p/0001202409300001")
    feed = callup(133_000, source="kremlin-acts", url="http://k/75208")
    assert store.save_observation(portal, merge) == Change.NEW
    assert store.save_observation(feed, merge) == Change.UPDATED
    [stored] = store.observations()
    assert stored.value == 133_000
    assert {link.url for link in stored.links} == {"http://p/0001202409300001", "http://k/75208"}


def test_observations_of_some_subjects_and_days(store: Store) -> None:
    def payment(region: str | None, day: int) -> Observation:
        return Observation(
            indicator=Indicator.REGIONAL_BONUS,
            event_date=date(2024, 10, day),
            title=f"{region}: выплата",
            url=f"http://r/{region}/{day}",
            source="news",
            evidence="…",
            value=1_000_000,
            unit="RUB",
            region=region,
        )

    for region, day in [("RU-KGN", 3), ("RU-TUL", 3), ("RU-KGN", 20), (None, 3), ("RU-BA", 4)]:
        store.save_observation(payment(region, day), merge)
    store.save_observation(callup(133_000), merge)
    window = (date(2024, 10, 1), date(2024, 10, 10))
    found = store.observations(
        Indicator.REGIONAL_BONUS, between=window, regions={"RU-KGN", "RU-BA"}
    )
    assert [(obs.region, obs.event_date.day) for obs in found] == [("RU-KGN", 3), ("RU-BA", 4)]
    assert store.observations(Indicator.REGIONAL_BONUS, regions=set()) == []
    assert len(store.observations(Indicator.REGIONAL_BONUS, between=window)) == 4


def test_seed_adds_only_unknown_facts_and_never_overwrites(store: Store) -> None:
    store.save_observation(callup(133_000), merge)
    seeded = callup(999_999, source="seed:facts.md", confidence=Confidence.UNVERIFIED)
    other = callup(120_000, source="seed:facts.md", confidence=Confidence.UNVERIFIED)
    other.period_start = date(2022, 11, 1)
    other.event_date = date(2022, 9, 30)
    assert store.seed([seeded, other]) == 1
    assert store.seed([seeded, other]) == 0
    values = {obs.campaign: obs.value for obs in store.observations()}
    assert values == {"2024-autumn": 133_000, "2022-autumn": 120_000}


def test_bodies_are_archived_once_by_content_hash_and_read_back(store: Store) -> None:
    page = Page(url="http://p/api?Index=1", body="Указ № 822".encode(), content_type="text/plain")
    first = store.archive("pravo-president", page)
    second = store.archive("pravo-president", page)
    assert first == second
    assert store.counts()["bodies"] == 1
    assert store.counts()["fetches"] == 2
    assert store.archived_body(first).decode() == "Указ № 822"
    assert [p.body for p in store.archived_pages("pravo-president")] == [page.body, page.body]


def test_validators_round_trip(store: Store) -> None:
    assert store.get("http://k/feed") is None
    store.put("http://k/feed", Validators(etag='"abc"', last_modified=None))
    store.put("http://k/feed", Validators(etag='"def"', last_modified="Mon, 30 Sep 2024"))
    assert store.get("http://k/feed") == Validators(etag='"def"', last_modified="Mon, 30 Sep 2024")


def test_a_sources_pages_are_archived_in_one_go_as_one_at_a_time(store: Store) -> None:
    stored = Page(url="http://p/1", body=b"kept before", content_type="text/html")
    store.archive("kremlin", stored)
    again = Page(url="http://p/1?again", body=b"kept before", content_type="text/html")
    new = Page(url="http://p/2", body=b"new", content_type="text/html")
    twice = Page(url="http://p/3", body=b"new", content_type="text/html")
    digests = store.archive_pages("kremlin", [again, new, twice])
    assert digests == [store.archive("other", again), digests[1], digests[1]]
    assert store.counts()["bodies"] == 2  # each body once, however often and whenever fetched
    assert store.counts()["fetches"] == 5
    urls = [page.url for page in store.archived_pages("kremlin")]
    assert urls == ["http://p/1", "http://p/1?again", "http://p/2", "http://p/3"]
    assert store.archive_pages("kremlin", []) == []


def test_many_validators_are_put_at_once_replacing_what_was_kept(store: Store) -> None:
    store.put("http://k/a", Validators(etag='"old"', last_modified=None))
    urls = [f"http://k/{n}" for n in range(1_200)] + ["http://k/a"]  # more than one IN (…)
    store.put_many({url: Validators(etag=f'"{url}"', last_modified=None) for url in urls})
    assert store.get("http://k/a") == Validators(etag='"http://k/a"', last_modified=None)
    assert store.get("http://k/1199") == Validators(etag='"http://k/1199"', last_modified=None)
    store.put_many({})


def alert(fingerprint: str = "f" * 64) -> Alert:
    return Alert(
        marker="force_size_increase",
        severity=Severity.CRITICAL,
        title="Force size raised by 180,000",
        fingerprint=fingerprint,
        fired_on=date(2024, 9, 16),
        evidence=(Evidence(url="http://k/1", quote="в том числе 1 500 000 военнослужащих"),),
    )


def test_an_alert_is_recorded_once_and_delivered_once_per_channel(store: Store) -> None:
    assert store.record_alert(alert()) is True
    assert store.record_alert(alert()) is False
    assert [a.fingerprint for a in store.undelivered("console")] == ["f" * 64]
    store.record_delivery("f" * 64, "console", error="stream closed")
    assert len(store.undelivered("console")) == 1
    store.record_delivery("f" * 64, "console")
    assert store.undelivered("console") == []
    assert len(store.undelivered("jsonl")) == 1
    [stored] = store.alerts()
    assert "console" in stored.delivered and not stored.delivered["console"].startswith("error")


def test_source_health_counts_failures_in_a_row(store: Store) -> None:
    store.record_source_run("kremlin-acts", items=5, error=None)
    store.record_source_run("kremlin-acts", items=0, error="HTTP 503 after 4 attempts")
    health = store.record_source_run("kremlin-acts", items=0, error="timed out after 30 s")
    assert health.consecutive_failures == 2
    assert health.last_error == "timed out after 30 s"
    assert health.items_seen == 5
    assert store.record_source_run("kremlin-acts", items=2, error=None).consecutive_failures == 0


def test_the_seed_is_applied_once_per_version_of_the_seed_file(
    store: Store, tmp_path: Path
) -> None:
    from mobwatch.store.seed import DEFAULT_HISTORY_FILE, seed_store

    copy = tmp_path / "history.csv"
    copy.write_bytes(DEFAULT_HISTORY_FILE.read_bytes())
    added = seed_store(store, copy)
    assert added == store.counts()["observations"] > 20
    assert seed_store(store, copy) == 0
    lines = copy.read_text("utf-8").splitlines()
    copy.write_text("\n".join(lines[:-1]) + "\n", "utf-8")  # a changed file is re-read
    assert seed_store(store, copy) == 0  # …and adds nothing the store already has
    assert store.meta("seed_digest") is not None


def test_concurrent_merges_into_one_fact_lose_no_report(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    reports = [callup(None, source=f"source-{n}", url=f"http://s/{n}") for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda obs: store.save_observation(obs, merge), reports))
    [stored] = store.observations()
    assert {link.url for link in stored.links} == {f"http://s/{n}" for n in range(8)}


def _open_when_told(url: str, start: Any, errors: Any) -> None:
    start.wait()
    try:
        Store.open(url).close()
    except OperationalError as error:
        errors.put(str(error.orig))


def test_workers_opening_a_new_sqlite_database_at_once_all_get_it(tmp_path: Path) -> None:
    # Switching a new file to WAL mode answers "locked" at once, with no busy timeout, to
    # another process opening it meanwhile: several workers starting together hit that.
    forking = multiprocessing.get_context("fork")
    errors = forking.Queue()
    for round_ in range(12):
        url = f"sqlite:///{tmp_path / f'new-{round_}.db'}"
        start = forking.Barrier(4)
        openers = [
            forking.Process(target=_open_when_told, args=(url, start, errors)) for _ in range(4)
        ]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join(60)
        assert [opener.exitcode for opener in openers] == [0] * 4
    assert errors.empty(), errors.get()

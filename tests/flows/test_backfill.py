"""Backfill: windows and pages back to a date, politely, resumable after an interruption."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from mobwatch.demo.server import LoopbackServer, Reply, Request
from mobwatch.fetching.client import HttpClient
from mobwatch.fetching.pacing import Pacer
from mobwatch.parsers.base import Source
from mobwatch.pipeline import backfill_stages
from mobwatch.pipeline.backfill_stages import BackfillReport, backfill_source, month_windows
from mobwatch.pipeline.settings import load_sources
from mobwatch.store.records import observation_to_record
from mobwatch.store.store import Store

SINCE, UNTIL = date(2023, 6, 1), date(2024, 12, 31)


class Interrupted(Exception):
    """Stands for the operator's Ctrl-C or a killed worker."""


class InterruptingClient:
    """The real client, stopped by a hook before its request number `after + 1`."""

    def __init__(self, client: HttpClient, after: int | None) -> None:
        self.client, self.after, self.made = client, after, 0

    def get(self, url: str, **options):  # type: ignore[no-untyped-def]
        if self.after is not None and self.made >= self.after:
            raise Interrupted(url)
        self.made += 1
        return self.client.get(url, **options)

    def remember(self, *pages) -> None:  # type: ignore[no-untyped-def]
        self.client.remember(*pages)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


FEDERAL = ("pravo_api", "kremlin_feed")


def _backfill(
    store: Store,
    sources_file: Path,
    *,
    after: int | None = None,
    pacer: Pacer | None = None,
    kinds: tuple[str, ...] = FEDERAL,
) -> list[BackfillReport]:
    with HttpClient(validators=store, retries=0, pacer=pacer) as real:
        client = InterruptingClient(real, after)
        return [
            backfill_source(
                source,
                client=client,  # type: ignore[arg-type]
                store=store,
                since=SINCE,
                until=UNTIL,
            )
            for source in load_sources(sources_file)
            # By default the federal sources, whose archives the tests below count pages of.
            if source.parser in kinds
        ]


def _records(store: Store) -> list[dict[str, object]]:
    return [observation_to_record(obs) for obs in store.observations()]


def test_month_windows_cover_the_range_newest_first() -> None:
    windows = month_windows(date(2024, 1, 15), date(2024, 3, 10))
    assert [(w.since, w.until) for w in windows] == [
        (date(2024, 3, 1), date(2024, 3, 10)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 1, 15), date(2024, 1, 31)),
    ]
    assert [w.key for w in month_windows(date(2024, 12, 1), date(2025, 1, 31))] == [
        "window:2025-01-01/2025-01-31",
        "window:2024-12-01/2024-12-31",
    ]
    with pytest.raises(ValueError):
        month_windows(date(2024, 2, 1), date(2024, 1, 1))


def test_backfill_reads_windows_and_pages_back_to_the_date(
    tmp_path: Path, samples: LoopbackServer, sample_sources: Path
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'm.db'}")
    clock = FakeClock()
    pravo, kremlin = _backfill(
        store, sample_sources, pacer=Pacer(1.0, clock=clock, sleep=clock.sleep)
    )
    # The portal: one query per month of the range, each with its two pages.
    assert pravo.segments == pravo.finished == 19
    assert pravo.requests == 38 and not pravo.errors
    windows = {r.query.get("PublishDateFrom", [""])[0] for r in samples.requests}
    assert {"01.06.2023", "01.12.2024"} <= windows
    # The feed: page 1 reaches back to July 2023, page 2 past the start date: no page 3.
    assert kremlin.requests == 2 and kremlin.complete
    assert [r.route for r in samples.requests if "feed" in r.route] == [
        "/acts/news/feed",
        "/acts/news/feed/page/2",
    ]
    kinds = Counter(obs.indicator for obs in store.observations() if obs.source != "seed:facts.md")
    assert kinds["callup_decree"] >= 3 and kinds["force_size_decree"] >= 2
    # Polite: every request after the first on a host waited out the rest of its second.
    assert len(clock.slept) == 39 and all(abs(s - 1.0) < 1e-9 for s in clock.slept)


def test_the_feed_is_paged_until_the_archive_ends(
    tmp_path: Path, samples: LoopbackServer, sample_sources: Path
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'm.db'}")
    [kremlin] = [s for s in load_sources(sample_sources) if s.name == "kremlin-acts"]
    with HttpClient(retries=0) as client:
        report = backfill_source(
            kremlin,
            client=client,
            store=store,
            since=date(2020, 1, 1),
            until=UNTIL,
        )
    # Page 3 answers 404: the archive ends there, which is not an error.
    assert report.requests == 3 and report.complete and not report.errors
    assert any("archive ends" in note for note in report.notes)


def test_an_interrupted_backfill_resumes_without_asking_twice(
    tmp_path: Path, samples: LoopbackServer, sample_sources: Path
) -> None:
    whole = Store.open(f"sqlite:///{tmp_path / 'whole.db'}")
    uninterrupted = sum(report.requests for report in _backfill(whole, sample_sources))
    whole_requests = [r.path for r in samples.requests]
    mark = len(whole_requests)

    resumed = Store.open(f"sqlite:///{tmp_path / 'resumed.db'}")
    with pytest.raises(Interrupted):
        _backfill(resumed, sample_sources, after=7)  # mid-window: page 1 of 2 read
    first = len(samples.requests) - mark
    reports = _backfill(resumed, sample_sources)
    assert first == 7
    assert first + sum(r.requests for r in reports) == uninterrupted
    assert sum(r.resumed for r in reports) == 1  # the window cut in half: its first page
    # Not one page asked for twice, and the same pages as the uninterrupted run.
    paths = [r.path for r in samples.requests[mark:]]
    assert len(paths) == len(set(paths))
    assert sorted(paths) == sorted(whole_requests)
    assert _records(resumed) == _records(whole)

    # A finished backfill over the same range asks for nothing.
    mark = len(samples.requests)
    again = _backfill(resumed, sample_sources)
    assert samples.requests[mark:] == [] and all(r.skipped == r.segments for r in again)
    assert _records(resumed) == _records(whole)


def test_a_resumed_feed_still_knows_where_its_archive_ends(
    tmp_path: Path, samples: LoopbackServer, sample_sources: Path
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'm.db'}")
    [kremlin] = [s for s in load_sources(sample_sources) if s.name == "kremlin-acts"]
    with HttpClient(retries=0) as real:

        def run(after: int | None) -> BackfillReport:
            return backfill_source(
                kremlin,
                client=InterruptingClient(real, after),  # type: ignore[arg-type]
                store=store,
                since=date(2020, 1, 1),
                until=UNTIL,
            )

        with pytest.raises(Interrupted):
            run(after=2)  # pages 1 and 2 read; page 3, further back, not yet asked for
        report = run(after=None)
    assert (report.resumed, report.requests) == (2, 1)
    assert report.complete and not report.errors
    assert [r.route for r in samples.requests] == [
        "/acts/news/feed",
        "/acts/news/feed/page/2",
        "/acts/news/feed/page/3",
    ]


def test_every_kind_of_demo_source_resumes_to_the_same_store(
    tmp_path: Path, samples: LoopbackServer, sample_sources: Path
) -> None:
    """Channels paged by `?before=`, news feeds and list pages resume like the portal."""
    kinds = ("kremlin_feed", "telegram", "rss", "html_list")
    whole = Store.open(f"sqlite:///{tmp_path / 'whole.db'}")
    reports = _backfill(whole, sample_sources, kinds=kinds)
    assert {r.source for r in reports if r.requests} >= {"kremlin-acts", "tg-radiyhabirov"}
    assert all(r.complete and not r.errors for r in reports), [r.errors for r in reports]
    mark = len(samples.requests)
    resumed = Store.open(f"sqlite:///{tmp_path / 'resumed.db'}")
    with pytest.raises(Interrupted):
        _backfill(resumed, sample_sources, after=9, kinds=kinds)  # mid-way through the rss
    _backfill(resumed, sample_sources, kinds=kinds)
    paths = [r.path for r in samples.requests[mark:]]
    assert len(paths) == len(set(paths)) == sum(r.requests for r in reports)
    assert _records(resumed) == _records(whole)


def _endless_channel_page(request: Request, raw: object) -> Reply:
    """A channel preview whose every page offers one more, older page, forever: each with a
    post of its own, all within the backfill's range, so only the cap stops the paging."""
    before = int(request.query.get("before", ["100000"])[0])
    post = before - 1
    published = datetime(2024, 12, 30, tzinfo=UTC) - timedelta(hours=100_000 - post)
    body = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Endless – Telegram</title>
<link rel="canonical" href="https://t.me/s/endless"/></head>
<body class="widget_frame_base tgme_webpage_body"><main class="tgme_main">
<section class="tgme_channel_history js-message_history">
<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/endless?before={post}"
 class="tme_messages_more js-messages_more" data-before="{post}"></a></div>
<div class="tgme_widget_message_wrap js-widget_message_wrap">
<div class="tgme_widget_message js-widget_message" data-post="endless/{post}">
<div class="tgme_widget_message_text js-message_text" dir="auto">Новости дня, № {post}.</div>
<div class="tgme_widget_message_footer"><a class="tgme_widget_message_date"
 href="https://t.me/endless/{post}"><time datetime="{published.isoformat()}">09:00</time></a>
</div></div></div></section></main></body></html>"""
    return Reply(200, body.encode(), content_type="text/html; charset=utf-8")


@pytest.mark.parametrize(("since", "cap"), [(date(2024, 1, 1), 12), (date(2023, 1, 1), 24)])
def test_a_pager_that_never_ends_is_stopped_at_the_cap_for_the_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, since: date, cap: int
) -> None:
    monkeypatch.setattr(backfill_stages, "MAX_LISTING_PAGES_PER_YEAR", 12)
    store = Store.open(f"sqlite:///{tmp_path / 'endless.db'}")
    try:
        with LoopbackServer() as server, HttpClient(validators=store, retries=0) as client:
            server.add_handler("/s/endless", _endless_channel_page)
            source = Source("endless", "telegram", f"{server.url}/s/endless")
            report = backfill_source(
                source, client=client, store=store, since=since, until=date(2024, 12, 31)
            )
    finally:
        store.close()
    assert report.requests == cap
    assert report.documents == cap
    assert any(f"stopped after {cap} list pages" in note for note in report.notes)
    assert report.finished == 1

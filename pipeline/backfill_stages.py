"""Backfill as plain functions: read a source's archive back to a date, resumably.

How far back a source reaches depends on its parser kind (see `mobwatch.parsers.base`):

- a kind whose `plan` filters by publication date (`DATE_WINDOWS`, the legal portal) is
  read month by month, newest first, each window with all its pages, so every query
  stays small;
- a kind whose pages name the page before them (`Parsed.older`: the Kremlin's
  `/feed/page/N`, a channel's `?before=`) is paged back until the entries are older than
  the date asked for, or the archive ends (a 404 on an older page);
- any other kind is read as far as its `plan` and follows reach (a plain news feed).

Resumable: each page read is recorded with the pages it led to once its documents are
stored, and each finished window once all its pages are (`BackfillProgress`), so a restart
after an interruption asks for no page it already has, and a later backfill skips the
windows already read. A page the server answers 304 is read from the raw archive. Polite:
the client's pacer spaces the requests to each host. Nothing here alerts: old evidence is
history, for `backtest` and the reports.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple
from urllib.parse import urlsplit

from mobwatch.fetching.client import FetchError, HttpClient, NotModified
from mobwatch.fetching.page import Page
from mobwatch.parsers import get_parser
from mobwatch.parsers.base import Document, NotConfigured, ParseContext, ParseError, Parser, Source
from mobwatch.pipeline.stages import add_changes, save_documents
from mobwatch.store.backfill_progress import BackfillProgress, page_key
from mobwatch.store.store import Store

# A listing (a feed, a channel, a news list) paged back further than this for each year of
# a segment is stopped with a note: a pager that never ends is a site's fault, not history.
# The pages its entries lead to (articles, acts) do not count: the entries bound them.
MAX_LISTING_PAGES_PER_YEAR = 500


@dataclass(frozen=True)
class Segment:
    """One resumable unit of a source's backfill."""

    key: str  # stable: `window:2024-09-01/2024-09-30` or `pages:2022-01-01/2024-12-31`
    since: date
    until: date


@dataclass
class BackfillReport:
    source: str
    segments: int = 0  # windows (or paged ranges) the range was cut into
    skipped: int = 0  # finished by an earlier backfill: not read again
    finished: int = 0  # finished by this run
    requests: int = 0
    pages: int = 0  # bodies downloaded
    not_modified: int = 0  # answered 304 and read from the archive
    resumed: int = 0  # pages read before an interruption: not asked for again
    documents: int = 0
    changes: dict[str, int] = field(default_factory=dict)  # Change → count
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return self.skipped + self.finished == self.segments


class Link(NamedTuple):
    """A page to read: its address, how many links from a planned page, reached by paging back."""

    url: str
    depth: int
    older: bool  # a 404 here ends the archive rather than failing the backfill


# Called after every page and segment: what a progress bar shows.
ProgressHook = Callable[[BackfillReport, Segment], None]


def month_windows(since: date, until: date) -> list[Segment]:
    """Calendar-month windows covering `since`..`until`, newest first, cut at both ends."""
    if since > until:
        raise ValueError(f"since {since} is after until {until}")
    windows = []
    start = since
    while start <= until:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        end = min(following - timedelta(days=1), until)
        windows.append(Segment(f"window:{start}/{end}", start, end))
        start = following
    return windows[::-1]


def segments_for(parser: Parser, since: date, until: date) -> list[Segment]:
    if getattr(parser, "DATE_WINDOWS", False):
        return month_windows(since, until)
    return [Segment(f"pages:{since}/{until}", since, until)]


def backfill_source(
    source: Source,
    *,
    client: HttpClient,
    store: Store,
    since: date,
    until: date,
    on_progress: ProgressHook | None = None,
) -> BackfillReport:
    """Read one source's archive from `since` to `until` into the store."""
    started = time.monotonic()
    parser = get_parser(source.parser)
    progress = BackfillProgress(store)
    report = BackfillReport(source.name)
    segments = segments_for(parser, since, until)
    report.segments = len(segments)
    finished = progress.finished_segments(source.name)
    for segment in segments:
        if segment.key in finished:
            report.skipped += 1
        else:
            reader = _SegmentReader(source, parser, segment, client, store, report)
            if reader.read(progress, since, on_progress):
                progress.segment_finished(source.name, segment.key)
                report.finished += 1
        if on_progress:
            on_progress(report, segment)
    report.seconds = time.monotonic() - started
    return report


class _SegmentReader:
    """One segment's pages: a queue started from the parser's plan, fed by each page."""

    def __init__(
        self,
        source: Source,
        parser: Parser,
        segment: Segment,
        client: HttpClient,
        store: Store,
        report: BackfillReport,
    ) -> None:
        self.source, self.parser, self.segment = source, parser, segment
        self.client, self.store, self.report = client, store, report
        self.home = urlsplit(source.url).netloc
        self.downloaded: list[Page] = []
        self.seen_documents: set[str] = set()

    def read(
        self, progress: BackfillProgress, since: date, on_progress: ProgressHook | None
    ) -> bool:
        """Read every page of the segment; True when all were read."""
        read_before = progress.pages_read(self.source.name, self.segment.key)
        try:
            start = self.parser.plan(self.source, self.segment.since, self.segment.until)
        except NotConfigured as missing:  # nothing to read until it is configured
            self.report.notes.append(f"not configured: {missing}")
            return True
        queue = deque(Link(url, 1, older=False) for url in start)
        queued = set(start)
        complete, listings = True, 0
        # 366: a calendar year counts as one, leap or not.
        years = math.ceil(((self.segment.until - self.segment.since).days + 1) / 366)
        most = MAX_LISTING_PAGES_PER_YEAR * years
        while queue:
            link = queue.popleft()
            listings += link.depth == 1  # planned pages and the pages further back
            if listings > most:
                self.report.notes.append(f"{self.segment.key}: stopped after {most} list pages")
                break
            recorded = read_before.get(page_key(link.url))
            if recorded is not None:
                following = [Link(*item) for item in recorded]
                self.report.resumed += 1
            else:
                read = self._read_page(link, since)
                if read is None:
                    complete = False
                    continue
                following = read
                progress.page_read(
                    self.source.name, self.segment.key, link.url, [list(item) for item in read]
                )
                if on_progress:
                    on_progress(self.report, self.segment)
            for item in following:
                if item.url not in queued:
                    queued.add(item.url)
                    queue.append(item)
        if complete:
            # Validators are kept once everything the pages led to is stored, as in `run`.
            self.client.remember(*self.downloaded)
        return complete

    def _read_page(self, link: Link, since: date) -> list[Link] | None:
        """Fetch, archive, parse and store one page; the pages it leads to, None on failure."""
        try:
            page = self._fetch(link.url)
        except FetchError as error:
            if link.older and error.status == 404:
                self.report.notes.append(f"the archive ends before {link.url}")
                return []
            self.report.errors.append(error.reason)
            return None
        context = ParseContext(self.source, self.segment.since, self.segment.until, link.depth)
        try:
            parsed = self.parser.parse(page, context)
        except ParseError as error:
            self.report.errors.append(error.reason)
            return None
        self._save(parsed.documents)
        # A parser may list the page before in time among its follows (it wants it for the
        # window): it is still a page further back, not a link from this one.
        follows = [url for url in parsed.follow if url != parsed.older and self._own(url)]
        following = [Link(url, link.depth + 1, older=False) for url in follows]
        goes_on = self._goes_on(parsed.documents, since)  # also notes the documents seen
        wanted = goes_on or parsed.older in parsed.follow
        if parsed.older and self._own(parsed.older) and wanted:
            # A page further back is a listing like the first: the same depth.
            following.append(Link(parsed.older, link.depth, older=True))
        return following

    def _fetch(self, url: str) -> Page:
        """The page's body: downloaded, or from the archive when the server says unchanged."""
        result = self._get(url, conditional=True)
        if isinstance(result, NotModified):
            self.report.not_modified += 1
            archived = self.store.archived_page(self.source.name, url)
            if archived is not None:
                return archived
            result = self._get(url, conditional=False)  # validators kept, body not: ask again
            if isinstance(result, NotModified):
                raise FetchError(url, "HTTP 304 to an unconditional request")
        self.report.pages += 1
        self.store.archive(self.source.name, result)
        self.downloaded.append(result)
        return result

    def _get(self, url: str, *, conditional: bool) -> Page | NotModified:
        self.report.requests += 1
        return self.client.get(url, conditional=conditional)

    def _own(self, url: str) -> bool:
        if urlsplit(url).netloc == self.home:
            return True
        self.report.notes.append(f"not followed (another host): {url}")
        return False

    def _goes_on(self, documents: list[Document], since: date) -> bool:
        """Page further back while this page is new and its entries not older than `since`."""
        fresh = {doc.url for doc in documents} - self.seen_documents
        self.seen_documents |= fresh
        dated = [doc.published for doc in documents if doc.published]
        return bool(fresh) and bool(dated) and min(dated) >= since

    def _save(self, documents: list[Document]) -> None:
        # The same saving as a monitoring pass: announcements join their stored reports.
        self.report.documents += len(documents)
        add_changes(self.report.changes, save_documents(documents, self.source, self.store))

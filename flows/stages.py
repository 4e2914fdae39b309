"""The pipeline's stages as plain functions: read a source, raise alerts, deliver them.

Each stage is callable on its own (tests and benchmarks do); `flows/monitor.py` wraps them
in Prefect tasks. A source's failure is data: it is recorded in source health and returned
in its report, never raised past the stage, so one broken source leaves the others alone.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

from fetching.client import FetchError, HttpClient, NotModified
from fetching.page import Page
from indicators.acts import merge, read_act
from indicators.config import MarkerConfig
from indicators.markers import evaluate
from indicators.model import Alert, Observation
from indicators.operator_markers import operator_alerts
from indicators.store import Change, Store
from parsers import get_parser
from parsers.base import Document, ParseError, Source


@dataclass
class SourceReport:
    source: str
    pages: int = 0  # bodies downloaded and parsed
    not_modified: int = 0  # pages answered 304: no download, no parsing
    documents: int = 0
    changes: dict[str, int] = field(default_factory=dict)  # Change → count
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, not failures
    expected_empty: bool = False
    seconds: float = 0.0

    @property
    def error(self) -> str | None:
        if not self.errors:
            return None
        more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        return self.errors[0] + more


def extract(documents: Iterable[Document], source: str) -> list[Observation]:
    """Documents to observations, one per real-world fact (several pages may show one act)."""
    by_key: dict[str, Observation] = {}
    for document in documents:
        observation = read_act(document, source)
        if observation is None:
            continue
        known = by_key.get(observation.key)
        by_key[observation.key] = merge(known, observation) if known else observation
    return list(by_key.values())


def save_documents(
    documents: Sequence[Document], source: Source, store: Store, report: SourceReport
) -> None:
    report.documents = len(documents)
    for observation in extract(documents, source.name):
        change = store.save_observation(observation, merge)
        report.changes[change] = report.changes.get(change, 0) + 1


def reparse_source(source: Source, *, store: Store) -> SourceReport:
    """Parse the source's archived bodies again: after a parser or extractor improves."""
    started = time.monotonic()
    parser = get_parser(source.parser)
    report = SourceReport(source.name)
    documents: list[Document] = []
    seen: set[tuple[str, bytes]] = set()
    for page in store.archived_pages(source.name):
        if (page.url, page.body) in seen:
            continue
        seen.add((page.url, page.body))
        report.pages += 1
        try:
            documents.extend(parser.parse(page).documents)
        except ParseError as error:
            report.errors.append(error.reason)
    save_documents(documents, source, store, report)
    report.seconds = time.monotonic() - started
    return report


def read_source(
    source: Source,
    *,
    client: HttpClient,
    store: Store,
    since: date | None = None,
    until: date | None = None,
) -> SourceReport:
    """Fetch, parse, extract and store one source; record its health."""
    started = time.monotonic()
    parser = get_parser(source.parser)
    report = SourceReport(source.name)
    home_host = urlsplit(source.url).hostname
    queue = deque(parser.plan(source, since, until))
    queued = set(queue)
    documents: list[Document] = []
    parsed_pages: list[Page] = []
    while queue:
        url = queue.popleft()
        try:
            result = client.get(url)
        except FetchError as error:
            report.errors.append(error.reason)
            continue
        if isinstance(result, NotModified):
            report.not_modified += 1
            continue
        report.pages += 1
        store.archive(source.name, result)
        try:
            parsed = parser.parse(result)
        except ParseError as error:
            report.errors.append(error.reason)
            continue
        parsed_pages.append(result)
        documents.extend(parsed.documents)
        report.expected_empty = report.expected_empty or parsed.expected_empty
        for follow in parsed.follow:
            if follow in queued:
                continue
            if urlsplit(follow).hostname != home_host:
                # Links in a feed may point anywhere; a source reads its own host only.
                report.notes.append(f"not followed (another host): {follow}")
                continue
            queued.add(follow)
            queue.append(follow)
    save_documents(documents, source, store, report)
    if not report.errors:
        # Validators are kept only once everything the pages led to was read and stored:
        # otherwise a 304 next time would hide the pages this run failed to read.
        for page in parsed_pages:
            client.remember(page)
    store.record_source_run(source.name, items=len(documents), error=report.error)
    report.seconds = time.monotonic() - started
    return report


def report_outcome(
    store: Store, source: Source, outcome: SourceReport | BaseException
) -> SourceReport:
    """A source whose stage crashed is recorded as failing, like any other failure."""
    if isinstance(outcome, SourceReport):
        return outcome
    report = SourceReport(source.name, errors=[f"internal error: {outcome!r}"])
    store.record_source_run(source.name, items=0, error=report.error)
    return report


def new_observations(reports: Sequence[SourceReport]) -> int:
    return sum(report.changes.get(Change.NEW, 0) for report in reports)


def raise_alerts(
    store: Store,
    config: MarkerConfig,
    *,
    as_of: date,
    window_days: int,
    reports: Sequence[SourceReport] = (),
) -> list[Alert]:
    """Evaluate the markers over the stored history; store and return the new alerts.

    Only evidence dated within the recent window alerts, so a first run over years of
    history floods no one; older history is for `backtest` and the reports.
    """
    window_start = as_of - timedelta(days=window_days)
    candidates = [
        alert
        for alert in evaluate(store.observations(), config, as_of=as_of)
        if window_start <= alert.fired_on <= as_of
    ]
    candidates += operator_alerts(store.source_health(), reports, config, as_of=as_of)
    return [alert for alert in candidates if store.record_alert(alert)]


def backtest(store: Store, config: MarkerConfig, *, since: date, until: date) -> list[Alert]:
    """Replay the stored history: every alert that would have fired, by date; sends nothing."""
    return [
        alert
        for alert in evaluate(store.observations(), config, as_of=until)
        if since <= alert.fired_on <= until
    ]

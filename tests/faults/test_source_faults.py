"""Every fault × every parser kind: a pass with one healthy and one faulty source.

Each test runs the stages a monitoring pass runs (`read_source` for each source, then
`raise_alerts`): first with both sources healthy, so the faulty one is known to be
productive (that pass is run once per kind and its database copied for each test), then
three times with every page of the faulty source answering with the fault. It checks that

- every pass completes (nothing escapes the stages);
- the healthy source reads exactly what it reads in a reference run without the faulty
  source, and the store ends up holding exactly the reference's observations and alerts;
- the faulty source's failure is in source health with a readable reason, and
  `source_failing` fires on the third failed run in a row, not before, not twice;
- a source that answers normally but parses to nothing fires `parser_drift` instead;
- a wrongly labelled or unlabelled windows-1251 page reads as if healthy;
- the 50 MB body and the gzip bomb are stopped by the size cap while streaming, with the
  traced memory peak far below the body size.

The client retries once and its sleep only records, so the matrix stays fast; against a
hang or a drip the faulty source has tiny timeouts. The client keeps validators in the
store, as in production, and (but for those two faults) the faulty source is read first
with the client the healthy one uses next, so a client left in a bad state would show.
Kinds are taken from the parser registry: a kind added later is covered as soon as it has
sample pages (see `fault_server.py`), and skipped with the reason until then.
"""

from __future__ import annotations

import re
import sqlite3
import time
import tracemalloc
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fault_server import (
    FAILS,
    FAILS_DRIFTS_OR_FEWER,
    FAILS_OR_DRIFTS,
    FAULTS,
    HUGE_BODY,
    READS,
    Bench,
    MiB,
)

from mobwatch.alerts.text import one_line
from mobwatch.fetching.client import HttpClient
from mobwatch.fetching.page import Page
from mobwatch.indicators.model import Alert
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.parsers import PARSERS, get_parser
from mobwatch.parsers.base import Source
from mobwatch.pipeline.stages import SourceReport, raise_alerts, read_source
from mobwatch.store.records import observation_to_record
from mobwatch.store.store import Store

KINDS = sorted(PARSERS)
AS_OF = date(2025, 12, 1)
SINCE = date(2022, 1, 1)
# One retry, and timeouts a loaded machine never reaches on loopback; tiny ones for the
# faulty source against the faults only time stops, so a hang or a drip costs little.
CLIENT = {"connect_timeout": 2, "read_timeout": 2, "total_timeout": 10, "retries": 1}
TIGHT = {"connect_timeout": 0.5, "read_timeout": 0.1, "total_timeout": 0.15}
SLOW = ("hang", "slow_drip")
FAULTY_PASSES = 3
MEMORY_BOUND = 20 * MiB
CYRILLIC = re.compile("[А-Яа-яЁё]{4}")
BIG = ("huge_body", "gzip_bomb")
CONFIG = load_marker_config()

# What the kinds known today do with the faults whose outcome depends on the parser: a
# layout they cannot read is a parse error (a failure); one that reads as empty is drift.
DRIFTS = "drifts"
FEWER = "reads fewer"
KNOWN: dict[tuple[str, str], tuple[str, str]] = {
    ("pravo_api", "error_page_200"): (FAILS, "HTML page instead of JSON (HTTP 200): Техни"),
    ("pravo_api", "empty_body_200"): (FAILS, "invalid JSON (HTTP 200)"),
    ("pravo_api", "invalid_json"): (FAILS, "invalid JSON (HTTP 200)"),
    ("pravo_api", "cut_document"): (FAILS, "invalid JSON (HTTP 200)"),
    ("pravo_api", "changed_layout"): (FAILS, "no `items` in the response"),
    ("kremlin_feed", "error_page_200"): (FAILS, "expected an Atom feed, got text/html: Техни"),
    ("kremlin_feed", "empty_body_200"): (FAILS, "broken XML"),
    ("kremlin_feed", "invalid_json"): (FAILS, "expected an Atom feed, got application/json"),
    ("kremlin_feed", "cut_document"): (FAILS, "broken XML"),
    ("kremlin_feed", "changed_layout"): (DRIFTS, ""),
}


@dataclass
class Pass:
    reports: dict[str, SourceReport]
    alerts: list[Alert]

    def operator(self) -> list[tuple[str, str]]:
        """(marker, source) of the operator alerts this pass raised."""
        return [(a.marker, a.evidence[0].source) for a in self.alerts if a.audience == "operator"]

    def analyst(self) -> list[str]:
        return [a.fingerprint for a in self.alerts if a.audience != "operator"]


@dataclass
class Reference:
    healthy: list[tuple[object, ...]]  # the healthy source's report, pass by pass
    observations: list[dict[str, object]]
    analyst_alerts: list[list[str]]
    faulty_documents: int  # what the faulty source reads when healthy


def run_pass(
    store: Store,
    sources: Sequence[Source],
    sleeps: list[float] | None = None,
    tight: str | None = None,
) -> Pass:
    """One monitoring pass over `sources`, as the flow runs it, without Prefect.

    Sources share one client, as in a pass; the source named `tight` has its own, with the
    tiny timeouts that keep a hang or a drip short.
    """
    sleep = sleeps.append if sleeps is not None else (lambda seconds: None)
    with (
        HttpClient(validators=store, sleep=sleep, **CLIENT) as client,
        HttpClient(validators=store, sleep=sleep, **(CLIENT | TIGHT)) as tight_client,
    ):
        reports = [
            read_source(
                source,
                client=tight_client if source.name == tight else client,
                store=store,
                since=SINCE,
            )
            for source in sources
        ]
    alerts = raise_alerts(store, CONFIG, as_of=AS_OF, window_days=30, reports=reports)
    return Pass({report.source: report for report in reports}, alerts)


def summary(report: SourceReport) -> tuple[object, ...]:
    return (report.pages, report.not_modified, report.documents, report.changes, report.errors)


def records(store: Store) -> list[dict[str, object]]:
    return [observation_to_record(obs) for obs in store.observations()]


def copy_store(template: Path, directory: Path) -> Store:
    """A store holding what the template holds (SQLite's online backup: WAL included)."""
    target = directory / "mobwatch.db"
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    return Store.open(f"sqlite:///{target}")


@pytest.fixture(scope="module")
def template(bench: Bench, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database after a first pass with both sources healthy."""
    path = tmp_path_factory.mktemp(f"template-{bench.kind}") / "mobwatch.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        first = run_pass(store, [bench.faulty_source, bench.healthy])
    finally:
        store.close()
    for report in first.reports.values():
        assert report.error is None and report.documents > 0, report
    return path


@pytest.fixture(scope="module")
def reference(bench: Bench, template: Path, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The three passes after the first, without the faulty source."""
    store = copy_store(template, tmp_path_factory.mktemp(f"reference-{bench.kind}"))
    try:
        passes = [run_pass(store, [bench.healthy]) for _ in range(FAULTY_PASSES)]
        return Reference(
            healthy=[summary(p.reports[bench.healthy.name]) for p in passes],
            observations=records(store),
            analyst_alerts=[p.analyst() for p in passes],
            faulty_documents=_documents_read(template, bench.faulty_source.name),
        )
    finally:
        store.close()


def _documents_read(template: Path, source: str) -> int:
    store = Store.open(f"sqlite:///{template}")
    try:
        return next(h.items_seen for h in store.source_health() if h.name == source)
    finally:
        store.close()


def readable(reason: str | None) -> bool:
    """One line, no control characters, no traceback, no crash dressed as a reason."""
    return bool(reason) and reason == one_line(reason, 10_000) and "internal error" not in reason


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("bench", KINDS, indirect=True)
def test_a_pass_survives_the_fault(
    bench: Bench, template: Path, reference: Reference, fault: str, tmp_path: Path
) -> None:
    spec = FAULTS[fault]
    healthy, faulty = bench.healthy, bench.faulty_source
    sleeps: list[float] = []
    store = copy_store(template, tmp_path)
    try:
        bench.faulty.serve(fault)
        try:
            passes = []
            for number in range(FAULTY_PASSES):
                traced = fault in BIG and number == 0
                if traced:
                    tracemalloc.start()
                try:
                    tight = faulty.name if fault in SLOW else None
                    passes.append(run_pass(store, [faulty, healthy], sleeps, tight))
                    peak = tracemalloc.get_traced_memory()[1] if traced else 0
                finally:
                    tracemalloc.stop()
                assert peak < MEMORY_BOUND, f"{fault}: {peak / MiB:.1f} MiB traced"
                if traced:
                    print(f"\n{bench.kind} {fault}: traced memory peak {peak / MiB:.1f} MiB")
        finally:
            bench.faulty.serve(None)

        # The healthy source read exactly what it reads without the faulty one.
        assert [summary(p.reports[healthy.name]) for p in passes] == reference.healthy
        assert records(store) == reference.observations
        assert [p.analyst() for p in passes] == reference.analyst_alerts
        health = {item.name: item for item in store.source_health()}
        assert health[healthy.name].consecutive_failures == 0

        faulty_reports = [p.reports[faulty.name] for p in passes]
        operator = [p.operator() for p in passes]
        outcome, words = KNOWN.get((bench.kind, fault), (spec.outcome, spec.reason))
        if outcome in (FAILS_OR_DRIFTS, FAILS_DRIFTS_OR_FEWER):  # which one, the pass says
            first = faulty_reports[0]
            fewer = outcome == FAILS_DRIFTS_OR_FEWER and first.documents
            outcome = FAILS if first.error else FEWER if fewer else DRIFTS

        if outcome == FAILS:
            for report in faulty_reports:
                assert readable(report.error), report.error
                assert words in report.error
                assert report.documents == 0
            assert health[faulty.name].consecutive_failures == FAULTY_PASSES
            assert words in health[faulty.name].last_error
            # source_failing on the third failed run in a row, for the faulty source only.
            assert operator == [[], [], [("source_failing", faulty.name)]]
        elif outcome == DRIFTS:
            for report in faulty_reports:
                assert report.error is None and report.pages > 0 and report.documents == 0
            assert health[faulty.name].consecutive_failures == 0
            # Drift once (its fingerprint is per day), and never a failure.
            assert operator == [[("parser_drift", faulty.name)], [], []]
        elif outcome == FEWER:
            # What is left of a cut page: fewer documents, and (the store is the reference's)
            # not one fact that the whole page does not give.
            for report in faulty_reports:
                assert report.error is None
                assert 0 < report.documents <= reference.faulty_documents
            assert operator == [[], [], []]
        else:
            assert outcome == READS
            for report in faulty_reports:
                assert report.error is None, report.error
                assert report.documents == reference.faulty_documents
                # Every act read again is the very observation the UTF-8 pages gave.
                assert set(report.changes) == {"unchanged"}, report.changes
            assert operator == [[], [], []]
            assert health[faulty.name].consecutive_failures == 0
    finally:
        store.close()

    if fault == "http_429":
        assert 1.0 in sleeps  # Retry-After honoured (by the recording sleep)
    if fault == "redirect_other_host":
        hosts = {request.headers.get("host", "") for request in bench.faulty.requests}
        assert not any(host.startswith("localhost") for host in hosts)
    if fault == "huge_body":
        sent = _huge_bodies_sent(bench, FAULTY_PASSES)
        assert all(size < HUGE_BODY for size in sent), sent


def _huge_bodies_sent(bench: Bench, count: int) -> list[int]:
    """What the huge-body handlers wrote before the client hung up (they finish just after)."""
    deadline = time.monotonic() + 5
    while len(bench.faulty.huge_sent) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return bench.faulty.huge_sent[-count:]


@pytest.mark.parametrize("fault", ["wrong_charset", "missing_charset"])
@pytest.mark.parametrize("bench", KINDS, indirect=True)
def test_windows_1251_pages_read_as_the_utf8_ones(bench: Bench, fault: str) -> None:
    """The same documents, Russian text included, whatever the label says."""
    parser = get_parser(bench.kind)
    url = parser.plan(bench.faulty_source, SINCE, None)[0]
    with HttpClient(**CLIENT) as client:
        healthy = client.get(url)
        bench.faulty.serve(fault)
        try:
            relabelled = client.get(url)
        finally:
            bench.faulty.serve(None)
    assert isinstance(healthy, Page) and isinstance(relabelled, Page)
    assert relabelled.body != healthy.body
    with pytest.raises(UnicodeDecodeError):
        relabelled.body.decode("utf-8")
    documents = parser.parse(relabelled).documents
    assert documents == parser.parse(healthy).documents
    assert any(CYRILLIC.search(doc.title + doc.text) for doc in documents)


@pytest.mark.parametrize("bench", ["pravo_api"], indirect=True)
def test_a_failure_is_recorded_the_same_on_every_database(bench: Bench, db_url: str) -> None:
    """Source health and source_failing on SQLite and PostgreSQL alike."""
    store = Store.open(db_url)
    try:
        run_pass(store, [bench.faulty_source, bench.healthy])
        bench.faulty.serve("http_503")
        try:
            passes = [run_pass(store, [bench.faulty_source, bench.healthy]) for _ in range(3)]
        finally:
            bench.faulty.serve(None)
        assert [p.operator() for p in passes][-1] == [("source_failing", bench.faulty_source.name)]
        health = {item.name: item for item in store.source_health()}
        assert health[bench.faulty_source.name].last_error.startswith("HTTP 503 after 2 attempts")
        assert health[bench.healthy.name].consecutive_failures == 0
    finally:
        store.close()


def test_the_reliability_table_lists_every_fault() -> None:
    table = (Path(__file__).resolve().parents[2] / "RELIABILITY.md").read_text("utf-8")
    rows = {line.split("|")[1].strip(" `") for line in table.splitlines() if line.startswith("| `")}
    assert len(FAULTS) >= 14
    assert rows == set(FAULTS)

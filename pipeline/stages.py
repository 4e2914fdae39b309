"""The pipeline's stages as plain functions: read a source, raise alerts, deliver them,
send the daily digest.

Each stage is callable on its own (tests and benchmarks do); `flows/monitor.py` wraps them
in Prefect tasks. A source's failure is data: it is recorded in source health and returned
in its report, never raised past the stage, so one broken source leaves the others alone.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from mobwatch.alerts.channels import ChannelSetup
from mobwatch.alerts.digest import DIGEST, Digest, build_digest
from mobwatch.alerts.feeds import write_feeds
from mobwatch.alerts.outbox import DeliveryReport, DigestReport, deliver_digest, deliver_pending
from mobwatch.alerts.registry import build_channels
from mobwatch.alerts.routing import load_delivery_config
from mobwatch.alerts.states import follow_states
from mobwatch.fetching.client import FetchError, HttpClient, NotModified
from mobwatch.fetching.page import Page
from mobwatch.indicators.extract.act_identity import NUMBERED, resolve_act
from mobwatch.indicators.extract.acts import merge as merge_facts
from mobwatch.indicators.extract.announcements import join_window, resolve
from mobwatch.indicators.extract.extraction import Reading, read_facts
from mobwatch.indicators.model import Alert, Indicator, Observation
from mobwatch.indicators.provenance import read_from_documents
from mobwatch.indicators.rules.config import MarkerConfig, load_marker_config
from mobwatch.indicators.rules.markers import evaluate
from mobwatch.indicators.rules.markers.operator import (
    SOURCE_FAILING,
    operator_alerts,
    source_state_key,
)
from mobwatch.indicators.rules.replay import Replayed, known_on, replay
from mobwatch.indicators.rules.risk import explain, risk_reading_at
from mobwatch.parsers import get_parser
from mobwatch.parsers.base import (
    Document,
    NotConfigured,
    ParseContext,
    ParseError,
    Source,
)
from mobwatch.pipeline.page_work import IN_PROCESS, Work
from mobwatch.pipeline.settings import Settings
from mobwatch.store.alert_evidence import add_alert_evidence
from mobwatch.store.first_seen import first_seen_days
from mobwatch.store.history import Change
from mobwatch.store.store import Store


@dataclass
class SourceReport:
    source: str
    pages: int = 0  # bodies downloaded and parsed
    not_modified: int = 0  # pages answered 304: no download, no parsing
    documents: int = 0
    changes: dict[str, int] = field(default_factory=dict)  # Change → count
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, not failures
    not_configured: str | None = None  # what to set before the source can be read
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
    return read_facts(documents, source)


def save_documents(documents: Sequence[Document], source: Source, store: Store) -> dict[str, int]:
    """Extract and store the documents' facts; returns the count of each `Change`."""
    return save_observations(extract(documents, source.name), store)


def save_observations(observations: Sequence[Observation], store: Store) -> dict[str, int]:
    """Store a source's observations; returns the count of each `Change`."""
    changes: dict[str, int] = {}
    # A report of an announcement already stored takes its identity (announcements.py):
    # only the stored payments of the days and subjects it may join are read, however long
    # the history and however many subjects it holds.
    window = join_window(observations)
    payments = [obs for obs in observations if obs.indicator is Indicator.REGIONAL_BONUS]
    regions = {obs.region for obs in payments if obs.region}
    bonus = Indicator.REGIONAL_BONUS
    known = store.observations(bonus, between=window, regions=regions) if window else []
    for observation in observations:
        observation = resolve(observation, known)
        # An act stored from another source, with or without its number, is this one.
        observation = resolve_act(observation, _acts_signed(store, observation))
        change = store.save_observation(observation, merge_facts)
        changes[change] = changes.get(change, 0) + 1
        if observation.indicator is Indicator.REGIONAL_BONUS:
            known.append(observation)
    return changes


def _acts_signed(store: Store, observation: Observation) -> list[Observation]:
    """The stored acts of the observation's kind signed on its day (none for other kinds)."""
    if observation.indicator not in NUMBERED:
        return []
    day = observation.event_date
    return store.observations(observation.indicator, between=(day, day))


def add_changes(total: dict[str, int], more: dict[str, int]) -> None:
    for change, count in more.items():
        total[change] = total.get(change, 0) + count


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
            documents.extend(parser.parse(page, ParseContext(source)).documents)
        except ParseError as error:
            report.errors.append(error.reason)
    report.documents = len(documents)
    add_changes(report.changes, save_documents(documents, source, store))
    report.seconds = time.monotonic() - started
    return report


def read_source(
    source: Source,
    *,
    client: HttpClient,
    store: Store,
    since: date | None = None,
    until: date | None = None,
    work: Work = IN_PROCESS,
) -> SourceReport:
    """Fetch, parse, extract and store one source; record its health. `work` parses and
    extracts; everything stored is written here, by the caller's process."""
    started = time.monotonic()
    parser = get_parser(source.parser)
    report = SourceReport(source.name)
    home_host = urlsplit(source.url).hostname
    try:
        planned = parser.plan(source, since, until)
    except NotConfigured as missing:
        # Not a failure of the source: nothing is recorded against its health.
        report.not_configured = f"not configured: {missing}"
        report.notes.append(report.not_configured)
        report.seconds = time.monotonic() - started
        return report
    queue = deque((url, 1) for url in planned)
    queued = {url for url, _ in queue}
    client.expect(queued)
    documents: list[Document] = []
    readings: list[Reading] = []
    at_address: dict[str, list[Document]] = {}  # what a page at the address reads with
    fetched: list[Page] = []  # archived together once the source is read
    parsed_pages: list[Page] = []
    try:
        while queue:
            url, depth = queue.popleft()
            try:
                result = client.get(url)
            except FetchError as error:
                report.errors.append(error.reason)
                continue
            if isinstance(result, NotModified):
                report.not_modified += 1
                continue
            report.pages += 1
            fetched.append(result)
            context = ParseContext(source, since, until, depth)
            try:
                read = work.read(source.parser, result, context, at_address.get(url, []))
            except ParseError as error:
                report.errors.append(error.reason)
                continue
            parsed = read.parsed
            parsed_pages.append(result)
            documents.extend(parsed.documents)
            readings.extend(read.readings)
            for document in parsed.documents:
                at_address.setdefault(document.url, []).append(document)
            report.expected_empty = report.expected_empty or parsed.expected_empty
            following = [
                follow
                for follow in dict.fromkeys(parsed.follow)
                if follow not in queued and _followable(follow, home_host, report)
            ]
            client.expect(following)
            queued.update(following)
            queue.extend((follow, depth + 1) for follow in following)
    finally:
        # Whatever stopped the reading, the bodies fetched are kept for re-parsing.
        store.archive_pages(source.name, fetched)
    report.documents = len(documents)
    observations = work.extract(documents, readings, source.name)
    add_changes(report.changes, save_observations(observations, store))
    if not report.errors:
        # Validators are kept only once everything the pages led to was read and stored:
        # otherwise a 304 next time would hide the pages this run failed to read.
        client.remember(*parsed_pages)
    store.record_source_run(source.name, items=len(documents), error=report.error)
    report.seconds = time.monotonic() - started
    return report


def _followable(link: str, home_host: str | None, report: SourceReport) -> bool:
    """Links in a page may point anywhere; a source reads its own host, over HTTP, only."""
    try:
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:  # not a URL at all, such as `http://[::1`
        report.notes.append(f"not followed (not a URL): {link!r:.200}")
        return False
    if parts.scheme not in ("http", "https"):
        report.notes.append(f"not followed (not http): {link:.200}")
        return False
    if host != home_host:
        report.notes.append(f"not followed (another host): {link}")
        return False
    return True


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


def changed(report: SourceReport) -> bool:
    """Did the source bring a new or enriched observation (anything a marker could see)?"""
    return bool(report.changes.get(Change.NEW) or report.changes.get(Change.UPDATED))


@dataclass(frozen=True)
class MarkerRound:
    """One replay of the markers over the stored history: what it raised and read."""

    raised: list[Alert]  # the new alerts, stored
    risk_level: str  # the level on `as_of` and why, in one line: shown with each alert


def marker_round(
    store: Store, config: MarkerConfig, *, as_of: date, window_days: int
) -> MarkerRound:
    """Evaluate the markers over the stored history; store the new alerts.

    Only evidence dated within the recent window alerts, so a first run over years of
    history floods no one; older history is for `backtest` and the reports. The risk level
    is read from the same replay, so the alerts delivered next need no second one.
    """
    fired = evaluate(store.observations(), config, as_of=as_of)
    window_start = as_of - timedelta(days=window_days)
    candidates = [alert for alert in fired if window_start <= alert.fired_on <= as_of]
    raised = []
    for alert in candidates:
        if store.record_alert(alert):
            raised.append(alert)
        else:  # known: a second source of the same act adds its link, and sends nothing
            add_alert_evidence(store, alert)
    return MarkerRound(raised=raised, risk_level=_risk_line(fired, config, as_of))


def raise_alerts(
    store: Store,
    config: MarkerConfig,
    *,
    as_of: date,
    window_days: int,
    reports: Sequence[SourceReport] = (),
) -> list[Alert]:
    """The markers' new alerts, then the operator's (source health, the run's reports)."""
    raised = marker_round(store, config, as_of=as_of, window_days=window_days).raised
    return raised + raise_operator_alerts(store, config, as_of=as_of, reports=reports)


def raise_operator_alerts(
    store: Store,
    config: MarkerConfig,
    *,
    as_of: date,
    reports: Sequence[SourceReport],
    repeat_hours: int = 24,
    now: datetime | None = None,
) -> list[Alert]:
    """Failing sources and parser drift, once every source of the run has reported.

    A failing source is said again every `repeat_hours` while it fails, and resolved once
    it is read again (`alerts/states.py`).
    """
    moment = now or datetime.now(UTC)
    health = store.source_health()
    candidates = operator_alerts(health, reports, config, as_of=as_of, now=moment)
    failing = [alert for alert in candidates if alert.marker == SOURCE_FAILING.id]
    raised = follow_states(
        store,
        failing,
        marker=SOURCE_FAILING.id,
        streaks={item.name: source_state_key(item) for item in health},
        repeat=timedelta(hours=repeat_hours),
        now=moment,
    )
    others = [alert for alert in candidates if alert.marker != SOURCE_FAILING.id]
    return raised + [alert for alert in others if store.record_alert(alert)]


def deliver(
    store: Store,
    settings: Settings,
    *,
    as_of: date,
    risk_level: str | None = None,
    now: datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
    flush: bool = True,
    secret_blocks: bool = True,
) -> DeliveryReport:
    """Send the pending alerts through the channels `alerts.toml` routes them to, with the
    risk level of `as_of` (a `MarkerRound`'s, or read here from the stored history).

    A routed channel that is not configured is skipped and listed in the report as off.
    Without `flush` (a delivery in the middle of a pass), grouped alerts within their group
    window wait for the pass's later alerts. `secret_blocks=False`: a run with no Prefect
    API does not look for Prefect's blocks.
    """
    config = load_delivery_config(settings.alerts_file)
    if risk_level is None:
        risk_level = risk_now(store, load_marker_config(settings.markers_file), as_of=as_of)
    setup = ChannelSetup(
        home=settings.home,
        risk_level=risk_level,
        timeout=config.outbox.timeout_seconds,
        secret_blocks=secret_blocks,
    )
    channels = build_channels(config.routing.channels(), setup)
    report = deliver_pending(
        store,
        list(channels.on.values()),
        config,
        off=channels.off,
        now=now,
        sleep=sleep,
        flush=flush,
    )
    write_feeds(store, settings.home, now=now)  # the feed readers' copy of each route
    return report


def combine_deliveries(reports: Sequence[DeliveryReport]) -> DeliveryReport:
    """Several deliveries of one pass as one: counts add up, a channel's last state wins."""
    total = DeliveryReport()
    for report in reports:
        for channel, count in report.delivered.items():
            total.delivered[channel] = total.delivered.get(channel, 0) + count
            if channel not in report.failed:
                total.failed.pop(channel, None)
        for counts, more in ((total.messages, report.messages), (total.held, report.held)):
            for channel, count in more.items():
                counts[channel] = counts.get(channel, 0) + count
        total.failed.update(report.failed)
        total.off.update(report.off)
        total.raised += report.raised
    return total


def daily_digest(
    store: Store,
    settings: Settings,
    *,
    as_of: date,
    now: datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Digest, DigestReport]:
    """Build the digest of `as_of` and send it to the digest's channels."""
    config = load_delivery_config(settings.alerts_file)
    markers = load_marker_config(settings.markers_file)
    moment = now or datetime.now(UTC)
    digest = build_digest(
        store,
        markers,
        as_of=as_of,
        now=moment,
        hours=config.digest.observation_hours,
        window_days=config.digest.escalation_days,
        selector=config.routing.selector(DIGEST),
        rules=config.inhibit,
    )
    setup = ChannelSetup(home=settings.home, timeout=config.outbox.timeout_seconds)
    # The console always shows the digest, whatever the configured list.
    channels = build_channels(("console", *config.digest.channels), setup)
    report = deliver_digest(
        store,
        digest,
        list(channels.on.values()),
        config.outbox,
        off=channels.off,
        now=moment,
        sleep=sleep,
    )
    return digest, report


def risk_now(store: Store, config: MarkerConfig, *, as_of: date) -> str:
    """The risk level on `as_of` and why, in one line, from the whole stored history."""
    return _risk_line(evaluate(store.observations(), config, as_of=as_of), config, as_of)


def _risk_line(fired: Sequence[Alert], config: MarkerConfig, as_of: date) -> str:
    reading = risk_reading_at(fired, as_of, config)
    return f"{reading.level}: {explain(reading, config)}"


def backtest(
    store: Store, config: MarkerConfig, *, since: date, until: date, seed: bool = True
) -> list[Replayed]:
    """Replay the stored history as it was known each day (`rules.replay`): every alert
    that would have fired, on the first day its evidence was public; sends nothing.

    `seed=False` leaves out what rests on the seeded history alone: what reading the
    sources yields by itself.
    """
    first_seen = first_seen_days(store)
    known = [
        known_on(obs, first_seen.get(obs.key))
        for obs in store.observations()
        if seed or read_from_documents(obs)
    ]
    return replay(known, config, since=since, until=until)

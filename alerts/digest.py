"""The daily digest: the indicators-and-warnings board, what was stored in the last day,
and the alerts routed to the digest; with its plain-text and markdown renderings.

The Slack and email renderings live with their channels (`slack_blocks.py`,
`email_body.py`); each renders the same `Digest`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mobwatch.alerts.escape import markdown_text, safe_url
from mobwatch.alerts.holding import held_back, silenced_since
from mobwatch.alerts.inhibition import InhibitRule
from mobwatch.alerts.text import one_line
from mobwatch.indicators.model import Alert, Observation
from mobwatch.indicators.rules.board import Board, BoardRow, board_notes, build_board
from mobwatch.indicators.rules.config import MarkerConfig
from mobwatch.indicators.rules.markers import evaluate
from mobwatch.store.alerts import RouteSelector
from mobwatch.store.history import ChangedObservation
from mobwatch.store.seed import SEED_SOURCE
from mobwatch.store.store import Store

DIGEST = "digest"  # the route name: an alert routed here is shown in the next digest


@dataclass(frozen=True)
class Digest:
    board: Board
    since: datetime  # observations stored or updated since then are listed
    observations: tuple[ChangedObservation, ...]
    alerts: tuple[Alert, ...]  # routed to the digest, not yet in one
    # Alerts silenced since `since`, each with the silence (who set it, why).
    silenced: tuple[tuple[Alert, str], ...] = ()

    @property
    def as_of(self) -> date:
        return self.board.as_of

    @property
    def headline(self) -> str:
        return f"mobwatch daily digest, {self.as_of}: risk level {self.board.risk.level}"


def build_digest(
    store: Store,
    config: MarkerConfig,
    *,
    as_of: date,
    now: datetime,
    hours: int,
    window_days: int,
    selector: RouteSelector,
    rules: Sequence[InhibitRule] = (),
) -> Digest:
    """The digest of `as_of` from the stored history; the board replays every marker."""
    history = store.observations()
    board = build_board(
        evaluate(history, config, as_of=as_of),
        config,
        as_of=as_of,
        window_days=window_days,
        notes=board_notes([obs for obs in history if obs.event_date <= as_of], config),
    )
    since = now - timedelta(hours=hours)
    changed = tuple(
        item
        for item in store.changed_observations(since)
        # The seeded history lands on the first run; it is the baseline, not news.
        if not (item.new and item.observation.source == SEED_SOURCE)
    )
    # An alert of a later day (a digest of a past day) waits for its own digest.
    pending = [a for a in store.undelivered(DIGEST, selector) if a.fired_on <= as_of]
    held = held_back(store, pending, rules, now=now)
    for fingerprint in held:  # done for the digest: listed below if silenced
        store.record_delivery(fingerprint, DIGEST, at=now)
    return Digest(
        board,
        since,
        changed,
        tuple(a for a in pending if a.fingerprint not in held),
        silenced_since(store, since),
    )


def silence_line(alert: Alert, reason: str) -> str:
    return f"{alert_line(alert)} — {one_line(reason, 300)}"


def status_text(row: BoardRow) -> str:
    return str(row.status) if row.watched else f"{row.status} (not watched yet)"


def observation_line(item: ChangedObservation) -> str:
    obs: Observation = item.observation
    value = f" {obs.value:,} {obs.unit or ''}".rstrip() if obs.value is not None else ""
    change = "new" if item.new else "updated"
    return f"{obs.event_date} {obs.indicator}{value} ({change}): {one_line(obs.title, 160)}"


def alert_line(alert: Alert) -> str:
    return f"{alert.fired_on} [{alert.severity}] {alert.marker}: {one_line(alert.title, 200)}"


def _board_lines(rows: Sequence[BoardRow]) -> list[str]:
    lines = []
    for row in rows:
        evidence = row.evidence
        last = ""
        if row.last is not None:
            url = f" {one_line(evidence.url, 300)}" if evidence and evidence.url else ""
            last = f"  last {row.last.fired_on}: {one_line(row.last.title, 120)}{url}"
        note = f"  ({row.note})" if row.note else ""
        seed = " [seeded history only]" if row.seed_only else ""
        lines.append(f"  {row.marker:<26} {status_text(row):<28}{last}{seed}{note}")
    return lines


def digest_text(digest: Digest) -> str:
    """Plain text: the console and the email's text part."""
    board = digest.board
    lines = [digest.headline, "", f"Risk level {board.risk.level}: {board.risk_reason}"]
    lines += [f"  {alert_line(alert)}" for alert in board.risk.behind]
    lines += ["", f"Indicators and warnings (escalating: within {board.window_days} days)"]
    for group in dict.fromkeys(row.group for row in board.rows):
        lines += [f" {group}", *_board_lines([r for r in board.rows if r.group == group])]
    since = f"{digest.since:%Y-%m-%d %H:%M} UTC"
    lines += ["", f"New observations since {since}: {len(digest.observations)}"]
    lines += [f"  {observation_line(item)}" for item in digest.observations]
    lines += ["", f"Alerts for the digest: {len(digest.alerts)}"]
    lines += [f"  {alert_line(alert)}" for alert in digest.alerts]
    lines += ["", f"Silenced since {since}: {len(digest.silenced)}"]
    lines += [f"  {silence_line(alert, reason)}" for alert, reason in digest.silenced]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return markdown_text(text, 200)


def digest_markdown(digest: Digest) -> str:
    """Markdown for the Prefect artifact (Prefect renders it as text: no raw HTML)."""
    board = digest.board
    lines = [f"# {digest.headline}", "", f"**Risk level {board.risk.level}**: {board.risk_reason}"]
    lines += ["", "| marker | status | last evidence | date |", "|---|---|---|---|"]
    for row in board.rows:
        evidence = row.evidence
        last = _cell(row.last.title) if row.last else ""
        url = safe_url(evidence.url) if evidence else None
        if url:
            last = f"{last} <{url}>"
        when = str(row.last.fired_on) if row.last else ""
        lines.append(f"| {row.marker} | {status_text(row)} | {last} | {when} |")
    lines += ["", f"## New observations ({len(digest.observations)})", ""]
    lines += [f"- {_cell(observation_line(item))}" for item in digest.observations]
    lines += ["", f"## Alerts for the digest ({len(digest.alerts)})", ""]
    lines += [f"- {_cell(alert_line(alert))}" for alert in digest.alerts]
    lines += ["", f"## Silenced ({len(digest.silenced)})", ""]
    lines += [f"- {_cell(silence_line(alert, reason))}" for alert, reason in digest.silenced]
    return "\n".join(lines)

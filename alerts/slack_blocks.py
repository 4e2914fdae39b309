"""Slack Block Kit messages for an alert and for the daily digest.

Every piece of scraped text goes through `mobwatch.alerts.escape` on its way into a mrkdwn field;
lengths stay inside Block Kit's limits (header 150 characters, section text 3,000,
50 blocks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mobwatch.alerts.digest import (
    Digest,
    alert_line,
    observation_line,
    silence_line,
    status_text,
)
from mobwatch.alerts.escape import slack_link, slack_text
from mobwatch.alerts.grouping import AlertGroup
from mobwatch.alerts.text import one_line
from mobwatch.indicators.model import Alert, Severity

Block = dict[str, Any]

MAX_EVIDENCE = 5
MAX_LINES = 15  # per digest section: a digest is read on a phone
_MARK = {
    Severity.CRITICAL: ":red_circle:",
    Severity.WARNING: ":large_orange_circle:",
    Severity.INFO: ":large_blue_circle:",
}


def _header(text: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "header", "text": {"type": "plain_text", "text": one_line(text, 150)}}
    if block_id:
        block["block_id"] = block_id
    return block


def _section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:3000]}}


def _context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn[:2000]}]}


def alert_message(alert: Alert, risk_level: str) -> dict[str, Any]:
    """One alert: severity and marker, the title, the evidence, the basis, the risk level."""
    audience = " (operator)" if alert.audience == "operator" else ""
    headline = f"{alert.severity.upper()}{audience} · {alert.marker}"
    blocks: list[Block] = [
        # The block id carries the fingerprint: a receiver can tell a repeat from a new alert.
        _header(headline, block_id=f"mobwatch-alert-{one_line(alert.fingerprint, 200)}"),
        _section(f"{_MARK[alert.severity]} *{slack_text(alert.title, 300)}*"),
    ]
    for item in alert.evidence[:MAX_EVIDENCE]:
        lines = [f"> «{slack_text(item.quote, 500)}»"] if item.quote else []
        lines.append(slack_link(item.url, item.title or item.source) or "(no link)")
        blocks.append(_section("\n".join(lines)))
    if len(alert.evidence) > MAX_EVIDENCE:
        blocks.append(_context(f"and {len(alert.evidence) - MAX_EVIDENCE} more documents"))
    if alert.basis:
        blocks.append(_context(f"*Basis in the report:* _{slack_text(alert.basis, 600)}_"))
    facts = [f"fired on {alert.fired_on}"]
    if risk_level:
        facts.insert(0, f"*Risk level now:* {slack_text(risk_level, 300)}")
    blocks.append(_context(" · ".join(facts)))
    return {
        "text": f"[{alert.severity.upper()}] {alert.marker}: {slack_text(alert.title, 300)}",
        "blocks": blocks,
    }


def _alert_block_id(alert: Alert) -> str:
    # The block id carries the fingerprint: a receiver can tell a repeat from a new alert.
    return f"mobwatch-alert-{one_line(alert.fingerprint, 200)}"


def group_message(group: AlertGroup, risk_level: str) -> dict[str, Any]:
    """Several alerts of one route: a line each with its first link, the rest counted."""
    blocks: list[Block] = [_header(f"mobwatch · {group.headline}")]
    for alert in group.shown:
        evidence = alert.evidence[0] if alert.evidence else None
        link = slack_link(evidence.url, evidence.title or evidence.source) if evidence else ""
        line = (
            f"{_MARK[alert.severity]} `{slack_text(alert.marker, 60)}` "
            f"*{slack_text(alert.title, 300)}* · {alert.fired_on}"
        )
        if link:
            line += f"\n{link}"
        if len(alert.evidence) > 1:
            line += f" (and {len(alert.evidence) - 1} more documents)"
        block = _section(line)
        block["block_id"] = _alert_block_id(alert)
        blocks.append(block)
    facts = [group.overflow_line] if group.more else []
    if risk_level:
        facts.append(f"*Risk level now:* {slack_text(risk_level, 300)}")
    if facts:
        blocks.append(_context("\n".join(facts)))
    return {"text": f"mobwatch: {group.headline}", "blocks": blocks}


def _listing(title: str, lines: Sequence[str]) -> Block:
    shown = [f"• {slack_text(line, 200)}" for line in lines[:MAX_LINES]]
    if len(lines) > MAX_LINES:
        shown.append(f"… and {len(lines) - MAX_LINES} more")
    return _section("\n".join([f"*{title}*", *(shown or ["none"])]))


def digest_message(digest: Digest) -> dict[str, Any]:
    """The digest: the risk level, the board by group, new observations, digest alerts."""
    board = digest.board
    blocks: list[Block] = [
        _header(f"mobwatch daily digest · {digest.as_of}"),
        _section(f"*Risk level {board.risk.level}:* {slack_text(board.risk_reason, 300)}"),
    ]
    if board.risk.behind:
        blocks.append(_listing("Behind it", [alert_line(a) for a in board.risk.behind]))
    for group in dict.fromkeys(row.group for row in board.rows):
        lines = [f"*{group}*"]
        for row in (r for r in board.rows if r.group == group):
            line = f"`{row.marker}` — {status_text(row)}"
            if row.last is not None:
                evidence = row.evidence
                label = one_line(row.last.title, 90)
                last = slack_link(evidence.url, label) if evidence else slack_text(label)
                line += f" — {row.last.fired_on}: {last}"
            lines.append(line)
        blocks.append(_section("\n".join(lines)))
    blocks.append(
        _listing(
            f"New observations ({len(digest.observations)})",
            [observation_line(item) for item in digest.observations],
        )
    )
    blocks.append(
        _listing(
            f"Alerts for the digest ({len(digest.alerts)})",
            [alert_line(alert) for alert in digest.alerts],
        )
    )
    if digest.silenced:
        blocks.append(
            _listing(
                f"Silenced ({len(digest.silenced)})",
                [silence_line(alert, reason) for alert, reason in digest.silenced],
            )
        )
    return {"text": slack_text(digest.headline), "blocks": blocks}

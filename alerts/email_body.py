"""Email messages for an alert and for the daily digest: a plain-text and an HTML part.

Scraped text enters the HTML only through `html_text`/`html_link`, and the subject only
through `header_text` (one line, no CR or LF, so a title cannot add a header).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

from mobwatch.alerts.digest import (
    Digest,
    alert_line,
    digest_text,
    observation_line,
    silence_line,
    status_text,
)
from mobwatch.alerts.escape import header_text, html_link, html_text, safe_url
from mobwatch.alerts.grouping import AlertGroup
from mobwatch.alerts.text import one_line
from mobwatch.indicators.model import Alert

_STYLE = "font-family: sans-serif; max-width: 46em"
_COLOUR = {"critical": "#b00020", "warning": "#b35c00", "info": "#1d5fa8"}


@dataclass(frozen=True)
class Envelope:
    sender: str
    recipients: tuple[str, ...]

    @property
    def domain(self) -> str:
        return self.sender.rpartition("@")[2] or "mobwatch.invalid"


def _message(envelope: Envelope, subject: str, message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = header_text(subject)
    message["From"] = envelope.sender
    message["To"] = ", ".join(envelope.recipients)
    message["Date"] = format_datetime(datetime.now(UTC))
    # The same alert retried keeps its Message-ID: mail clients show a repeat once.
    message["Message-ID"] = f"<{message_id}@{envelope.domain}>"
    return message


def alert_text(alert: Alert, risk_level: str) -> str:
    lines = [f"{alert.severity.upper()} · {alert.marker}", one_line(alert.title), ""]
    for item in alert.evidence:
        if item.quote:
            lines.append(f"  «{one_line(item.quote, 500)}»")
        lines.append(f"  {safe_url(item.url) or one_line(item.source) or '(no link)'}")
    if alert.basis:
        lines += ["", f"Basis in the report: {one_line(alert.basis, 600)}"]
    if risk_level:
        lines += ["", f"Risk level now: {one_line(risk_level)}"]
    lines.append(f"Fired on {alert.fired_on}.")
    return "\n".join(lines)


def alert_html(alert: Alert, risk_level: str) -> str:
    colour = _COLOUR.get(str(alert.severity), "#333")
    parts = [
        f'<div style="{_STYLE}">',
        f'<p style="color: {colour}; font-weight: bold">{alert.severity.upper()} · '
        f"{html_text(alert.marker)}</p>",
        f"<h2>{html_text(alert.title)}</h2>",
    ]
    for item in alert.evidence:
        quote = f"<blockquote>«{html_text(item.quote, 500)}»</blockquote>" if item.quote else ""
        link = html_link(item.url, item.title or item.source)
        parts.append(f"{quote}<p>{link or '(no link)'}</p>")
    if alert.basis:
        parts.append(f"<p><b>Basis in the report:</b> <i>{html_text(alert.basis, 600)}</i></p>")
    if risk_level:
        parts.append(f"<p><b>Risk level now:</b> {html_text(risk_level)}</p>")
    parts += [f"<p>Fired on {alert.fired_on}.</p>", "</div>"]
    return "\n".join(parts)


def alert_email(alert: Alert, envelope: Envelope, risk_level: str) -> EmailMessage:
    subject = f"[mobwatch {alert.severity}] {alert.marker}: {alert.title}"
    message = _message(envelope, subject, f"alert.{one_line(alert.fingerprint, 64)}")
    message.set_content(alert_text(alert, risk_level))
    message.add_alternative(alert_html(alert, risk_level), subtype="html")
    return message


def group_email(group: AlertGroup, envelope: Envelope, risk_level: str) -> EmailMessage:
    """Several alerts of one route in one email: each in full, the rest counted."""
    markers = ", ".join(dict.fromkeys(alert.marker for alert in group.alerts))
    subject = f"[mobwatch] {group.headline}: {markers}"
    # The same group retried keeps its Message-ID.
    members = "\n".join(alert.fingerprint for alert in group.alerts)
    message = _message(
        envelope, subject, f"group.{hashlib.sha256(members.encode()).hexdigest()[:32]}"
    )
    texts = [alert_text(alert, "") for alert in group.shown]
    footer = [group.overflow_line] if group.more else []
    if risk_level:
        footer.append(f"Risk level now: {one_line(risk_level)}")
    message.set_content("\n\n---\n\n".join(texts) + "\n\n" + "\n".join(footer))
    parts = [alert_html(alert, "") for alert in group.shown]
    parts += [f"<p>{html_text(line)}</p>" for line in footer]
    message.add_alternative("\n<hr>\n".join(parts), subtype="html")
    return message


def _html_list(title: str, lines: Sequence[str]) -> str:
    items = "".join(f"<li>{html_text(line, 300)}</li>" for line in lines) or "<li>none</li>"
    return f"<h3>{html_text(title)}</h3><ul>{items}</ul>"


def digest_html(digest: Digest) -> str:
    board = digest.board
    parts = [
        f'<div style="{_STYLE}">',
        f"<h2>{html_text(digest.headline)}</h2>",
        f"<p><b>Risk level {board.risk.level}:</b> {html_text(board.risk_reason)}</p>",
    ]
    if board.risk.behind:
        parts.append(_html_list("Behind it", [alert_line(a) for a in board.risk.behind]))
    parts.append(
        '<table border="1" cellpadding="4" style="border-collapse: collapse">'
        "<tr><th>marker</th><th>status</th><th>last evidence</th><th>date</th></tr>"
    )
    for row in board.rows:
        evidence = row.evidence
        last = ""
        if row.last is not None:
            label = row.last.title
            last = html_link(evidence.url, label) if evidence else html_text(label)
        when = str(row.last.fired_on) if row.last else ""
        parts.append(
            f"<tr><td>{html_text(row.marker)}</td><td>{html_text(status_text(row))}</td>"
            f"<td>{last}</td><td>{when}</td></tr>"
        )
    parts.append("</table>")
    parts.append(
        _html_list(
            f"New observations ({len(digest.observations)})",
            [observation_line(item) for item in digest.observations],
        )
    )
    parts.append(
        _html_list(
            f"Alerts for the digest ({len(digest.alerts)})",
            [alert_line(alert) for alert in digest.alerts],
        )
    )
    parts.append(
        _html_list(
            f"Silenced ({len(digest.silenced)})",
            [silence_line(alert, reason) for alert, reason in digest.silenced],
        )
    )
    parts.append("</div>")
    return "\n".join(parts)


def digest_email(digest: Digest, envelope: Envelope) -> EmailMessage:
    message = _message(envelope, digest.headline, f"digest.{digest.as_of}")
    message.set_content(digest_text(digest))
    message.add_alternative(digest_html(digest), subtype="html")
    return message

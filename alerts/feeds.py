"""Feeds of the alerts, one per route, for feed readers: Atom and JSON Feed under home.

`<home>/feeds/<route>.atom` and `<route>.json` (routes: critical, warning, info, operator)
hold the route's latest alerts, newest first, and are rewritten after each delivery, whole
and atomically (a reader never sees half a file). Alerts held back (silenced, inhibited)
are left out, as they are out of every channel. Scraped text is set as text, never as
markup: ElementTree and json escape it.
"""

from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from mobwatch.alerts.escape import safe_url
from mobwatch.alerts.grouping import route_of
from mobwatch.alerts.text import one_line
from mobwatch.indicators.model import Alert
from mobwatch.store.store import Store

ROUTES = ("critical", "warning", "info", "operator")
FEED_SIZE = 50
_ATOM = "http://www.w3.org/2005/Atom"


def _stamp(moment: datetime | None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def _summary(alert: Alert) -> str:
    lines = [one_line(alert.title, 500)]
    lines += [f"«{one_line(e.quote, 300)}» {e.url}".strip() for e in alert.evidence[:5] if e.quote]
    if alert.basis:
        lines.append(f"Basis in the report: {one_line(alert.basis, 600)}")
    return "\n".join(lines)


def _link(alert: Alert) -> str | None:
    return next((url for e in alert.evidence if (url := safe_url(e.url))), None)


def atom_feed(route: str, alerts: Sequence[Alert], *, now: datetime) -> bytes:
    ET.register_namespace("", _ATOM)
    feed = ET.Element(f"{{{_ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        child = ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs)
        if text is not None:
            child.text = text
        return child

    add(feed, "id", f"urn:mobwatch:feed:{route}")
    add(feed, "title", f"mobwatch: {route} alerts")
    add(feed, "updated", _stamp(alerts[0].created_at if alerts else now))
    add(add(feed, "author"), "name", "mobwatch")
    for alert in alerts:
        entry = add(feed, "entry")
        add(entry, "id", f"urn:mobwatch:alert:{alert.fingerprint}")
        add(entry, "title", f"[{alert.severity}] {alert.marker}: {one_line(alert.title, 300)}")
        add(entry, "updated", _stamp(alert.created_at))
        add(entry, "published", _stamp(alert.created_at))
        link = _link(alert)
        if link:
            add(entry, "link", href=link, rel="alternate")
        add(entry, "category", term=alert.marker)
        add(entry, "summary", _summary(alert), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def json_feed(route: str, alerts: Sequence[Alert]) -> bytes:
    items = []
    for alert in alerts:
        item: dict[str, object] = {
            "id": f"urn:mobwatch:alert:{alert.fingerprint}",
            "title": f"[{alert.severity}] {alert.marker}: {one_line(alert.title, 300)}",
            "content_text": _summary(alert),
            "date_published": _stamp(alert.created_at),
            "tags": [alert.marker, str(alert.severity)],
        }
        link = _link(alert)
        if link:
            item["url"] = link
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"mobwatch: {route} alerts",
        "authors": [{"name": "mobwatch"}],
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as part:
        part.write(data)
    Path(part.name).replace(path)


def write_feeds(store: Store, home: Path, *, now: datetime | None = None) -> list[Path]:
    """Rewrite every route's feeds from the stored alerts; the files written."""
    moment = now or datetime.now(UTC)
    alerts = store.alerts()  # newest first
    held = store.holds()
    shown = [alert for alert in alerts if alert.fingerprint not in held]
    written = []
    for route in ROUTES:
        latest = [alert for alert in shown if route_of(alert) == route][:FEED_SIZE]
        for path, data in (
            (home / "feeds" / f"{route}.atom", atom_feed(route, latest, now=moment)),
            (home / "feeds" / f"{route}.json", json_feed(route, latest)),
        ):
            _write(path, data)
            written.append(path)
    return written

"""Reach beyond Slack and email: an Apprise URL to a loopback receiver gets the alerts
(grouped, retried, its URL never in an error), and the feeds of each route are valid Atom
and JSON Feed that a feed reader parses."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import feedparser
import httpx
import pytest

from mobwatch.alerts.apprise_channel import AppriseChannel
from mobwatch.alerts.channels import ChannelSetup
from mobwatch.alerts.feeds import write_feeds
from mobwatch.alerts.outbox import deliver_pending
from mobwatch.alerts.registry import build_channels
from mobwatch.alerts.routing import Routing, load_delivery_config
from mobwatch.demo.server import LoopbackServer, Reply, Request
from mobwatch.indicators.model import Alert, Evidence, Severity
from mobwatch.runtime.feed_server import serving_feeds
from mobwatch.store.store import Store

# The project's configuration, with the Apprise channels added to the routes.
CONFIG = dataclasses.replace(
    load_delivery_config(),
    routing=Routing(
        critical=("apprise",), warning=("apprise",), info=(), operator=("apprise-operator",)
    ),
)
AS_OF = date(2026, 11, 20)


def alert(n: int, severity: Severity = Severity.WARNING) -> Alert:
    return Alert(
        marker="regional_bonus_record",
        severity=severity,
        # Scraped text with markup in it: it must stay text in every rendering.
        title=f"alert {n} <b>&amp; «record»</b>",
        fingerprint=f"{n:064x}",
        fired_on=AS_OF,
        evidence=(Evidence(url=f"http://example.org/{n}?a=1&b=2", quote=f"quote {n} <script>"),),
    )


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


class JsonReceiver:
    """Apprise's generic JSON webhook (`json://`), received on a loopback server."""

    def __init__(self, server: LoopbackServer, path: str, failing: int | None = None) -> None:
        self.server, self.path, self.failing = server, path, failing
        self.accepted: list[dict[str, object]] = []
        server.add_handler(path, self._handle)

    def _handle(self, request: Request, raw: object) -> Reply:
        if self.failing:
            return Reply(self.failing, b"no")
        self.accepted.append(json.loads(request.body))
        return Reply(200, b"ok")

    def apprise_url(self, token: str) -> str:
        host = self.server.url.removeprefix("http://")
        return f"json://{host}{self.path}?token={token}"


def test_an_apprise_url_to_a_loopback_receiver_gets_the_alerts_grouped_once(
    store: Store, tmp_path: Path, webhooks: LoopbackServer
) -> None:
    receiver = JsonReceiver(webhooks, "/apprise/hook")
    environ = {"MOBWATCH_APPRISE_URL": receiver.apprise_url("s3cret-token")}
    channels = build_channels(["apprise"], ChannelSetup(home=tmp_path, environ=environ, timeout=5))
    assert channels.off == {}
    for n in (1, 2, 3):
        store.record_alert(alert(n, Severity.CRITICAL if n == 1 else Severity.WARNING))
    first = deliver_pending(store, list(channels.on.values()), CONFIG)
    again = deliver_pending(store, list(channels.on.values()), CONFIG)
    assert (first.messages, first.delivered) == ({"apprise": 2}, {"apprise": 3})
    assert again.delivered == {"apprise": 0} and len(receiver.accepted) == 2
    single, group = receiver.accepted
    assert single["title"] == "[mobwatch critical] regional_bonus_record"
    assert "alert 1 <b>&amp; «record»</b>" in str(single["message"])
    assert group["title"] == "mobwatch: 2 warning alerts"
    assert "alert 2" in str(group["message"]) and "alert 3" in str(group["message"])


def test_a_failing_apprise_receiver_is_retried_and_its_url_never_shown(
    store: Store, tmp_path: Path, webhooks: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = JsonReceiver(webhooks, "/apprise/down", failing=500)
    environ = {"MOBWATCH_APPRISE_URL": receiver.apprise_url("s3cret-token")}
    [channel] = build_channels(
        ["apprise"], ChannelSetup(home=tmp_path, environ=environ)
    ).on.values()
    assert isinstance(channel, AppriseChannel) and "s3cret" not in repr(channel)
    store.record_alert(alert(1, Severity.CRITICAL))
    report = deliver_pending(store, [channel], CONFIG, sleep=lambda _: None)
    assert report.failed == {"apprise": "Apprise (json): not delivered"}
    tries = [r for r in webhooks.requests if r.route == "/apprise/down"]
    assert len(tries) == CONFIG.outbox.tries_per_run
    assert "s3cret" not in caplog.text
    receiver.failing = None
    later = datetime.now(UTC) + timedelta(hours=2)
    assert deliver_pending(store, [channel], CONFIG, now=later).delivered == {"apprise": 1}


def test_an_unreadable_apprise_url_turns_the_channel_off(tmp_path: Path) -> None:
    environ = {"MOBWATCH_APPRISE_URL": "nonsense://s3cret@x"}
    built = build_channels(["apprise"], ChannelSetup(home=tmp_path, environ=environ))
    assert built.off == {"apprise": "MOBWATCH_APPRISE_URL is not an Apprise URL"}


def test_the_feeds_are_valid_atom_and_json_feed_one_per_route(store: Store, tmp_path: Path) -> None:
    for n in (1, 2, 3):
        store.record_alert(alert(n, Severity.CRITICAL if n == 1 else Severity.WARNING))
    muted = alert(4)
    store.record_alert(muted)
    store.hold_alert(muted.fingerprint, "silenced", "silence 1", at=datetime.now(UTC))
    write_feeds(store, tmp_path)
    names = sorted(path.name for path in (tmp_path / "feeds").iterdir())
    assert names == sorted(
        f"{r}.{k}" for r in ("critical", "warning", "info", "operator") for k in ("atom", "json")
    )
    atom = (tmp_path / "feeds" / "warning.atom").read_bytes()
    ET.fromstring(atom)  # well-formed XML, strictly
    parsed = feedparser.parse(atom)
    assert parsed.bozo == 0 and parsed.version == "atom10"
    assert parsed.feed.title == "mobwatch: warning alerts"
    titles = [entry.title for entry in parsed.entries]
    assert sorted(titles) == [
        "[warning] regional_bonus_record: alert 2 <b>&amp; «record»</b>",
        "[warning] regional_bonus_record: alert 3 <b>&amp; «record»</b>",
    ]  # the silenced alert is left out; the markup stayed text
    assert {entry.link for entry in parsed.entries} == {
        "http://example.org/2?a=1&b=2",
        "http://example.org/3?a=1&b=2",
    }
    assert all(
        entry.id.startswith("urn:mobwatch:alert:") and entry.updated for entry in parsed.entries
    )
    document = json.loads((tmp_path / "feeds" / "critical.json").read_text("utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    [item] = document["items"]
    assert (
        item["id"] == f"urn:mobwatch:alert:{1:064x}"
        and item["url"] == "http://example.org/1?a=1&b=2"
    )
    empty = feedparser.parse((tmp_path / "feeds" / "operator.atom").read_bytes())
    assert empty.bozo == 0 and empty.entries == []


def test_the_feeds_are_served_on_loopback_and_nothing_else_is(store: Store, tmp_path: Path) -> None:
    store.record_alert(alert(1))
    write_feeds(store, tmp_path)
    (tmp_path / "mobwatch.db.copy").write_text("not for readers", "utf-8")
    with serving_feeds(tmp_path, 0) as url, httpx.Client(base_url=url) as http:
        reply = http.get("/warning.atom")
        assert reply.headers["content-type"].startswith("application/atom+xml")
        parsed = feedparser.parse(reply.content)
        assert parsed.bozo == 0 and len(parsed.entries) == 1
        assert http.get("/warning.json").json()["items"][0]["id"].endswith(f"{1:064x}")
        for path in ("/", "/../mobwatch.db.copy", "/%2e%2e/mobwatch.db.copy", "/feeds"):
            assert http.get(path).status_code == 404

"""One act published by the legal portal (with its number) and the Kremlin's feed (whose
entry carries no number): one observation, one Slack message and one email, whichever
source lands first, and nothing sent again when a later pass reads either of them again.

The act is a hypothetical amendment of Decree № 647, written for the test in the shape of
the portal's `/api/Documents` items and the Kremlin's Atom entries (see the samples in
demo/samples); no real decree of that number and date exists.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from mobwatch.demo.server import LoopbackServer
from mobwatch.fetching.client import HttpClient
from mobwatch.indicators.model import Indicator
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.pipeline.settings import Settings, load_sources
from mobwatch.pipeline.stages import deliver, marker_round, read_source
from mobwatch.store.store import Store
from tests.alerts.receivers import SmtpServer, Webhook, smtp_server

SIGNED = date(2027, 1, 15)
AMENDED = (
    "Указ Президента Российской Федерации от 21 сентября 2022 г. № 647 "
    "«Об объявлении частичной мобилизации в Российской Федерации»"
)
NAME = f"О внесении изменений в {AMENDED}"
TEXT = (
    f"<p>1. Внести в {AMENDED} изменение, дополнив пункт 2 словами «, а также граждан, "
    "пребывающих в мобилизационном людском резерве».</p>"
    "<p>2. Настоящий Указ вступает в силу со дня его подписания.</p>"
    "<p>Президент Российской Федерации В.Путин</p><p>Москва, Кремль</p>"
    "<p>15 января 2027 года</p>"  # the feed's signature block ends with the date
)
PORTAL_ITEM = {
    "eoNumber": "0001202701150004",
    "complexName": f'Указ Президента Российской Федерации от 15.01.2027 № 12\n "{NAME}"',
    "name": f'"{NAME}"',
    "number": "12",
    "documentDate": "2027-01-15T00:00:00",
    "publishDateShort": "2027-01-15T00:00:00",
    "title": f'Указ Президента Российской Федерации от 15.01.2027 № 12<br /> "{NAME}"',
    "viewDate": "15.01.2027",
    "id": "7c1e8f2a-1d2b-5c3e-9f4a-0b1c2d3e4f50",
    "hasSvg": False,
    "pagesCount": 1,
}
FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ru">
  <title>Президент России: Документы</title>
  <id>http://kremlin.ru/acts/news/feed</id>
  <updated>2027-01-15T18:00:00+04:00</updated>
  <entry>
    <title>{escape(f"Указ «{NAME}»")}</title>
    <link rel="alternate" type="text/html" href="/acts/news/80001"/>
    <id>http://kremlin.ru/acts/news/80001</id>
    <published>2027-01-15T18:00:00+04:00</published>
    <updated>2027-01-15T18:00:00+04:00</updated>
    <content type="html">{escape(TEXT)}</content>
  </entry>
</feed>
"""
SOURCES = """
[[sources]]
name = "pravo-president"
parser = "pravo_api"
url = "{base}/api/Documents"
page_size = 30

[[sources]]
name = "kremlin-acts"
parser = "kremlin_feed"
url = "{base}/acts/news/feed"
"""


@pytest.fixture
def sites() -> LoopbackServer:
    server = LoopbackServer()
    body = {"items": [PORTAL_ITEM], "itemsTotalCount": 1, "currentPage": 1, "pagesTotalCount": 1}
    server.add(
        "/api/Documents",
        json.dumps(body, ensure_ascii=False).encode(),
        content_type="application/json",
    )
    server.add("/acts/news/feed", FEED.encode(), content_type="application/atom+xml")
    with server:
        yield server


@pytest.fixture
def receivers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "smtp").mkdir()
    with LoopbackServer() as hooks, smtp_server(tmp_path / "smtp") as mail:
        slack = Webhook(hooks, "/services/T000/B000/analysts")
        monkeypatch.setenv("MOBWATCH_SLACK_WEBHOOK_URL", slack.url)
        monkeypatch.setenv("MOBWATCH_SMTP_URL", mail.url())
        monkeypatch.setenv("MOBWATCH_EMAIL_FROM", "mobwatch@example.org")
        monkeypatch.setenv("MOBWATCH_EMAIL_TO", "analyst@example.org")
        yield slack, mail


def _pass(sites: LoopbackServer, tmp_path: Path, names: tuple[str, ...]) -> None:
    """Read the named sources, raise the markers' alerts and deliver them, as a pass does."""
    path = tmp_path / "sources.toml"
    path.write_text(SOURCES.replace("{base}", sites.url), "utf-8")
    settings = Settings.resolve(home=tmp_path / "home", sources=path)
    store = Store.open(settings.db_url)
    try:
        with HttpClient(validators=None) as client:
            for source in load_sources(path):
                if source.name in names:
                    report = read_source(source, client=client, store=store, since=SIGNED)
                    assert report.error is None, report.error
        as_of = SIGNED + timedelta(days=1)
        config = load_marker_config(settings.markers_file)
        marker_round(store, config, as_of=as_of, window_days=30)
        deliver(store, settings, as_of=as_of, sleep=lambda _: None)
    finally:
        store.close()


def _stored(tmp_path: Path) -> tuple[list, list]:
    store = Store.open(f"sqlite:///{tmp_path / 'home' / 'mobwatch.db'}")
    try:
        return store.observations(Indicator.MOBILISATION_DECREE), store.alerts()
    finally:
        store.close()


@pytest.mark.parametrize(
    "order",
    [
        (("pravo-president", "kremlin-acts"),),  # both in one pass
        (("kremlin-acts",), ("pravo-president",)),  # the feed first, the portal a pass later
        (("pravo-president",), ("kremlin-acts",)),  # the portal first
    ],
    ids=["one-pass", "feed-first", "portal-first"],
)
def test_one_act_from_two_sources_is_one_message_per_channel(
    sites: LoopbackServer,
    receivers: tuple[Webhook, SmtpServer],
    tmp_path: Path,
    order: tuple[tuple[str, ...], ...],
) -> None:
    slack, mail = receivers
    for names in order:
        _pass(sites, tmp_path, names)
    _pass(sites, tmp_path, ("pravo-president", "kremlin-acts"))  # a rerun: nothing new

    acts, alerts = _stored(tmp_path)
    assert len(acts) == 1
    act = acts[0]
    assert act.document_number == "12" and act.event_date == SIGNED
    assert {link.source for link in act.links} == {"pravo-president", "kremlin-acts"}
    raised = [alert for alert in alerts if alert.marker == "mobilisation_declared"]
    assert len(raised) == 1
    # The alert's evidence holds both sources' links, however they came.
    assert {item.url for item in raised[0].evidence} == {link.url for link in act.links}
    # One Slack message and one email about the act (the risk level's change is a warning
    # of its own, which goes to Slack only).
    assert slack.fingerprints().count(raised[0].fingerprint) == 1
    assert len(slack.posts) == 2
    assert len(mail.mailbox.messages) == 1

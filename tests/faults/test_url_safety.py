"""URL safety at the pass level: a source reads its own host, over HTTP, and nothing else.

The client refuses other schemes and other hosts on redirects (tests/fetching/
test_client.py; the fault matrix runs them through whole passes). Here: the links a page
gives to follow. Whatever a parser hands back (a file path, another host, a scheme-relative
link, something that is not a URL at all), the stage follows only http(s) links on the
source's own host, notes the rest, and never fails the source for them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from mobwatch import parsers
from mobwatch.demo.server import LoopbackServer
from mobwatch.fetching.client import HttpClient
from mobwatch.fetching.page import Page
from mobwatch.parsers.base import Document, Parsed, Source
from mobwatch.pipeline.stages import read_source
from mobwatch.store.store import Store

HOSTILE_LINKS = [
    "file:///etc/passwd",
    "ftp://127.0.0.1:{port}/pub/acts",
    "javascript:alert(1)",
    "data:text/html,<h1>x</h1>",
    "http://localhost:{port}/another-host",
    "//localhost:{port}/scheme-relative",
    "http://[::1",  # not a URL at all
    "http://127.0.0.1:{port}/same-host",  # the one link to follow
]


def links_parser(port: int) -> SimpleNamespace:
    """A parser kind whose listing page links everywhere; its other pages hold one act."""

    def plan(source: Source, since: date | None, until: date | None) -> list[str]:
        return [source.url]

    def parse(page: Page, context: object = None) -> Parsed:
        document = Document(url=page.url, title="Указ Президента Российской Федерации")
        if page.url.endswith("/list"):
            links = [link.format(port=port) for link in HOSTILE_LINKS]
            return Parsed(documents=[document], follow=links)
        return Parsed(documents=[document])

    return SimpleNamespace(KIND="links", plan=plan, parse=parse)


def test_only_http_links_on_the_sources_own_host_are_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    with LoopbackServer() as server:
        port = int(server.url.rsplit(":", 1)[1])
        monkeypatch.setitem(parsers.PARSERS, "links", links_parser(port))
        server.add("/list", b"<html></html>", content_type="text/html")
        server.add("/same-host", b"<html></html>", content_type="text/html")
        source = Source("links", "links", f"{server.url}/list")
        with HttpClient(retries=0) as client:
            report = read_source(source, client=client, store=store)
        paths = [request.path for request in server.requests]
    store.close()
    assert report.error is None, report.error
    assert paths == ["/list", "/same-host"]
    assert report.pages == 2 and report.documents == 2
    assert len(report.notes) == len(HOSTILE_LINKS) - 1
    assert all(note.startswith("not followed") for note in report.notes)

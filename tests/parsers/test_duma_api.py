"""The State Duma's bills API: the key as configuration, stages read from the latest event,
bills on military service kept, and a pass over loopback that stores each stage."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from mobwatch.demo.server import LoopbackServer
from mobwatch.fetching.client import HttpClient
from mobwatch.fetching.page import Page
from mobwatch.indicators.extract.extraction import read_facts
from mobwatch.indicators.model import Indicator
from mobwatch.parsers import duma_api, get_parser
from mobwatch.parsers.base import NotConfigured, ParseError, Source
from mobwatch.pipeline.stages import read_source
from mobwatch.store.store import Store

LoadPage = Callable[..., Page]
JSON = "application/json; charset=utf-8"
API = "http://api.duma.gov.ru/api"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "duma_api"


def source(url: str = API, **options: object) -> Source:
    return Source(name="duma-bills", parser="duma_api", url=url, options=dict(options))


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(duma_api.TOKEN_ENV, raising=False)
    monkeypatch.delenv(duma_api.APP_TOKEN_ENV, raising=False)


def test_registered_by_its_kind() -> None:
    assert get_parser("duma_api") is duma_api


def test_without_a_key_plan_says_what_to_set(no_key: None) -> None:
    with pytest.raises(NotConfigured) as missing:
        duma_api.plan(source(), None, None)
    assert "MOBWATCH_DUMA_TOKEN" in str(missing.value)
    assert "MOBWATCH_DUMA_APP_TOKEN" in str(missing.value)


def test_plan_puts_the_token_in_the_path_and_searches_each_law(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(duma_api.TOKEN_ENV, "t0ken")
    monkeypatch.setenv(duma_api.APP_TOKEN_ENV, "app0")
    urls = duma_api.plan(source(limit=5), None, None)
    assert len(urls) == len(duma_api.DEFAULT_NAMES)
    parts = urlsplit(urls[0])
    assert parts.path == "/api/t0ken/search.json"
    query = parse_qs(parts.query)
    assert query["app_token"] == ["app0"] and query["limit"] == ["5"]
    assert query["name"] == ["О воинской обязанности и военной службе"]
    assert query["sort"] == ["last_event_date"]


def test_each_stage_is_a_document_with_number_title_stage_date_link(load_page: LoadPage) -> None:
    page = load_page("duma_api/search-page-1.json", f"{API}/t/search.json?limit=3&page=1", JSON)
    parsed = duma_api.parse(page)
    stages = {(doc.act_number, doc.stage): doc for doc in parsed.documents}
    assert set(stages) == {
        ("1123401-8", "introduced"),
        ("1123401-8", "first_reading"),
        ("1123402-8", "introduced"),  # its latest event is a committee's work, not a stage
        ("1123403-8", "introduced"),
        ("1123403-8", "rejected"),
    }
    reading = stages[("1123401-8", "first_reading")]
    assert reading.published == date(2026, 3, 18)
    assert reading.url == "http://sozd.duma.gov.ru/bill/1123401-8"
    assert "статью 38" in reading.title and "«24 месяца»" in reading.text
    assert stages[("1123401-8", "introduced")].published == date(2026, 2, 10)
    assert parsed.older is not None and parse_qs(urlsplit(parsed.older).query)["page"] == ["2"]


def test_the_last_page_names_no_older_one(load_page: LoadPage) -> None:
    page = load_page("duma_api/search-page-2.json", f"{API}/t/search.json?limit=3&page=2", JSON)
    parsed = duma_api.parse(page)
    assert parsed.older is None
    assert ("1123405-8", "signed") in {(doc.act_number, doc.stage) for doc in parsed.documents}


def test_an_error_object_is_an_error_not_an_empty_page(load_page: LoadPage) -> None:
    page = load_page("duma_api/bad-key.json", f"{API}/t/search.json", JSON)
    with pytest.raises(ParseError, match="Неверный токен"):
        duma_api.parse(page)


def test_only_bills_on_military_service_become_observations(load_page: LoadPage) -> None:
    documents = [
        doc
        for name in ("search-page-1.json", "search-page-2.json")
        for doc in duma_api.parse(load_page(f"duma_api/{name}", f"{API}/t/{name}", JSON)).documents
    ]
    observations = read_facts(documents, "duma-bills")
    assert {obs.indicator for obs in observations} == {Indicator.SERVICE_BILL}
    numbers = {obs.document_number for obs in observations}
    assert "1123404-8" not in numbers  # the forest code
    term = next(obs for obs in observations if obs.details["stage"] == "first_reading")
    [change] = term.details["changes"]
    assert change["kind"] == "service_term" and change["widens"] is True
    assert term.evidence == "слова «12 месяцев» заменить словами «24 месяца»"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    yield opened
    opened.close()


def test_a_pass_over_loopback_stores_each_stage(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(duma_api.TOKEN_ENV, "t0ken")
    monkeypatch.setenv(duma_api.APP_TOKEN_ENV, "app0")
    with LoopbackServer() as server:
        path = "/api/t0ken/search.json"
        server.add(path, (FIXTURES / "search-page-1.json").read_bytes(), content_type=JSON)
        bills = source(
            f"{server.url}/api", names=["О воинской обязанности и военной службе"], limit=3
        )
        with HttpClient(retries=0) as client:
            report = read_source(bills, client=client, store=store)
        sent = [parse_qs(urlsplit(request.path).query) for request in server.requests]
    assert report.errors == []
    # A pass reads the latest events (page 1); older pages are for backfill.
    assert [query["page"] for query in sent] == [["1"]]
    assert all(query["app_token"] == ["app0"] for query in sent)
    stored = store.observations(Indicator.SERVICE_BILL)
    assert {(obs.document_number, obs.details["stage"]) for obs in stored} == {
        ("1123401-8", "introduced"),
        ("1123401-8", "first_reading"),
        ("1123402-8", "introduced"),
        ("1123403-8", "introduced"),
        ("1123403-8", "rejected"),
    }
    [health] = store.source_health()
    assert health.last_error is None


def test_a_pass_without_a_key_is_not_configured_not_failing(store: Store, no_key: None) -> None:
    with LoopbackServer() as server, HttpClient(retries=0) as client:
        report = read_source(source(f"{server.url}/api"), client=client, store=store)
        requests = len(server.requests)
    assert requests == 0
    assert report.errors == []
    assert report.notes == [
        "not configured: set MOBWATCH_DUMA_TOKEN and MOBWATCH_DUMA_APP_TOKEN "
        "(a free key from http://api.duma.gov.ru/key-request)"
    ]
    assert store.source_health() == []  # nothing recorded against the source

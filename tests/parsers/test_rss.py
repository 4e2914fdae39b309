"""The news feed parser on feeds in the real formats (docs/sources.md §4) and article pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from mobwatch.fetching.page import Page
from mobwatch.parsers import rss
from mobwatch.parsers.base import ParseContext, ParseError, Source

RSS = "application/rss+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
KEYWORDS = ["выплат", "контракт"]

Loader = Callable[..., Page]


def context(url: str, **options: object) -> ParseContext:
    return ParseContext(Source("feed", "rss", url, dict(options)))


def test_yandex_full_text_is_the_document_text(load_page: Loader) -> None:
    url = "https://tass.ru/rss/yandex.xml"
    parsed = rss.parse(load_page("rss/tass-yandex.xml", url, RSS))
    first, second = parsed.documents
    assert first.url == "https://tass.ru/obschestvo/21504607"
    assert first.published == date(2024, 8, 1)
    assert first.text.splitlines()[0].endswith("— с 400 до 800 тыс. рублей.")
    assert "\xa0" not in first.text
    # 23:30 UTC on 31 July is 1 August in Moscow; an item without full text is followed.
    assert second.published == date(2024, 8, 1)
    assert second.text == "Строительство идет по графику"
    assert parsed.follow == ["https://tass.ru/ekonomika/21504700"]


def test_follow_keywords_spare_a_long_feed(load_page: Loader) -> None:
    url = "https://tass.ru/rss/yandex.xml"
    parsed = rss.parse(
        load_page("rss/tass-yandex.xml", url, RSS), context(url, follow_keywords=KEYWORDS)
    )
    assert parsed.follow == []
    never = rss.parse(load_page("rss/tass-yandex.xml", url, RSS), context(url, follow="never"))
    assert never.follow == [] and len(never.documents) == 2


def test_rbc_guid_is_not_a_url_and_related_links_are_not_the_item(load_page: Loader) -> None:
    url = "https://rssexport.rbc.ru/rbcnews/news/30/full.rss"
    [document] = rss.parse(load_page("rss/rbc-full.rss", url, RSS)).documents
    assert document.url == "https://www.rbc.ru/rbcfreenews/6932c3c09a79479bfee7476c"
    assert document.external_id == "6932c3c09a79479bfee7476c"
    assert document.text.startswith("С 1 декабря республиканская единовременная выплата")


def test_title_only_items_are_followed_to_their_articles(load_page: Loader) -> None:
    url = "https://ria.ru/export/rss2/archive/index.xml"
    parsed = rss.parse(
        load_page("rss/ria-archive.xml", url, RSS), context(url, follow_keywords=KEYWORDS)
    )
    assert parsed.follow == ["https://ria.ru/20251016/vyplata-2048667516.html"]
    assert [doc.text for doc in parsed.documents] == ["", ""]  # the items stay, textless


def test_an_article_page_gives_the_story_not_the_menus(load_page: Loader) -> None:
    url = "https://ria.ru/20251016/vyplata-2048667516.html"
    page = load_page("rss/ria-article.html", url, HTML)
    for options in ({}, {"article": "div.article__body"}):
        [article] = rss.parse(page, context("https://ria.ru/feed", **options)).documents
        assert article.url == url
        assert article.published == date(2025, 10, 16)
        assert article.title.startswith("Меликов увеличил выплату")
        assert "до 2 млн рублей" in article.text and "с 20 октября" in article.text
        assert "Политика" not in article.text and "Россия сегодня" not in article.text
    with pytest.raises(ParseError, match="matched nothing"):
        rss.parse(page, context("https://ria.ru/feed", article="div.no-such-block"))


def test_a_windows_1251_feed_is_read_by_its_declaration(load_page: Loader) -> None:
    url = "https://kurgan-news.example/rss"
    page = load_page("rss/regional-cp1251.xml", url, "application/rss+xml")
    [document] = rss.parse(page, context(url, region="RU-KGN", official=False)).documents
    assert document.title == "Шумков повысил выплаты добровольцам"
    assert "вырастет с 650 тыс. до 1,5 млн рублей" in document.text  # content:encoded
    assert document.published == date(2024, 10, 3)
    assert document.region == "RU-KGN"


def test_atom_feeds_are_read_too(load_page: Loader) -> None:
    url = "https://gov.example/news.atom"
    [document] = rss.parse(load_page("rss/atom.xml", url, "application/atom+xml")).documents
    assert document.url == "https://gov.example/news/800"
    assert document.published == date(2024, 10, 25)  # 12:00 +07:00 is 08:00 in Moscow
    assert "увеличена с 400 до 800 тыс. рублей" in document.text


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("rss/entity-bomb.xml", "declares a DTD"),
        ("rss/empty-feed.xml", "the feed lists no items"),
    ],
)
def test_hostile_and_broken_feeds_are_errors(load_page: Loader, fixture: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        rss.parse(load_page(fixture, "https://x.example/feed", RSS))


def test_an_error_page_where_a_feed_should_be_is_an_error() -> None:
    page = Page(
        url="https://tass.ru/rss/yandex.xml",
        body=(
            "<html><head><title>Технические работы</title></head><body>Зайдите позже</body></html>"
        ).encode(),
        content_type=HTML,
    )
    with pytest.raises(ParseError, match="no article text"):
        rss.parse(page)


def test_plan_checks_the_follow_option() -> None:
    assert rss.plan(Source("f", "rss", "https://x.example/rss", {}), None, None) == [
        "https://x.example/rss"
    ]
    with pytest.raises(ValueError, match="follow"):
        rss.plan(Source("f", "rss", "https://x.example/rss", {"follow": "always"}), None, None)

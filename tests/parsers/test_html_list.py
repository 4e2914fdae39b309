"""The configured news-list parser on a windows-1251 regional government site."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from mobwatch.fetching.page import Page
from mobwatch.parsers import html_list
from mobwatch.parsers.base import ParseContext, ParseError, Source

LIST_URL = "https://kurganobl.example/news/"
HTML = "text/html"  # the site names no charset in the header: the page's <meta> does
SOURCE = Source(
    "kurgan-government",
    "html_list",
    LIST_URL,
    {
        "item": "div.news-list__item",
        "title": "a.news-list__title",
        "link": "a.news-list__title",
        "date": "div.news-list__date",
        "article": "div.news-detail",
        "page_param": "PAGEN_1",
        "max_pages": 2,
        "region": "RU-KGN",
        "official": True,
    },
)

Loader = Callable[..., Page]


def test_items_are_read_with_the_configured_selectors(load_page: Loader) -> None:
    page = load_page("html_list/kurgan-list-cp1251.html", LIST_URL, HTML)
    parsed = html_list.parse(page, ParseContext(SOURCE))
    assert [(doc.url, doc.title, doc.published) for doc in parsed.documents] == [
        (
            "https://kurganobl.example/news/detail.php?ELEMENT_ID=165299",
            "Выплата заключившим контракт увеличена в 2,5 раза",
            date(2024, 10, 3),  # «3 октября 2024, 12:40»
        ),
        (
            "https://kurganobl.example/news/detail.php?ELEMENT_ID=165280",
            "Прошло заседание областной думы",
            date(2024, 10, 2),  # «02.10.2024»
        ),
        (
            "https://kurganobl.example/news/detail.php?ELEMENT_ID=164100",
            "Единовременная выплата выросла до 650 тыс. рублей",
            date(2024, 9, 4),  # <time datetime>
        ),
    ]
    assert all(doc.region == "RU-KGN" and doc.official for doc in parsed.documents)
    # Items without their own text are followed to their articles.
    assert parsed.follow == [doc.url for doc in parsed.documents]
    assert parsed.older == "https://kurganobl.example/news/?PAGEN_1=2"


def test_the_next_list_page_is_read_while_the_window_reaches_back(load_page: Loader) -> None:
    page = load_page("html_list/kurgan-list-cp1251.html", LIST_URL, HTML)
    reaching = html_list.parse(page, ParseContext(SOURCE, since=date(2024, 1, 1)))
    assert reaching.follow[-1] == "https://kurganobl.example/news/?PAGEN_1=2"
    # Items older than the window are not followed; the list goes no further back.
    inside = html_list.parse(page, ParseContext(SOURCE, since=date(2024, 10, 1)))
    assert inside.follow == [
        "https://kurganobl.example/news/detail.php?ELEMENT_ID=165299",
        "https://kurganobl.example/news/detail.php?ELEMENT_ID=165280",
    ]
    last = html_list.parse(page, ParseContext(SOURCE, since=date(2024, 1, 1), depth=2))
    assert "https://kurganobl.example/news/?PAGEN_1=2" not in last.follow


def test_an_article_page_gives_its_text(load_page: Loader) -> None:
    url = "https://kurganobl.example/news/detail.php?ELEMENT_ID=165299"
    page = load_page("html_list/kurgan-article-cp1251.html", url, HTML)
    [article] = html_list.parse(page, ParseContext(SOURCE)).documents
    assert article.url == url and article.region == "RU-KGN" and article.official
    assert "вырастет с 650 тыс. до 1,5 млн рублей" in article.text
    assert "областной думы" not in article.text  # the other-news block is not the story


def test_items_with_their_own_text_are_not_followed(load_page: Loader) -> None:
    url = "https://gov.example/press/"
    source = Source(
        "press",
        "html_list",
        url,
        {"item": "li.press__item", "link": "a", "date": "time", "text": "p.press__lead"},
    )
    parsed = html_list.parse(
        load_page("html_list/press-with-leads.html", url), ParseContext(source)
    )
    [document] = parsed.documents
    assert document.title == "В Алтайском крае удвоили выплату контрактникам"
    assert document.text.startswith("С 25 октября до конца года")
    assert document.published == date(2024, 10, 25)
    assert parsed.follow == []


def test_a_changed_layout_is_an_error_naming_the_selector(load_page: Loader) -> None:
    page = load_page("html_list/press-with-leads.html", LIST_URL, HTML)
    with pytest.raises(ParseError) as caught:
        html_list.parse(page, ParseContext(SOURCE))
    assert caught.value.reason.startswith("layout not recognised: no item matches")


def test_without_configuration_common_news_lists_are_read(load_page: Loader) -> None:
    page = load_page("html_list/kurgan-list-cp1251.html", LIST_URL, HTML)
    parsed = html_list.parse(page)
    assert len(parsed.documents) == 3 and parsed.documents[0].published == date(2024, 10, 3)


def test_plan_needs_an_item_selector() -> None:
    assert html_list.plan(SOURCE, None, None) == [LIST_URL]
    with pytest.raises(ValueError, match="item"):
        html_list.plan(Source("x", "html_list", LIST_URL, {}), None, None)
    with pytest.raises(ValueError, match="title"):
        html_list.plan(Source("x", "html_list", LIST_URL, {"item": "li", "title": 3}), None, None)

"""A list page reads the same on lxml's tree as on bs4's: the tree only when it can."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobwatch.fetching.page import Page
from mobwatch.parsers import html_list
from mobwatch.parsers.base import ParseContext, ParseError, Source
from mobwatch.parsers.selecting import SoupSelecting, TreeSelecting, selecting
from tests.parsers.test_html_list import LIST_URL, SOURCE

Loader = Callable[..., Page]
PRESS = Source(
    "press",
    "html_list",
    "https://gov.example/press/",
    {"item": "li.press__item", "link": "a", "date": "time", "text": "p.press__lead"},
)


def through_bs4(source: Source) -> Source:
    """The same source with an item selector soupsieve alone answers, matching the same."""
    options = {**source.options, "item": f"{source.options['item']}:is(*)"}
    return replace(source, options=options)


def test_plain_selectors_are_read_on_the_tree_and_any_other_on_bs4() -> None:
    html = "<div class='a'><a href='/x'>x</a></div>"
    assert isinstance(selecting(html, ["div.a", "a[href]", None]), TreeSelecting)
    assert isinstance(selecting(html, ["div.a", "[class*=date]"]), SoupSelecting)
    assert isinstance(selecting(html, ["a:first-child"]), SoupSelecting)


@pytest.mark.parametrize(
    ("fixture", "source"),
    [("html_list/kurgan-list-cp1251.html", SOURCE), ("html_list/press-with-leads.html", PRESS)],
)
def test_a_list_page_gives_the_same_documents_on_either_tree(
    load_page: Loader, fixture: str, source: Source
) -> None:
    page = load_page(fixture, source.url if source is PRESS else LIST_URL, "text/html")
    on_lxml = html_list.parse(page, ParseContext(source))
    on_bs4 = html_list.parse(page, ParseContext(through_bs4(source)))
    assert on_lxml.documents and on_lxml == on_bs4


FRAGMENTS = st.lists(
    st.sampled_from(
        [
            "<div class='item'>",
            "</div>",
            "<a href='/n/1'>",
            "<a href=''>",
            "</a>",
            "<span class='date'>3 октября 2024</span>",
            "<time datetime='2024-10-02T21:30:00Z'>",
            "</time>",
            "<p class='lead'>Выплата — 1,5 млн рублей.</p>",
            "<br>",
            "<script>var x = '<div class=item>';</script>",
            "<!-- <div class='item'> -->",
            "<template><div class='item'><a href='/t'>t</a></div></template>",
            "  \n ",
            "Новость&nbsp;дня",
            "<pre> a  b </pre>",
            "<li class='item'><a href='/l'>",
        ]
    ),
    max_size=30,
)


OPTIONS = st.sampled_from(
    [
        {"item": "div.item, li.item", "link": "a", "date": "span.date, time", "text": "p.lead"},
        # Selectors the item itself matches: only what is inside the item counts.
        {"item": "div.item", "link": "a", "title": "div", "date": "div", "text": "div"},
        {"item": "a", "link": "a[href]", "date": "[datetime]"},
    ]
)


@settings(max_examples=300, deadline=None)
@given(FRAGMENTS, OPTIONS)
def test_broken_markup_reads_the_same_on_either_tree(
    fragments: list[str], options: dict[str, str]
) -> None:
    source = Source("any", "html_list", "https://gov.example/list/", options)
    page = Page(url=source.url, body="".join(fragments).encode(), content_type="text/html")

    def outcome(reading: Source) -> object:
        try:
            return html_list.parse(page, ParseContext(reading))
        except ParseError as error:
            return error.reason.replace(":is(*)", "")

    assert outcome(source) == outcome(through_bs4(source))

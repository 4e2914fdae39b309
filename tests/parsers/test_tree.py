"""lxml's tree read as bs4 reads its own: the same text, the same elements selected.

The parsers read article and channel pages on lxml's tree (`parsers.tree`, `parsers.css`)
where they used bs4's; these cases pin the differences between the two that mattered.
"""

from __future__ import annotations

import random

import pytest
import soupsieve

from mobwatch.parsers.css import compile_plain, select
from mobwatch.parsers.text import element_text, html_soup, html_to_text, tree_text
from mobwatch.parsers.tree import document_strings, html_tree, strings, top_level


def _bs4_text(markup: str) -> str:
    return element_text(html_soup(markup))


def _lxml_text(markup: str) -> str:
    root = html_tree(markup)
    return tree_text(root) if len(top_level(root)) == 1 else html_to_text(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<p>one</p><p>two<br>three</p>",
        "<div>a<script>x</script>b<style>y</style>c<template>t</template>d</div>",
        "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby> и дальше",
        "<span>x</span><img> <span>y</span>",
        "<p>a</p>\x0c<b>b</b>",  # whitespace alone reads as one space, as bs4 collapses it
        "<p>a\r</p><i>b</i>\r<i>c</i>",
        "<pre>  kept\x0c  </pre>",
        "<noscript>shown</noscript>",
        "<div>x<!-- note -->y<?php no ?>z</div>",
        "<p>Москва\u00a0— <b>2,5\u202fмлн</b>\u2028рублей</p>",
    ],
)
def test_text_is_bs4s(markup: str) -> None:
    assert _lxml_text(markup) == _bs4_text(markup)


def test_an_element_of_its_own_kind_reads_its_own_text() -> None:
    # bs4 gives strings inside a `template` (or `script`) their own type: the element reads
    # them, any other element does not.
    root = html_tree("<template><p>hidden</p>shown to the template</template>")
    template = next(root.iter("template"))
    assert "".join(strings(template)) == "hiddenshown to the template"
    assert "".join(strings(next(template.iter("p")))) == ""
    soup = html_soup("<template><p>hidden</p>shown to the template</template>")
    assert soup.template.get_text() == "hiddenshown to the template"
    assert soup.template.p.get_text() == ""


def test_content_after_the_document_end_is_kept() -> None:
    markup = "<html><body><p>a</p></body></html>\n<p>after</p>tail"
    root = html_tree(markup)
    assert [node.tag for node in top_level(root)] == ["html", "html"]
    # The newline between the two lies outside both elements: lxml's tree drops it, which
    # is why `html_to_text` reads whole documents with bs4.
    assert "".join(document_strings(root)) == "aaftertail"
    assert html_to_text(markup) == _bs4_text(markup) == "a\nafter\ntail"


def test_a_leading_byte_order_mark_is_dropped_as_bs4_does() -> None:
    assert html_to_text("\ufeff<p>x</p>") == _bs4_text("\ufeff<p>x</p>") == "x"


def test_an_empty_document_reads_as_nothing() -> None:
    assert html_to_text("") == html_to_text("   ") == ""


@pytest.mark.parametrize(
    "selector",
    [
        "div.article__body",
        "DIV.Article__body",
        "main > div p, .text",
        "article p",
        "*.news-detail",
        "#content",
        "div[data-type]",
        "body div > p",
        "div.a.b",
    ],
)
def test_plain_selectors_select_what_soupsieve_selects(selector: str) -> None:
    markup = (
        "<main><div class='text a b' id=content data-type=x><p>one</p></div>"
        "<div class='article__body'><p>two</p></div></main><article><p>three</p></article>"
        "<div class='news-detail'>four</div><template><div class=text>five</div></template>"
    )
    plain = compile_plain(selector)
    assert plain is not None
    found = next(select(top_level(html_tree(markup)), plain), None)
    expected = html_soup(markup).select_one(selector)
    assert (found is None) == (expected is None)
    if found is not None and expected is not None:
        assert tree_text(found) == element_text(expected)


@pytest.mark.parametrize("selector", ["div[data-type=x]", "p:first-child", "div.тест", "a ~ b"])
def test_other_selectors_are_left_to_soupsieve(selector: str) -> None:
    assert compile_plain(selector) is None


def test_a_selector_soupsieve_rejects_is_rejected() -> None:
    with pytest.raises(soupsieve.SelectorSyntaxError):
        compile_plain("div..x")


_PIECES = [
    "<p>",
    "</p>",
    "<div class='text'>",
    "</div>",
    "<br>",
    "<b>",
    "</b>",
    "<script>",
    "</script>",
    "<template>",
    "</template>",
    "<rt>",
    "<pre>",
    "<!-- c -->",
    "&amp;",
    "&nbsp;",
    " ",
    "\n",
    "\x0c",
    "\r",
    "\u00a0",
    "слово",
    "word",
    "1,5 млн",
    "</html>",
]


def test_random_markup_reads_as_in_bs4() -> None:
    rng = random.Random(8)
    for _ in range(2000):
        markup = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(1, 40)))
        assert html_to_text(markup) == _bs4_text(markup), markup

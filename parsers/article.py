"""A news article page as a document: its headline, date and main text.

Shared by the kinds that follow links to articles (`rss`, `html_list`). A source may name
the text's container with a CSS selector (option `article`); otherwise the text is found
the way readers find it: the article's own markup (`article`, `itemprop=articleBody`),
else the block whose own paragraphs hold the most text, so menus, related-news lists and
footers (many short links) lose to the story.

Pages are read on lxml's tree (`parsers.tree`, `parsers.css`): an article page is the
parsers' most common page, and building bs4's tree was most of its cost. The rules are
bs4's: the headline and date are looked up as `find` does (in document order, `template`
contents included), the text's container as `select` does, and the page's noise (menus,
forms, figures, scripts) is skipped as if decomposed. A selector outside the plain subset
of `mobwatch.parsers.css` is still answered by soupsieve on a bs4 tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from mobwatch.fetching.page import Page
from mobwatch.parsers.base import Document, ParseError
from mobwatch.parsers.css import compile_plain, searched, select
from mobwatch.parsers.text import (
    INVISIBLE,
    clean_title,
    element_text,
    html_soup,
    one_line,
    plain_lines,
    tree_text,
)
from mobwatch.parsers.tree import (
    Element,
    document_strings,
    elements,
    first,
    html_tree,
    inside,
    strings,
    stripped_length,
    tag_of,
    top_level,
)

MOSCOW = timezone(timedelta(hours=3))


def _article_body(node: Element) -> bool:
    """`[itemprop=articleBody]`: soupsieve compares this attribute's value as written."""
    return node.get("itemprop") == "articleBody"


def _plain(selector: str) -> Callable[[Element], bool]:
    compiled = compile_plain(selector)
    if compiled is None:
        raise ValueError(f"not a plain selector: {selector!r}")
    return lambda node: any(member.matches(node) for member in compiled)


_ARTICLE_SELECTORS: tuple[Callable[[Element], bool], ...] = (
    _article_body,
    *map(
        _plain, ("article", "div.article__text", "div.article-text", "div.news-detail", "div.text")
    ),
)
_NOISE = frozenset(
    {"nav", "header", "footer", "aside", "form", "figure", "script", "style", "noscript"}
)
_DATE_META = (
    ("meta", "property", "article:published_time"),
    ("meta", "itemprop", "datePublished"),
    ("meta", "name", "pubdate"),
)
_MIN_TEXT = 40  # characters: below this a block is a caption or a button, not a story


def read_article(page: Page, selector: str | None = None) -> Document:
    """The article on `page`; `ParseError` when the page holds no readable story."""
    root = html_tree(page.text)
    tops = top_level(root)
    title = _headline(tops)
    published = _published(tops, page.url)
    text = _body_text(page, root, selector)
    if len(text) < _MIN_TEXT:
        raise ParseError(page.url, f"no article text on the page: {title or 'untitled page'}")
    return Document(
        url=page.url, title=title or text.splitlines()[0][:200], text=text, published=published
    )


def moscow_date(stamp: str) -> date | None:
    """The Moscow calendar date of an ISO 8601 time; a bare date is taken as written."""
    try:
        moment = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(MOSCOW).date()


def _headline(tops: list[Element]) -> str:
    og_title = next(
        (tag for tag in elements(tops, "meta") if tag.get("property") == "og:title"), None
    )
    for tag in (og_title, first(tops, "h1"), first(tops, "title")):
        if tag is not None:
            text = str(tag.get("content", "")) if tag_of(tag) == "meta" else " ".join(strings(tag))
            if one_line(text):
                return clean_title(text)
    return ""


def _published(tops: list[Element], url: str) -> date | None:
    for name, attribute, value in _DATE_META:
        tag = next((tag for tag in elements(tops, name) if tag.get(attribute) == value), None)
        if tag is not None and (day := moscow_date(str(tag.get("content", "")))):
            return day
    stamp = next(
        (
            tag
            for tag in searched(tops)
            if tag_of(tag) == "time" and tag.get("datetime") is not None
        ),
        None,
    )
    if stamp is not None and (day := moscow_date(str(stamp.get("datetime")))):
        return day
    # News sites put the date in the address: /2025/10/16/, /20251016/.
    if match := re.search(r"/(20\d\d)/?(\d\d)/?(\d\d)(?:/|\b)", url):
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    return None


def _body_text(page: Page, root: Element, selector: str | None) -> str:
    tops = top_level(root)
    if selector:
        plain = compile_plain(selector)
        if plain is None:  # beyond the plain subset: soupsieve decides, on bs4's tree
            return _selected_by_soupsieve(page, selector)
        found = next(select(tops, plain), None)
        if found is None:
            raise ParseError(page.url, f"the article selector {selector!r} matched nothing")
        return tree_text(found)
    dropped = _NOISE | INVISIBLE
    for candidate in _ARTICLE_SELECTORS:
        found = [tag for tag in searched(tops) if candidate(tag) and not _noise(tag)]
        if not found:
            continue
        block = _common_ancestor(found)
        if block is None:  # the whole document holds them
            if _document_length(root) >= _MIN_TEXT:
                return plain_lines("".join(document_strings(root, dropped=dropped, lines=True)))
        elif stripped_length(block, _NOISE) >= _MIN_TEXT:
            return tree_text(block, dropped)
    return tree_text(_largest_text_block(tops, page.url), dropped)


def _selected_by_soupsieve(page: Page, selector: str) -> str:
    found = html_soup(page.text).select_one(selector)
    if found is None:
        raise ParseError(page.url, f"the article selector {selector!r} matched nothing")
    return element_text(found)


def _noise(tag: Element) -> bool:
    """Menus, forms, figures and scripts, and whatever they hold: not the story."""
    return tag_of(tag) in _NOISE or inside(tag, _NOISE)


def _document_length(root: Element) -> int:
    return sum(len(text.strip()) for text in document_strings(root, dropped=_NOISE))


def _common_ancestor(tags: list[Element]) -> Element | None:
    """The smallest element holding every tag: sites split a story into several blocks of
    one class (RIA's `article__text`). None when only the document holds them all."""
    block: Element | None = tags[0]
    while block is not None and not all(
        tag is block or any(above is block for above in tag.iterancestors()) for tag in tags
    ):
        block = block.getparent()
    return block


def _largest_text_block(tops: list[Element], url: str) -> Element:
    """The element whose own paragraphs hold the most text."""

    def own_text(tag: Element) -> int:
        return sum(stripped_length(child, _NOISE) for child in tag if tag_of(child) == "p")

    candidates = (
        tag for tag in elements(tops, "main", "section", "div", "td") if not inside(tag, _NOISE)
    )
    best = max(candidates, key=own_text, default=None)
    if best is None or own_text(best) == 0:
        raise ParseError(url, "no article text on the page")
    return best

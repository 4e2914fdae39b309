"""A news article page as a document: its headline, date and main text.

Shared by the kinds that follow links to articles (`rss`, `html_list`). A source may name
the text's container with a CSS selector (option `article`); otherwise the text is found
the way readers find it: the article's own markup (`article`, `itemprop=articleBody`),
else the block whose own paragraphs hold the most text, so menus, related-news lists and
footers (many short links) lose to the story.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from bs4 import BeautifulSoup, Tag

from fetching.page import Page
from parsers.base import Document, ParseError
from parsers.text import clean_title, element_text, html_soup, one_line

MOSCOW = timezone(timedelta(hours=3))

_ARTICLE_SELECTORS = (
    "[itemprop=articleBody]",
    "article",
    "div.article__text",
    "div.article-text",
    "div.news-detail",
    "div.text",
)
_NOISE = ["nav", "header", "footer", "aside", "form", "figure", "script", "style", "noscript"]
_DATE_META = (
    ("meta", "property", "article:published_time"),
    ("meta", "itemprop", "datePublished"),
    ("meta", "name", "pubdate"),
)
_MIN_TEXT = 40  # characters: below this a block is a caption or a button, not a story


def read_article(page: Page, selector: str | None = None) -> Document:
    """The article on `page`; `ParseError` when the page holds no readable story."""
    soup = html_soup(page.text)
    title = _headline(soup)
    published = _published(soup, page.url)
    body = _body(soup, selector, page.url)
    text = element_text(body)
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


def _headline(soup: BeautifulSoup) -> str:
    for tag in (soup.find("meta", property="og:title"), soup.h1, soup.title):
        if isinstance(tag, Tag):
            text = str(tag.get("content", "")) if tag.name == "meta" else tag.get_text(" ")
            if one_line(text):
                return clean_title(text)
    return ""


def _published(soup: BeautifulSoup, url: str) -> date | None:
    for name, attribute, value in _DATE_META:
        tag = soup.find(name, attrs={attribute: value})
        if isinstance(tag, Tag) and (day := moscow_date(str(tag.get("content", "")))):
            return day
    stamp = soup.select_one("time[datetime]")
    if stamp is not None and (day := moscow_date(str(stamp["datetime"]))):
        return day
    # News sites put the date in the address: /2025/10/16/, /20251016/.
    if match := re.search(r"/(20\d\d)/?(\d\d)/?(\d\d)(?:/|\b)", url):
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    return None


def _body(soup: BeautifulSoup, selector: str | None, url: str) -> Tag:
    if selector:
        found = soup.select_one(selector)
        if found is None:
            raise ParseError(url, f"the article selector {selector!r} matched nothing")
        return found
    for tag in soup.find_all(_NOISE):
        tag.decompose()
    for candidate in _ARTICLE_SELECTORS:
        found = soup.select(candidate)
        block = _common_ancestor(found) if found else None
        if block is not None and len(block.get_text(strip=True)) >= _MIN_TEXT:
            return block
    return _largest_text_block(soup, url)


def _common_ancestor(tags: list[Tag]) -> Tag | None:
    """The smallest element holding every tag: sites split a story into several blocks of
    one class (RIA's `article__text`)."""
    block: Tag | None = tags[0]
    while block is not None and not all(tag is block or block in tag.parents for tag in tags):
        block = block.parent
    return block


def _largest_text_block(soup: BeautifulSoup, url: str) -> Tag:
    """The element whose own paragraphs hold the most text."""

    def own_text(tag: Tag) -> int:
        return sum(len(p.get_text(strip=True)) for p in tag.find_all("p", recursive=False))

    best = max(soup.find_all(["main", "section", "div", "td"]), key=own_text, default=None)
    if best is None or own_text(best) == 0:
        raise ParseError(url, "no article text on the page")
    return best

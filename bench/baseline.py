"""The baseline reader of `parse_cost.py`: the plainest code that gets the same text out.

BeautifulSoup with Python's own "html.parser" (no lxml, no strainer, nothing cached) reads
each page and `get_text` takes the text of the elements that hold the documents, as a first
scraper would; HTML carried inside a feed is parsed again the same way. The portal's JSON
has no markup: its baseline is `json.loads` and the same fields. Each function returns the
records it read, one per document: address, title, text, date.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable

from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning

from mobwatch.fetching.page import Page

Record = tuple[str, str, str, str]
Baseline = Callable[[list[Page]], list[Record]]


def _soup(markup: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # feeds, read as HTML on purpose
        return BeautifulSoup(markup, "html.parser")


def _text(tag: Tag | None) -> str:
    return tag.get_text("\n", strip=True) if tag is not None else ""


def _attribute(tag: Tag | None, name: str) -> str:
    return str(tag.get(name, "")) if tag is not None else ""


def pravo_json(pages: list[Page]) -> list[Record]:
    return [
        (item["eoNumber"], " ".join(item["complexName"].split()), "", item["publishDateShort"])
        for page in pages
        for item in json.loads(page.text)["items"]
    ]


def atom(pages: list[Page]) -> list[Record]:
    return [
        (
            _attribute(entry.find("link"), "href"),
            _text(entry.find("title")),
            _text(_soup(_text(entry.find("content")))),
            _text(entry.find("published")),
        )
        for page in pages
        for entry in _soup(page.text).find_all("entry")
    ]


def telegram(pages: list[Page]) -> list[Record]:
    return [
        (
            _attribute(post, "data-post"),
            "",
            _text(post.find("div", class_="tgme_widget_message_text")),
            _attribute(post.find("time"), "datetime"),
        )
        for page in pages
        for post in _soup(page.text).find_all("div", class_="tgme_widget_message")
    ]


def _full_text(item: Tag) -> str:
    full = item.find(lambda tag: tag.name.endswith(("full-text", "encoded")))
    return _text(_soup(full.get_text())) if full is not None else ""


def rss_full(pages: list[Page]) -> list[Record]:
    return [
        (
            _text(item.find("guid")),
            _text(item.find("title")),
            _full_text(item),
            _text(item.find("pubdate")),
        )
        for page in pages
        for item in _soup(page.text).find_all("item")
    ]


def article(pages: list[Page]) -> list[Record]:
    records = []
    for page in pages:
        soup = _soup(page.text)
        published = soup.find("meta", attrs={"property": "article:published_time"})
        body = soup.find("div", class_="article__body")
        records.append(
            (page.url, _text(soup.find("h1")), _text(body), _attribute(published, "content"))
        )
    return records


def news_list(pages: list[Page]) -> list[Record]:
    records = []
    for page in pages:
        for item in _soup(page.text).find_all("div", class_="news-item"):
            link = item.find("a", class_="news-item__title")
            date = _text(item.find("span", class_="news-date-time"))
            records.append((_attribute(link, "href"), _text(link), "", date))
    return records


def news_detail(pages: list[Page]) -> list[Record]:
    records = []
    for page in pages:
        soup = _soup(page.text)
        detail = soup.find("div", class_="news-detail")
        date = _text(soup.find("span", class_="news-date-time"))
        records.append((page.url, _text(soup.find("h3")), _text(detail), date))
    return records


BASELINES: dict[str, Baseline] = {
    "pravo_json": pravo_json,
    "atom": atom,
    "telegram": telegram,
    "rss_full": rss_full,
    "article": article,
    "news_list": news_list,
    "news_detail": news_detail,
}

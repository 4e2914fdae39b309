"""A news list page read with CSS selectors from the sources file (docs/sources.md §6).

Regional government sites share no template, so a site is added by configuration: the
selectors below name its news items, and the kind follows each item's link to the article
for its text. A page is a list page when its path is the source's own (its further pages
differ by a query parameter); any other page of the host is an article.

    [[sources]]
    name = "kurgan-government"
    parser = "html_list"
    url = "https://kurganobl.ru/novosti"
    item = "div.news-item"          # one element per news item
    title = "a.news-item__title"    # within the item; default: the link's text
    link = "a[href]"                # within the item; the article's address
    date = "span.news-item__date"   # within the item: `datetime` or «3 октября 2024», «03.10.2024»
    text = "div.news-item__lead"    # optional: the item's own text; then nothing is followed
    article = "div.news-detail"     # optional: the article page's text (default: found)
    page_param = "PAGEN_1"          # optional: the query parameter of further list pages
    max_pages = 3                   # optional: how many list pages a reading may go back
    region = "RU-KGN"               # the subject the site speaks for
    official = true                 # the authority's own site

Without options (a page parsed on its own) the common news-list classes are tried.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from mobwatch.fetching.page import Page
from mobwatch.indicators.russian import parse_date
from mobwatch.parsers.article import moscow_date, read_article
from mobwatch.parsers.base import Document, ParseContext, Parsed, ParseError, Source
from mobwatch.parsers.options import positive_int, with_source_options
from mobwatch.parsers.selecting import Selecting, selecting

KIND = "html_list"

DEFAULTS = {
    "item": ".news-item, .news-list__item, .news__item, article",
    "title": "h2, h3, .title",
    "link": "a[href]",
    "date": "time, [class*=date]",
}
_SELECTOR_KEYS = ("item", "title", "link", "date", "text", "article", "page_param")
_LIST_SELECTORS = ("item", "title", "link", "date", "text")  # read on a list page


def plan(source: Source, since: date | None, until: date | None) -> list[str]:
    """The list page; older list pages come from `parse` (see `page_param`)."""
    for key in _SELECTOR_KEYS:
        value = source.options.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValueError(f"{source.name}: {key} must be a non-empty string, not {value!r}")
    if "item" not in source.options:
        raise ValueError(f"{source.name}: html_list needs an `item` selector")
    positive_int(source.options, "max_pages", 1, source.name)
    return [source.url]


def parse(page: Page, context: ParseContext | None = None) -> Parsed:
    context = context or ParseContext()
    if page.media_type and "html" not in page.media_type:
        raise ParseError(page.url, f"expected an HTML page, got {page.media_type}")
    # A configured source's article pages are known by their address: they are read by
    # `read_article` alone, without a bs4 tree of their own.
    source = context.source
    if source and not _is_list_address(page, source.url, _option(context, "page_param")):
        return _parse_article(page, context)
    reader = selecting(page.text, (_option(context, key) for key in _LIST_SELECTORS))
    if context.source is None and not reader.select(DEFAULTS["item"]):
        return _parse_article(page, context)  # no configuration: a list if it looks like one
    return _parse_list(page, context, reader)


def _parse_article(page: Page, context: ParseContext) -> Parsed:
    selector = context.options.get("article")
    article = read_article(page, selector if isinstance(selector, str) else None)
    return Parsed(documents=[with_source_options(article, context)])


def _option(context: ParseContext, key: str) -> str | None:
    value = context.options.get(key, DEFAULTS.get(key))
    return value if isinstance(value, str) else None


def _is_list_address(page: Page, home_url: str, page_param: str | None) -> bool:
    here, home = urlsplit(page.url), urlsplit(home_url)
    if here.path.rstrip("/") != home.path.rstrip("/"):
        return False
    # Same path: a further list page differs only by the paging parameter; a detail page
    # on the same path (`?ELEMENT_ID=123`) carries others.
    allowed = {key for key, _ in parse_qsl(home.query)} | {page_param}
    return {key for key, _ in parse_qsl(here.query)} <= allowed


def _parse_list(page: Page, context: ParseContext, reader: Selecting) -> Parsed:
    item_selector = _option(context, "item") or DEFAULTS["item"]
    items = reader.select(item_selector)
    if not items:
        title = reader.title() or "untitled page"
        raise ParseError(
            page.url, f"layout not recognised: no item matches {item_selector!r} ({title[:80]})"
        )
    documents = [_item_document(reader, item, page.url, context) for item in items]
    own_text = _option(context, "text") is not None
    follow = []
    for document in documents:
        fresh = not (context.since and document.published and document.published < context.since)
        if not own_text and fresh and document.url not in follow:
            follow.append(document.url)
    older = _older_page(page.url, context)
    if older and _wants_older(documents, context):
        follow.append(older)
    return Parsed(documents=documents, follow=follow, older=older)


def _item_document(reader: Selecting, item: Any, page_url: str, context: ParseContext) -> Document:
    link_selector = _option(context, "link") or DEFAULTS["link"]
    if reader.name(item) == "a" and reader.attribute(item, "href"):
        link = item
    else:
        link = _within(reader, item, link_selector)
    href = (reader.attribute(link, "href") or "").strip() if link is not None else ""
    if not href:
        raise ParseError(page_url, f"layout not recognised: an item without {link_selector!r}")
    title_tag = _within(reader, item, _option(context, "title"))
    title = reader.line(title_tag if title_tag is not None else link)
    text_tag = _within(reader, item, _option(context, "text"))
    text = reader.text(text_tag) if text_tag is not None else ""
    try:
        url = urljoin(page_url, href)
    except ValueError as error:
        raise ParseError(page_url, f"an item link is not a URL: {href!r:.80}") from error
    document = Document(
        url=url,
        title=title or text[:200],
        text=text,
        published=_item_date(reader, _within(reader, item, _option(context, "date"))),
    )
    return with_source_options(document, context)


def _within(reader: Selecting, item: Any, selector: str | None) -> Any | None:
    found = reader.select(selector, item) if selector else []
    return found[0] if found else None


def _item_date(reader: Selecting, tag: Any | None) -> date | None:
    """A list date: a `datetime` attribute, or text as «3 октября 2024», «03.10.2024»."""
    if tag is None:
        return None
    stamped = tag if reader.attribute(tag, "datetime") else _within(reader, tag, "[datetime]")
    if stamped is not None and (day := moscow_date(reader.attribute(stamped, "datetime") or "")):
        return day
    text = reader.line(tag)
    return parse_date(text) or moscow_date(text[:10])


def _older_page(page_url: str, context: ParseContext) -> str | None:
    """The next list page back, when the source names its paging parameter."""
    param = _option(context, "page_param")
    if not param:
        return None
    parts = urlsplit(page_url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    current = next((value for key, value in query if key == param), "1")
    if not current.isdigit():
        return None
    kept = [(key, value) for key, value in query if key != param]
    return parts._replace(query=urlencode([*kept, (param, str(int(current) + 1))])).geturl()


def _wants_older(documents: list[Document], context: ParseContext) -> bool:
    if context.since is None or context.source is None:
        return False
    if context.depth >= positive_int(context.options, "max_pages", 1, context.source.name):
        return False
    dated = [doc.published for doc in documents if doc.published]
    return bool(dated) and min(dated) > context.since

"""Any RSS 2.0 or Atom news feed, and the article pages its items link to (docs/sources.md §4).

Quirks owned here:

* Full text, when the feed carries it, sits in a namespaced element whose name says so:
  TASS's `yandex:full-text`, RBC's `rbc_news:full-text`, `content:encoded`,
  `turbo:content`. They are found by local name, whatever namespace URI a feed declares.
  An item without one is followed to its article page (same host only, as every source),
  whose main text `mobwatch.parsers.article` extracts; the item itself is then not a document, so
  a headline never stands in for the story it announces.
* `guid` is not always a URL (RBC: `isPermaLink="false"`); the item's address is its
  direct `<link>` child, else RBC's `pdalink`, else a permalink guid. Links nested deeper
  (RBC's `related_links`) are never taken for it.
* `pubDate` is RFC 822 (`Tue, 01 Oct 2024 10:15:00 +0300`), read as a Moscow calendar date.
* Old regional feeds are windows-1251 by their XML declaration: the body is decoded the
  project's way (`mobwatch.fetching.decoding`) and handed to a parser that loads no DTD, resolves no
  entity and touches no network; a feed that declares a DTD is refused.

Options: `article` (CSS selector of an article page's text), `follow` ("missing" — the
default: items without full text —, "never"), `follow_keywords` (follow only items whose
title or summary holds one of these stems, to spare a feed of a hundred items a day),
`region`, `official` (as for every kind: the subject a regional outlet covers, and whether
the feed is the authority's own).
"""

from __future__ import annotations

from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree

from mobwatch.fetching.page import Page
from mobwatch.parsers.article import MOSCOW, moscow_date, read_article
from mobwatch.parsers.base import Document, ParseContext, Parsed, ParseError, Source
from mobwatch.parsers.options import with_source_options
from mobwatch.parsers.text import html_to_text, one_line, plain_lines
from mobwatch.parsers.xml import feed_root

KIND = "rss"

ATOM = "{http://www.w3.org/2005/Atom}"
_FULL_TEXT = ("full-text", "encoded", "content")  # local names of namespaced full text
_FOLLOW_MODES = ("missing", "never")


def plan(source: Source, since: date | None, until: date | None) -> list[str]:
    """The feed itself: feeds cannot be asked for a date range, the items carry dates."""
    follow = source.options.get("follow", "missing")
    if follow not in _FOLLOW_MODES:
        raise ValueError(f"{source.name}: follow must be one of {_FOLLOW_MODES}, not {follow!r}")
    return [source.url]


def parse(page: Page, context: ParseContext | None = None) -> Parsed:
    context = context or ParseContext()
    if not _is_xml(page):
        return _parse_article(page, context)
    root = feed_root(page)
    if root.tag == "rss" or root.tag.endswith("}RDF") or root.tag == "rdf:RDF":
        items = list(root.iter("item", "{http://purl.org/rss/1.0/}item"))
    elif root.tag == f"{ATOM}feed":
        items = list(root.iterfind(f"{ATOM}entry"))
    else:
        raise ParseError(page.url, f"not an RSS or Atom feed: the root element is {root.tag!r:.60}")
    if not items:
        # A news feed always lists its latest stories: none is a broken feed, not quiet news.
        raise ParseError(page.url, "the feed lists no items")
    documents: list[Document] = []
    follow: list[str] = []
    for item in items:
        document, full = _item_document(item, page.url, context)
        # The item stays a document even when its article is followed: the article page,
        # at the same address, completes it (and a refused follow loses nothing).
        documents.append(document)
        if not full and _should_follow(document, context) and document.url not in follow:
            follow.append(document.url)
    return Parsed(documents=documents, follow=follow)


def _is_xml(page: Page) -> bool:
    media = page.media_type
    if media and media not in ("text/plain", "application/octet-stream"):
        return media.endswith(("/xml", "+xml")) and media != "application/xhtml+xml"
    head = page.body.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))


# --- items -------------------------------------------------------------------------------


def _item_document(
    item: etree._Element, page_url: str, context: ParseContext
) -> tuple[Document, bool]:
    """The item as a document, and whether it carries the story's full text."""
    atom = item.tag.startswith(ATOM)
    link = _atom_link(item) if atom else _rss_link(item)
    if not link:
        raise ParseError(page_url, "an item has no link")
    try:
        url = urljoin(page_url, link)
    except ValueError as error:
        raise ParseError(page_url, f"an item link is not a URL: {link!r:.80}") from error
    title = one_line(html_to_text(_child(item, "title")))
    if atom:
        stamp = _child(item, "published") or _child(item, "updated")
        summary = _child(item, "summary")
    else:
        stamp = _child(item, "pubDate") or _child(item, "date")
        summary = _child(item, "description")
    full_text = _full_text(item)
    text = full_text or (html_to_text(summary) if summary else "")
    if not title and not text:
        raise ParseError(page_url, "an item has neither a title nor a text")
    document = Document(
        url=url,
        title=title or text.splitlines()[0][:200],
        text=text,
        published=_feed_date(stamp, page_url) if stamp else None,
        external_id=_child(item, "id" if atom else "guid") or url,
    )
    return with_source_options(document, context), bool(full_text)


def _child(item: etree._Element, local: str) -> str:
    """The text of the item's direct child with this local name, any namespace."""
    for child in item:
        if isinstance(child.tag, str) and etree.QName(child).localname == local:
            return "".join(child.itertext()).strip()
    return ""


def _rss_link(item: etree._Element) -> str:
    """The item's own `<link>` (not `atom:link`, not a link nested in related items)."""
    for child in item:
        if child.tag == "link" and (child.text or "").strip():
            return (child.text or "").strip()
    pda = _child(item, "pdalink")
    if pda:
        return pda
    for child in item:
        if child.tag == "guid" and child.get("isPermaLink", "true") != "false":
            return (child.text or "").strip()
    return ""


def _atom_link(entry: etree._Element) -> str:
    links = [link for link in entry.iterfind(f"{ATOM}link") if (link.get("href") or "").strip()]
    alternate = [link for link in links if link.get("rel", "alternate") == "alternate"]
    return (alternate or links)[0].get("href", "").strip() if links else ""


def _full_text(item: etree._Element) -> str:
    """Plain text of the item's namespaced full text, if it has one."""
    for child in item:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child)
        if name.namespace and name.localname in _FULL_TEXT:
            raw = "".join(child.itertext())
            text = html_to_text(raw) if "<" in raw else plain_lines(raw)
            if text:
                return text
    return ""


def _feed_date(stamp: str, page_url: str) -> date:
    try:
        moment = parsedate_to_datetime(stamp)
    except (TypeError, ValueError):
        day = moscow_date(stamp)  # Atom and Dublin Core dates are ISO 8601
        if day is None:
            raise ParseError(page_url, f"not a feed date: {stamp!r:.40}") from None
        return day
    return moment.astimezone(MOSCOW).date() if moment.tzinfo else moment.date()


def _should_follow(document: Document, context: ParseContext) -> bool:
    options = context.options
    if options.get("follow", "missing") == "never":
        return False
    if context.since and document.published and document.published < context.since:
        return False  # older than the window asked for: not worth a request
    keywords = options.get("follow_keywords")
    if not keywords:
        return True
    words = f"{document.title} {document.text}".lower()
    return any(str(stem).lower() in words for stem in keywords)


# --- article pages -----------------------------------------------------------------------


def _parse_article(page: Page, context: ParseContext) -> Parsed:
    """A followed item's article page: the same address, now with the story's text."""
    if page.media_type and not page.media_type.endswith("html"):
        raise ParseError(page.url, f"expected a feed or an article page, got {page.media_type}")
    selector = context.options.get("article")
    article = read_article(page, selector if isinstance(selector, str) else None)
    return Parsed(documents=[with_source_options(article, context)])

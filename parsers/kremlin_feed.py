"""The Kremlin's Atom feeds of acts and news, and the act pages they link (kremlin.ru).

Quirks owned here (docs/sources.md §2):

* Feeds are Atom 1.0 and paged back in time as `…/feed/page/2`, `…/feed/page/3`.
  Entries carry the full HTML text in `content`; `summary` is often empty. An entry with
  neither is followed to its page, whose document (same URL) carries the text.
* Timestamps are Moscow wall-clock time labelled `+04:00`, the offset before 2014: the
  publication date is the wall-clock date, never shifted through UTC.
* Pages often answer 403 to automated readers; the fetch stage deals with that. Here an
  HTML page must carry the article or act-bank template, or it is someone's error page.
* Feeds are read with a parser that loads no DTD, resolves no entity and touches no
  network; a feed declaring a DTD is refused outright (Atom has none), so entity bombs and
  external entities never expand.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from lxml import etree

from mobwatch.fetching.page import Page
from mobwatch.parsers.base import Document, ParseContext, Parsed, ParseError, Source
from mobwatch.parsers.text import (
    act_type_of,
    clean_title,
    element_text,
    html_soup,
    html_to_text,
    one_line,
    plain_lines,
)
from mobwatch.parsers.xml import feed_root

KIND = "kremlin_feed"

ATOM = "{http://www.w3.org/2005/Atom}"
MOSCOW = timezone(timedelta(hours=3))
# Offsets that label Moscow wall-clock time: the true one, and the site's stale +04:00.
_MOSCOW_LABELS = (timedelta(hours=3), timedelta(hours=4))
_FEED_PATH = re.compile(r"/feed(?:/page/\d+)?/?$")
_FEED_PAGE = re.compile(r"/feed(?:/page/(?P<number>\d+))?/?$")
_TITLE_SUFFIX = re.compile(r"\s*•\s*Президент России\s*$")
_BODY_SELECTORS = (
    "div.entry-content.read__internal_content",  # /acts/news/{N}, /events/president/news/{N}
    "div.read__internal_content",
    "div.reader_act_body",  # /acts/bank/{N}
)
_HEADING_SELECTORS = ("h1.entry-title", "h1[itemprop=name]")


def plan(source: Source, since: date | None, until: date | None) -> list[str]:
    """The feed's first `pages` pages (option, default 1), newest first.

    The feed takes no date query: the documents carry their dates and the caller's window
    applies to them, so `since` and `until` choose nothing here.
    """
    pages = source.options.get("pages", 1)
    if not isinstance(pages, int) or isinstance(pages, bool) or pages < 1:
        raise ValueError(f"{source.name}: pages must be a positive integer, not {pages!r}")
    base = source.url.rstrip("/")
    return [source.url, *(f"{base}/page/{number}" for number in range(2, pages + 1))]


def parse(page: Page, context: ParseContext | None = None) -> Parsed:
    if _is_xml(page):
        return _parse_feed(page)
    if _FEED_PATH.search(urlsplit(page.url).path):
        title = _page_title(html_soup(page.text))
        raise ParseError(
            page.url, f"expected an Atom feed, got {page.media_type or 'a page'}: {title}"
        )
    return _parse_act_page(page)


def _is_xml(page: Page) -> bool:
    media = page.media_type
    if media:
        return media.endswith(("/xml", "+xml")) and media != "application/xhtml+xml"
    head = page.body.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<feed"))


# --- feeds -------------------------------------------------------------------------------


def _parse_feed(page: Page) -> Parsed:
    root = feed_root(page)
    if root.tag != f"{ATOM}feed":
        raise ParseError(page.url, f"not an Atom feed: the root element is {root.tag!r:.60}")
    documents = [_entry_document(entry, page.url) for entry in root.iterfind(f"{ATOM}entry")]
    follow = [doc.url for doc in documents if not doc.text]
    # The acts feed always lists the latest entries: an empty feed is not "nothing new"
    # but a sign the feed broke, which parser_drift must be free to report.
    older = _older_page(root, page.url) if documents else None
    return Parsed(documents=documents, follow=follow, older=older)


def _older_page(root: etree._Element, page_url: str) -> str | None:
    """The feed's page before this one in time: its `rel="next"` link, else `/page/N+1`.

    The site pages feeds back as `…/feed/page/2`, `…/feed/page/3`; not every page is known
    to carry a `next` link, so the address is built when it has none (a 404 there ends the
    archive). A `next` link to another host (a replay of the real feed on loopback) is
    built on this page's host instead.
    """
    for link in root.iterfind(f"{ATOM}link"):
        href = (link.get("href") or "").strip()
        if link.get("rel") == "next" and href:
            try:
                target = urljoin(page_url, href)
            except ValueError:
                break
            if urlsplit(target).netloc == urlsplit(page_url).netloc:
                return target
            break
    parts = urlsplit(page_url)
    match = _FEED_PAGE.search(parts.path)
    if match is None:
        return None
    number = int(match.group("number") or 1) + 1
    path = f"{parts.path[: match.start()]}/feed/page/{number}"
    return parts._replace(path=path, query="", fragment="").geturl()


def _entry_document(entry: etree._Element, page_url: str) -> Document:
    link = _entry_link(entry, page_url)
    title = one_line(_content_text(entry.find(f"{ATOM}title")))
    content = _content_text(entry.find(f"{ATOM}content"))
    text = content or _content_text(entry.find(f"{ATOM}summary"))
    stamp = _child_text(entry, "published") or _child_text(entry, "updated")
    return _document(
        url=link,
        title=title,
        text=text,
        published=_moscow_date(stamp, page_url) if stamp else None,
        external_id=_child_text(entry, "id") or link,
    )


def _entry_link(entry: etree._Element, page_url: str) -> str:
    links = [link for link in entry.iterfind(f"{ATOM}link") if (link.get("href") or "").strip()]
    if not links:
        raise ParseError(page_url, "an entry has no link")
    alternate = [link for link in links if link.get("rel", "alternate") == "alternate"]
    href = (alternate or links)[0].get("href", "").strip()
    try:
        return urljoin(page_url, href)
    except ValueError as error:  # an unparsable address, e.g. a broken IPv6 host
        raise ParseError(page_url, f"an entry link is not a URL: {href!r:.80}") from error


def _child_text(entry: etree._Element, name: str) -> str:
    return (entry.findtext(f"{ATOM}{name}") or "").strip()


def _content_text(element: etree._Element | None) -> str:
    """Plain text of an Atom text construct (`type` text, html or xhtml)."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        return html_to_text("".join(etree.tostring(child, encoding="unicode") for child in element))
    raw = "".join(element.itertext())
    return html_to_text(raw) if kind == "html" else plain_lines(raw)


def _moscow_date(stamp: str, page_url: str) -> date:
    """The Moscow calendar date of a timestamp.

    Moscow-labelled times (`+03:00`, and the site's stale `+04:00`) keep their wall-clock
    date. Taking `+04:00` at its word would move every time an hour back, and an act
    published at `2024-10-01T00:30:00+04:00` to 30 September. Other offsets are converted.
    """
    try:
        moment = datetime.fromisoformat(stamp.strip())
    except ValueError as error:
        raise ParseError(page_url, f"not a timestamp: {stamp!r:.40}") from error
    offset = moment.utcoffset()
    if offset is None or offset in _MOSCOW_LABELS:
        return moment.date()
    return moment.astimezone(MOSCOW).date()


# --- act pages ---------------------------------------------------------------------------


def _parse_act_page(page: Page) -> Parsed:
    soup = html_soup(page.text)
    heading = _first(soup, _HEADING_SELECTORS)
    body = _first(soup, _BODY_SELECTORS)
    if heading is None and body is None:
        # Layouts without the known classes (the print version) still open with the act's
        # heading; an error page does not.
        heading = next(
            (h1 for h1 in soup.find_all("h1") if act_type_of(one_line(h1.get_text()))), None
        )
        if heading is None:
            raise ParseError(page.url, f"not an act page: {_page_title(soup)}")
    title = clean_title(heading.get_text(" ")) if heading else _page_title(soup)
    stamp = soup.select_one("time[itemprop=datePublished][datetime]")
    published = _moscow_date(str(stamp["datetime"]), page.url) if stamp else None
    text = element_text(body or _largest_text_block(soup, page.url))
    return Parsed(documents=[_document(page.url, title, text, published, external_id=None)])


def _first(soup: BeautifulSoup, selectors: tuple[str, ...]) -> Tag | None:
    return next((tag for s in selectors if (tag := soup.select_one(s)) is not None), None)


def _largest_text_block(soup: BeautifulSoup, page_url: str) -> Tag:
    """The element whose own paragraphs (or preformatted text) hold the most text.

    For act layouts without a known container, such as the print version.
    """

    def own_text(tag: Tag) -> int:
        if tag.name == "pre":
            return len(tag.get_text(strip=True))
        return sum(len(p.get_text(strip=True)) for p in tag.find_all("p", recursive=False))

    candidates = soup.find_all(["article", "section", "div", "td", "pre"])
    best = max(candidates, key=own_text, default=None)
    if best is None or own_text(best) == 0:
        raise ParseError(page_url, "act page without text")
    return best


def _page_title(soup: BeautifulSoup) -> str:
    title = soup.title.get_text() if soup.title else ""
    return _TITLE_SUFFIX.sub("", one_line(title)) or "untitled page"


# --- shared ------------------------------------------------------------------------------


def _document(
    url: str, title: str, text: str, published: date | None, external_id: str | None
) -> Document:
    """A document with the act's type when its title names it.

    Entries carry no number or signing date as data; reading them from the text is
    `mobwatch.indicators.extract.acts.read_act`'s job, so they are left unset here.
    """
    return Document(
        url=url,
        title=title,
        text=text,
        published=published,
        act_type=act_type_of(title),
        external_id=external_id,
        official=True,
    )

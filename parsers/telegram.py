"""A public Telegram channel's preview page, `t.me/s/<channel>` (docs/sources.md §3).

Quirks owned here:

* Each post is a `div.tgme_widget_message` whose `data-post="<channel>/<id>"` is its
  identity; its text is `div.tgme_widget_message_text` (`<br>` = new line, link previews
  nested inside), its time `a.tgme_widget_message_date > time[datetime]`, ISO 8601 with
  an explicit offset, read as a Moscow calendar date. Posts come oldest first.
* A channel without a public preview answers with a redirect to `t.me/<channel>`, the
  contact card (`tgme_page_*`, no message history): the final address lost its `/s/`.
  Private, missing and rate-limited channels answer 200 with a notice. Each is a
  `ParseError` saying which, never an empty result; so is any page whose layout is not
  the preview's.
* The channel's own title is `div.tgme_channel_info_header_title` in the side column;
  every post carries it as `author_title`, so a channel the channels table does not know
  still says whom it speaks for («Правительство Омской области»).
* Older posts are at `?before=<id>` (`a.tme_messages_more[data-before]`). A page whose
  oldest post is still newer than the reading's `since` follows it, up to the source's
  `max_pages` (default 1); `Parsed.older` names it for backfills either way.

Pages are read on lxml's tree (`mobwatch.parsers.tree`): a channel page holds twenty posts, and
bs4's tree of it cost five times the rest of the parse. The selectors above keep bs4 and
soupsieve's meaning (`mobwatch.parsers.css`).

Options: `channel` (default: taken from the URL), `max_pages`, `region` (ISO 3166-2 code of
the subject a governor's channel speaks for), `official` (the channel is the authority's
own, e.g. a governor's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlencode, urlsplit, urlunsplit

from mobwatch.fetching.page import Page
from mobwatch.parsers.article import moscow_date
from mobwatch.parsers.base import Document, ParseContext, Parsed, ParseError, Source
from mobwatch.parsers.css import searched, select_parent
from mobwatch.parsers.options import positive_int, with_source_options
from mobwatch.parsers.text import one_line, tree_text
from mobwatch.parsers.tree import (
    Element,
    document_strings,
    first,
    has_class,
    html_tree,
    joined,
    strings,
    tag_of,
    top_level,
)

KIND = "telegram"

PUBLIC_HOST = "t.me"
TITLE_LENGTH = 120

_HISTORY = "tgme_channel_history"
_MESSAGE = "tgme_widget_message"
_TEXT = "tgme_widget_message_text"
_DATE = "tgme_widget_message_date"
_CHANNEL_TITLE = "tgme_channel_info_header_title"
_CHANNEL = re.compile(r"^[A-Za-z0-9_]{4,64}$")
_PREVIEW_PATH = re.compile(r"^/s/([A-Za-z0-9_]+)/?$")
# Notices Telegram answers with status 200 (lower case, matched on the page's text).
_STATES = (
    ("too many requests", "Telegram is rate limiting this reader (Too many requests)"),
    ("retry later", "Telegram is rate limiting this reader (retry later)"),
    ("this channel is private", "the channel is private: no public preview"),
    ("channel is private", "the channel is private: no public preview"),
    ("doesn't exist", "the channel does not exist"),
    ("does not exist", "the channel does not exist"),
)


def plan(source: Source, since: date | None, until: date | None) -> list[str]:
    """The channel's newest preview page; older pages come from `parse` (see the module)."""
    _max_pages(source)  # a bad option fails before any request
    channel = source.options.get("channel")
    if channel is None:
        return [source.url]
    if not isinstance(channel, str) or not _CHANNEL.match(channel):
        raise ValueError(f"{source.name}: channel must be a channel username, not {channel!r}")
    parts = urlsplit(source.url)
    return [urlunsplit((parts.scheme, parts.netloc, f"/s/{channel}", "", ""))]


def parse(page: Page, context: ParseContext | None = None) -> Parsed:
    context = context or ParseContext()
    path = urlsplit(page.url).path
    root = html_tree(page.text)
    tops = top_level(root)
    history = next((node for node in searched(tops) if has_class(node, _HISTORY)), None)
    posts = [
        node
        for node in searched(tops)
        if tag_of(node) == "div" and has_class(node, _MESSAGE) and node.get("data-post") is not None
    ]
    if history is None and not posts:
        raise ParseError(page.url, _why_no_history(page.url, path, root))
    title = _channel_title(tops)
    documents = [doc for post in posts if (doc := _post(post, page, context, title))]
    if not posts:
        return Parsed(expected_empty=True)  # a channel that has not posted yet
    if not documents and not any(has_class(node, _DATE) for node in searched(tops)):
        raise ParseError(page.url, "layout not recognised: posts without dates")
    older = _older_page(tops, page.url)
    follow = []
    if older and _wants_older(documents, context):
        follow.append(older)
    return Parsed(documents=documents, follow=follow, older=older)


def _why_no_history(url: str, path: str, root: Element) -> str:
    text = one_line(" ".join(document_strings(root))).lower()
    for marker, reason in _STATES:
        if marker in text:
            return reason
    tops = top_level(root)
    if not _PREVIEW_PATH.match(path) or any(
        has_class(node, "tgme_page") for node in searched(tops)
    ):
        return "no public preview: redirected to the channel's contact page"
    title = first(tops, "title")
    named = "".join(s.strip() for s in strings(title)) if title is not None else "untitled page"
    return f"layout not recognised: no channel history on the page ({named[:80]})"


def _channel_title(tops: list[Element]) -> str | None:
    """The channel's own name in the page's side column («Виталий Хоценко»), if shown."""
    node = next((node for node in searched(tops) if has_class(node, _CHANNEL_TITLE)), None)
    title = one_line(tree_text(node)) if node is not None else ""
    return title[:TITLE_LENGTH] or None


def _post(
    post: Element, page: Page, context: ParseContext, channel_title: str | None
) -> Document | None:
    identity = str(post.get("data-post")).strip()
    channel, _, number = identity.partition("/")
    if not channel or not number.isdigit():
        raise ParseError(page.url, f"layout not recognised: data-post {identity!r:.60}")
    body = _descendant(post, "div", _TEXT)
    if body is None:
        return None  # a photo, sticker or poll without words: no facts to read
    stamp = next(
        (
            node
            for node in _descendants(post, "time")
            if node.get("datetime") is not None
            and any(tag_of(above) == "a" and has_class(above, _DATE) for above in _above(node))
        ),
        None,
    )
    published = moscow_date(str(stamp.get("datetime"))) if stamp is not None else None
    if published is None:
        raise ParseError(page.url, f"layout not recognised: post {identity} has no date")
    text = tree_text(body)
    if not text:
        return None
    document = Document(
        url=_post_url(page.url, identity),
        title=_title(text),
        text=text,
        published=published,
        external_id=identity,
        author=channel,
        author_title=channel_title,
    )
    return with_source_options(document, context)


def _descendants(node: Element, name: str) -> Iterator[Element]:
    """Elements named so under `node`, not `node` itself, as `Tag.select` searches."""
    return (found for found in searched(list(node)) if tag_of(found) == name)


def _above(node: Element) -> Iterator[Element]:
    """The ancestors a selector's descendant combinator looks at (`css.select_parent`)."""
    parent = select_parent(node)
    while parent is not None:
        yield parent
        parent = select_parent(parent)


def _descendant(node: Element, name: str, css_class: str) -> Element | None:
    return next((found for found in _descendants(node, name) if has_class(found, css_class)), None)


def _post_url(page_url: str, identity: str) -> str:
    """`https://t.me/<channel>/<id>`; a page replayed from another host links there."""
    parts = urlsplit(page_url)
    if parts.hostname == PUBLIC_HOST:
        return f"https://{PUBLIC_HOST}/{identity}"
    return f"{parts.scheme}://{parts.netloc}/{identity}"


def _title(text: str) -> str:
    first = text.splitlines()[0]
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1].rstrip() + "…"


def _older_page(tops: list[Element], page_url: str) -> str | None:
    """`?before=<id>` of the oldest post, when the page offers older posts."""
    more = next(
        (
            node
            for node in searched(tops)
            if tag_of(node) == "a"
            and has_class(node, "tme_messages_more")
            and node.get("data-before") is not None
        ),
        None,
    )
    before = str(more.get("data-before")).strip() if more is not None else None
    if before is None:
        prev = next(
            (
                node
                for node in searched(tops)
                if tag_of(node) == "link"
                and joined(node, "rel") == "prev"
                and node.get("href") is not None
            ),
            None,
        )
        match = re.search(r"[?&]before=(\d+)", str(prev.get("href"))) if prev is not None else None
        before = match.group(1) if match else None
    if not before or not before.isdigit():
        return None
    parts = urlsplit(page_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode({"before": before}), ""))


def _wants_older(documents: list[Document], context: ParseContext) -> bool:
    """Whether to read the page before this one: the window reaches further back."""
    if context.since is None or context.source is None:
        return False
    if context.depth >= _max_pages(context.source):
        return False
    dated = [doc.published for doc in documents if doc.published]
    return bool(dated) and min(dated) > context.since


def _max_pages(source: Source) -> int:
    return positive_int(source.options, "max_pages", 1, source.name)

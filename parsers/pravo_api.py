"""The legal publication portal's JSON search, `GET /api/Documents` (publication.pravo.gov.ru).

The portal is the publication of record for decrees and federal laws. Quirks owned here
(docs/sources.md §1):

* `PageSize` accepts only 10, 30, 100 and 200; anything else is a 400.
* A date parameter the server cannot read is silently ignored (200, unfiltered), so the
  publication window is sent as `PublishDateFrom`/`PublishDateTo` and re-applied here to
  the items received.
* Unknown paths answer with an HTML 404 page, a bad block with a 500 JSON message, bad
  parameters with a 400 problem+json: anything but the expected JSON object is an error,
  never an empty result.
* Dates have no offset and are Moscow calendar dates; `name` is wrapped in quotes and may
  hold line breaks, so the title is `complexName` joined on one line.
* The PDFs are scans without a text layer: a document's text stays empty and the facts
  come from its title.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mobwatch.fetching.page import Page
from mobwatch.parsers.base import Document, ParseContext, Parsed, ParseError, Source
from mobwatch.parsers.text import (
    act_type_of,
    clean_title,
    format_ru_date,
    html_soup,
    one_line,
    parse_ru_date,
)

KIND = "pravo_api"
# `plan` filters by publication date: a backfill reads its range window by window.
DATE_WINDOWS = True

PUBLIC_HOST = "publication.pravo.gov.ru"
PAGE_SIZES = (10, 30, 100, 200)
DEFAULT_PAGE_SIZE = 200
SORTED_BY_PUBLICATION_DATE = "4"
# A server that ignored the filters would page through the whole portal (1.5 million acts);
# 50 pages of 200 is far more than any window of federal acts holds.
MAX_PAGES = 50

_EO_NUMBER = re.compile(r"\d{16}")
_JSON_TYPES = ("application/json", "text/json")


def plan(source: Source, since: date | None, until: date | None) -> list[str]:
    """The first page of the search for `source`, publications from `since` to `until`.

    Options (all optional): `signatory_authority` (GUID), `document_types` (GUID or list,
    sent as repeated `DocumentTypes`), `block`, `category`, `page_size` (10/30/100/200).
    """
    options = source.options
    if since and until and since > until:
        raise ValueError(f"{source.name}: since {since} is after until {until}")
    params: list[tuple[str, str]] = []
    if "signatory_authority" in options:
        params.append(("SignatoryAuthorityId", _guid(options["signatory_authority"], source)))
    for type_id in _as_list(options.get("document_types", []), source):
        params.append(("DocumentTypes", _guid(type_id, source)))
    for option, param in (("block", "Block"), ("category", "Category")):
        if option in options:
            params.append((param, str(options[option])))
    if since:
        params.append(("PublishDateFrom", format_ru_date(since)))
    if until:
        params.append(("PublishDateTo", format_ru_date(until)))
    params += [
        ("SortedBy", SORTED_BY_PUBLICATION_DATE),
        ("PageSize", str(_page_size(options.get("page_size", DEFAULT_PAGE_SIZE), source))),
        ("Index", "1"),
    ]
    return [_with_params(source.url, params)]


def parse(page: Page, context: ParseContext | None = None) -> Parsed:
    data = _json_object(page)
    if page.status >= 400 or "items" not in data:
        raise ParseError(page.url, _error_message(data, page.status))
    items = data["items"]
    if not isinstance(items, list):
        raise ParseError(page.url, "`items` is not a list")
    if not items:
        return Parsed(expected_empty=True)
    base = _document_base(page.url)
    documents = [_document(item, base, page.url) for item in items]
    since, until = _publish_window(page.url)
    kept = [doc for doc in documents if _within(doc.published, since, until)]
    # All items outside the window asked for: the server ignored the dates, nothing is new.
    return Parsed(documents=kept, follow=_other_pages(page.url, data), expected_empty=not kept)


def _json_object(page: Page) -> dict[str, Any]:
    media = page.media_type
    looks_html = media in ("text/html", "application/xhtml+xml") or page.body.lstrip()[:1] == b"<"
    if looks_html:
        raise ParseError(
            page.url, f"HTML page instead of JSON (HTTP {page.status}): {_html_title(page)}"
        )
    if media and media not in _JSON_TYPES and not media.endswith("+json"):
        raise ParseError(page.url, f"expected JSON, got {media} (HTTP {page.status})")
    try:
        data = json.loads(page.text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ParseError(page.url, f"invalid JSON (HTTP {page.status}): {error}") from error
    if not isinstance(data, dict):
        raise ParseError(page.url, f"expected a JSON object, got {type(data).__name__}")
    return data


def _html_title(page: Page) -> str:
    soup = html_soup(page.text)
    heading = soup.title or soup.h1
    return one_line(heading.get_text()) if heading else "no title"


def _error_message(data: dict[str, Any], status: int) -> str:
    """The server's own words: `{"message": …}` or a problem+json title and field errors."""
    if isinstance(data.get("message"), str):
        return f"server error (HTTP {status}): {data['message']}"
    if isinstance(data.get("title"), str):
        errors = data.get("errors")
        details = _field_errors(errors) if isinstance(errors, dict) else ""
        return f"request rejected (HTTP {status}): {data['title']} {details}".strip()
    return f"no `items` in the response (HTTP {status}): the layout has changed"


def _field_errors(errors: dict[str, Any]) -> str:
    """`{"PageSize": ["The value '5' is invalid."]}` → `PageSize: The value '5' is invalid.`"""
    parts = []
    for field, messages in errors.items():
        listed = messages if isinstance(messages, list) else [messages]
        parts.append(f"{field}: {' '.join(map(str, listed))}")
    return "; ".join(parts)


def _document(item: object, base: str, url: str) -> Document:
    if not isinstance(item, dict):
        raise ParseError(url, f"item is not an object: {item!r:.80}")
    eo_number = _required_text(item, "eoNumber", url)
    if not _EO_NUMBER.fullmatch(eo_number):
        raise ParseError(url, f"eoNumber is not 16 digits: {eo_number!r}")
    heading = _optional_text(item, "complexName", url) or _optional_text(item, "title", url)
    title = clean_title(heading or _required_text(item, "name", url))
    number = _optional_text(item, "number", url)
    return Document(
        url=f"{base}/document/{eo_number}",
        title=title,
        text="",
        published=_date(item, "publishDateShort", url),
        act_type=act_type_of(title),
        act_number=one_line(number or "") or None,
        act_date=_date(item, "documentDate", url) if item.get("documentDate") else None,
        links=(f"{base}/file/pdf?eoNumber={eo_number}",),
        external_id=eo_number,
        official=True,
    )


def _document_base(page_url: str) -> str:
    """Where a document's links point.

    Pages read from the portal link to its canonical public address (plain http, as the
    portal publishes it), whichever scheme fetched them. Pages replayed from anywhere else
    (a loopback server in tests, the demo) link to that host, so a replay never sends a
    reader to the real site.
    """
    parts = urlsplit(page_url)
    if parts.hostname == PUBLIC_HOST:
        return f"http://{PUBLIC_HOST}"
    return f"{parts.scheme}://{parts.netloc}"


def _required_text(item: dict[str, Any], key: str, url: str) -> str:
    value = _optional_text(item, key, url)
    if not value:
        raise ParseError(url, f"item without `{key}`")
    return value


def _optional_text(item: dict[str, Any], key: str, url: str) -> str | None:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise ParseError(url, f"`{key}` is not a string: {value!r:.80}")
    return value


def _date(item: dict[str, Any], key: str, url: str) -> date:
    """`2024-09-30T00:00:00` → the date as written: it is already a Moscow calendar date."""
    value = _required_text(item, key, url)
    try:
        return date.fromisoformat(value[:10])
    except ValueError as error:
        raise ParseError(url, f"`{key}` is not a date: {value!r:.40}") from error


def _publish_window(url: str) -> tuple[date | None, date | None]:
    """The publication window the request asked for (a malformed date: no bound, as the server)."""
    params = {key.lower(): value for key, value in parse_qsl(urlsplit(url).query)}
    return _query_date(params.get("publishdatefrom")), _query_date(params.get("publishdateto"))


def _within(day: date | None, since: date | None, until: date | None) -> bool:
    return day is not None and (not since or day >= since) and (not until or day <= until)


def _query_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_ru_date(value)
    except ValueError:
        return None


def _other_pages(url: str, data: dict[str, Any]) -> list[str]:
    """Every further page, listed by page 1 only, so no page is asked for twice."""
    current, total = _count(data, "currentPage", url), _count(data, "pagesTotalCount", url)
    if current != 1:
        return []
    return [_with_index(url, index) for index in range(2, min(total, MAX_PAGES) + 1)]


def _count(data: dict[str, Any], key: str, url: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ParseError(url, f"`{key}` is not an integer: {value!r:.40}")
    return value


def _with_index(url: str, index: int) -> str:
    parts = urlsplit(url)
    params = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() != "index"
    ]
    return urlunsplit(parts._replace(query=urlencode([*params, ("Index", str(index))])))


def _with_params(url: str, params: list[tuple[str, str]]) -> str:
    parts = urlsplit(url)
    existing = parse_qsl(parts.query, keep_blank_values=True)
    return urlunsplit(parts._replace(query=urlencode([*existing, *params])))


def _guid(value: object, source: Source) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError as error:
        raise ValueError(f"{source.name}: not a GUID: {value!r}") from error


def _as_list(value: object, source: Source) -> list[object]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return list(value)
    raise ValueError(f"{source.name}: document_types must be a GUID or a list of GUIDs")


def _page_size(value: object, source: Source) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value in PAGE_SIZES:
        return value
    raise ValueError(f"{source.name}: page_size must be one of {PAGE_SIZES}, not {value!r}")

"""Bills in the State Duma, from its open API «АИС Законопроект» (api.duma.gov.ru).

Why this way of following sozd.duma.gov.ru: the API is the Duma's own documented
interface to the same database, answers JSON with each bill's number, name, annotation,
registration date and latest event (stage, phase, decision, date), and is the one way that
does not depend on the layout of the HTML search pages (which have no JSON behind them and
change without notice). It asks for a free key: a `token` (a path segment) and an
`app_token` (a query parameter), requested at http://api.duma.gov.ru/key-request, 50,000
calls a day. The key is configuration: without it `plan` raises `NotConfigured`, which a
pass reports as "not configured: set …" and does not count as a failure.

Request: `GET {url}/{token}/search.json?app_token=…&name=…&sort=last_event_date&limit=N`,
one search per name in the `names` option (by default the three laws on military
service). Response: `{"count", "page", "laws": [{"number", "name", "comments",
"introductionDate", "url", "lastEvent": {"stage": {"name"}, "phase": {"name"},
"solution", "date"}}]}`. Each bill gives a document for its introduction and one for its
latest event when that event is a stage (a reading passed, the Federation Council's
approval, the signature, a rejection), marked with `Document.stage`.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mobwatch.fetching.page import Page
from mobwatch.parsers.base import (
    Document,
    NotConfigured,
    ParseContext,
    Parsed,
    ParseError,
    Source,
)
from mobwatch.parsers.options import positive_int
from mobwatch.parsers.text import one_line

KIND = "duma_api"
BILL = "законопроект"  # the act type of every document this parser gives
TOKEN_ENV = "MOBWATCH_DUMA_TOKEN"
APP_TOKEN_ENV = "MOBWATCH_DUMA_APP_TOKEN"
DEFAULT_NAMES = (
    "О воинской обязанности и военной службе",
    "О мобилизационной подготовке и мобилизации",
    "О статусе военнослужащих",
)
DEFAULT_LIMIT = 20
# Far more than any search on these laws holds, should the server ignore `limit`.
MAX_PAGES = 10

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# (stage, what the event's stage says, what its decision must say to count as passed)
_STAGES = (
    ("first_reading", _rx(r"перв\w+\s+чтени"), _rx(r"принят|принять")),
    ("second_reading", _rx(r"втор\w+\s+чтени"), _rx(r"принят|принять")),
    ("third_reading", _rx(r"трет\w+\s+чтени"), _rx(r"принят|принять")),
    ("federation_council", _rx(r"совет\w*\s+федерации"), _rx(r"одобр")),
    ("signed", _rx(r"президент|опубликовани"), _rx(r"подпис|опубликован")),
)
_REJECTED = _rx(r"отклон")
_WITHDRAWN = _rx(r"отозван|возвращ|снят\w*\s+с\s+рассмотрени")


def plan(source: Source, since: date | None, until: date | None) -> list[str]:
    """One search per name in the `names` option, latest events first.

    Options: `names` (list of strings), `limit` (bills per page), `token_env` and
    `app_token_env` (the environment variables holding the key; by default
    MOBWATCH_DUMA_TOKEN and MOBWATCH_DUMA_APP_TOKEN), or `token` and `app_token` given in
    the file itself (the offline demo's made-up key).
    """
    options = source.options
    token, app_token = _key(options)
    names = options.get("names", list(DEFAULT_NAMES))
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ValueError(f"{source.name}: names must be a list of strings")
    limit = positive_int(options, "limit", DEFAULT_LIMIT, source.name)
    base = source.url.rstrip("/")
    return [
        f"{base}/{token}/search.json?"
        + urlencode(
            {
                "app_token": app_token,
                "name": name,
                "sort": "last_event_date",
                "limit": str(limit),
                "page": "1",
            }
        )
        for name in names
    ]


def _key(options: dict[str, Any]) -> tuple[str, str]:
    token_env = str(options.get("token_env", TOKEN_ENV))
    app_env = str(options.get("app_token_env", APP_TOKEN_ENV))
    token = options.get("token") or os.environ.get(token_env, "").strip()
    app_token = options.get("app_token") or os.environ.get(app_env, "").strip()
    if not token or not app_token:
        raise NotConfigured(
            f"set {token_env} and {app_env} (a free key from http://api.duma.gov.ru/key-request)"
        )
    return str(token), str(app_token)


def parse(page: Page, context: ParseContext | None = None) -> Parsed:
    try:
        data = json.loads(page.text)
    except ValueError as error:
        raise ParseError(page.url, f"not JSON: {error}") from None
    if not isinstance(data, dict):
        raise ParseError(page.url, "expected a JSON object")
    if "laws" not in data:
        # The API answers a bad key or parameter with {"code": …, "text": …}.
        message = data.get("text") or data.get("message") or "no 'laws' in the answer"
        raise ParseError(page.url, f"the API says: {message}")
    laws = data["laws"]
    if not isinstance(laws, list):
        raise ParseError(page.url, "'laws' is not a list")
    documents = [doc for law in laws if isinstance(law, dict) for doc in _documents(law)]
    return Parsed(documents=documents, expected_empty=not laws, older=_next_page(page, data))


def _documents(law: dict[str, Any]) -> list[Document]:
    number = str(law.get("number") or "").strip()
    name = one_line(str(law.get("name") or ""))
    if not number or not name:
        return []
    url = str(law.get("url") or f"https://sozd.duma.gov.ru/bill/{number}")
    url = url.replace("sozd.parlament.gov.ru", "sozd.duma.gov.ru")
    common = {
        "url": url,
        "title": name,
        "text": one_line(str(law.get("comments") or "")),
        "act_type": BILL,
        "act_number": number,
        "official": True,  # the Duma's own database
    }
    documents = []
    introduced = _day(law.get("introductionDate"))
    if introduced:
        documents.append(
            Document(
                **common,
                published=introduced,
                stage="introduced",
                external_id=f"{number}:introduced",
            )
        )
    event = law.get("lastEvent")
    if isinstance(event, dict) and (stage := _stage(event)) and (day := _day(event.get("date"))):
        documents.append(
            Document(**common, published=day, stage=stage, external_id=f"{number}:{stage}")
        )
    return documents


def _stage(event: dict[str, Any]) -> str | None:
    """The stage an event marks, or None for a step that is not one (a committee's work)."""
    stage = _name(event.get("stage"))
    decision = " ".join(
        (_name(event.get("phase")), str(event.get("solution") or ""))
    )  # the phase and the decision both carry it, depending on the step
    if _REJECTED.search(decision):
        return "rejected"
    if _WITHDRAWN.search(decision):
        return "withdrawn"
    for code, stage_words, passed in _STAGES:
        if stage_words.search(stage) and passed.search(decision):
            return code
    return None


def _name(value: Any) -> str:
    return str(value.get("name") or "") if isinstance(value, dict) else ""


def _day(value: Any) -> date | None:
    match = _DAY.match(str(value or ""))
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _next_page(page: Page, data: dict[str, Any]) -> str | None:
    """The next page of the same search (older last events), while there is one."""
    laws = data.get("laws") or []
    parts = urlsplit(page.url)
    query = dict(parse_qsl(parts.query))
    try:
        number, total = int(data.get("page") or 1), int(data.get("count") or 0)
        per_page = int(query.get("limit") or len(laws))  # the last page holds fewer
    except (TypeError, ValueError):
        return None
    if not laws or (number - 1) * per_page + len(laws) >= total or number >= MAX_PAGES:
        return None
    query["page"] = str(number + 1)
    return urlunsplit(parts._replace(query=urlencode(query)))

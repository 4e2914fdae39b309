"""`mobwatch explain TEXT | --url URL | -`: how the payment reader reads a text.

Each sum with the role it got and the words that gave it, the subject and why, and the
reading or why there is none (`indicators.extract.explain`). `--url` fetches through the
program's HTTP client: a channel's preview page (`/s/<channel>`) is read post by post,
any other page as an article. Everything shown from the text is made inert first: no
control characters or terminal escapes pass through.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from typing import TextIO
from urllib.parse import urlsplit

from mobwatch.alerts.text import one_line
from mobwatch.fetching.client import FetchError, HttpClient, NotModified
from mobwatch.indicators.calendar import today_in_moscow
from mobwatch.indicators.extract.explain import Explanation, explain
from mobwatch.indicators.regions import default_gazetteer
from mobwatch.parsers import telegram
from mobwatch.parsers.article import read_article
from mobwatch.parsers.base import Document, ParseError

_PREVIEW = re.compile(r"^/s/[A-Za-z0-9_]+/?$")
_SHOWN = 400  # characters of a sentence shown as context


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `explain` command to the program's subcommands."""
    parser = commands.add_parser("explain", help="how a text is read as a contract payment")
    parser.add_argument("text", nargs="?", help="the text; '-' reads standard input")
    parser.add_argument("--url", help="fetch the page (an article or a t.me/s/ channel page)")
    parser.add_argument("--title", default="", help="the text's title")
    parser.add_argument("--date", type=_iso_date, help="publication date (default: today)")
    parser.add_argument("--channel", help="the Telegram channel that published it")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        documents = _documents(args)
    except (FetchError, ParseError) as error:
        print(
            f"mobwatch: cannot read {one_line(args.url or '')}: {one_line(str(error))}",
            file=sys.stderr,
        )
        return 1
    except ValueError as error:
        print(f"mobwatch: {error}", file=sys.stderr)
        return 2
    gazetteer = default_gazetteer()
    for index, document in enumerate(documents):
        if index:
            out.write("\n")
        _show(document, explain(document, gazetteer), out)
    return 0


def _documents(args: argparse.Namespace) -> list[Document]:
    if args.url:
        if args.text:
            raise ValueError("give a TEXT or --url, not both")
        return _fetched(args.url)
    if args.text is None:
        raise ValueError("give a TEXT, '-' for standard input, or --url")
    text = sys.stdin.read() if args.text == "-" else args.text
    return [
        Document(
            url="(given text)",
            title=args.title,
            text=text,
            published=args.date or today_in_moscow(),
            author=args.channel,
        )
    ]


def _fetched(url: str) -> list[Document]:
    with HttpClient(retries=1) as client:
        page = client.get(url, conditional=False)
    if isinstance(page, NotModified):  # not asked for: conditional=False
        raise FetchError(url, "the server answered 304 to an unconditional request")
    if _PREVIEW.match(urlsplit(page.url).path):
        return telegram.parse(page).documents
    return [read_article(page)]


def _show(document: Document, explanation: Explanation, out: TextIO) -> None:
    def line(text: str = "") -> None:
        out.write(text + "\n")

    line(f"Text: {one_line(document.title or document.text, 120)}")
    line(f"  from {one_line(document.url)}, published {document.published or 'unknown'}")
    line("Sums:" if explanation.sums else "Sums: none")
    for number, item in enumerate(explanation.sums, 1):
        bound = f" ({item.bound})" if item.bound else ""
        line(
            f"  {number}. «{one_line(item.written)}» = {item.value:,} {item.currency}{bound}"
            f" → {item.role}: {one_line(item.because)}"
        )
        line(f"     in: {one_line(item.sentence, _SHOWN)}")
    subject = explanation.subject
    if subject is None:
        line("Subject: none found")
    else:
        city = " (a city only)" if subject.city else ""
        line(f"Subject: {subject.region.code} {subject.region.name}{city}: {one_line(subject.why)}")
    reading = explanation.reading
    if reading is None:
        line(f"Reading: none: {explanation.why_none}")
        return
    amount = f"{reading.amount:,} RUB" if reading.amount is not None else "no amount"
    facts = [
        _fact(name, value)
        for name, value in (
            ("total", reading.total),
            ("federal", reading.federal),
            ("municipal", reading.municipal),
            ("previous", reading.previous),
            ("change", reading.change),
            ("effective", reading.effective),
            ("until", reading.until),
        )
        if value is not None
    ]
    if reading.up_to:
        facts.append("a ceiling («до …»)")
    if reading.derived:
        facts.append("derived, not stated")
    details = f" ({'; '.join(facts)})" if facts else ""
    line(f"Reading: {reading.kind} payment, {reading.region or 'no subject'}, {amount}{details}")
    line(f"  from: {one_line(reading.evidence, _SHOWN)}")


def _fact(name: str, value: object) -> str:
    return f"{name} {value:,}" if type(value) is int else f"{name} {value}"


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error

"""Small pieces of the report's markup: escaped text, numbers, dates, tables, links.

Every cell a table receives is markup already; text from outside goes through `text`
(or `mobwatch.alerts.escape`), never straight into the page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import pandas as pd

from mobwatch.alerts.escape import html_link, html_text


def text(text: object) -> str:
    return html.escape(str(text), quote=True)


def number(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{float(value):,.0f}"  # type: ignore[arg-type]


def signed(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{float(value):+,.0f}"  # type: ignore[arg-type]


def day(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{pd.Timestamp(value):%d.%m.%Y}"  # type: ignore[arg-type]


def period(start: object, end: object) -> str:
    if start is pd.NaT or end is pd.NaT or start is None or end is None:
        return "–"
    return f"{pd.Timestamp(start):%d.%m}–{pd.Timestamp(end):%d.%m}"  # type: ignore[arg-type]


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    head = "".join(
        f'<th class="num">{text(h)}</th>' if i in numeric else f"<th>{text(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def document(title: object, url: object, number: object = None) -> str:
    label = f"№ {number}" if isinstance(number, str) and number else str(title or url or "")
    return html_link(str(url or ""), label, limit=90) if url else html_text(label, 90)


def empty(text: str) -> str:
    return f'<div class="empty">{text}</div>'

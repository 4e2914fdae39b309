"""When a payment applies, as announcements write it: «с 1 октября», «с 1 августа по 31
декабря 2024 года», «для заключивших контракт с 1 по 31 января», «с сегодняшнего дня»,
«до конца года», «распространяется на правоотношения, возникшие с 1 января».

A date without its year takes the year that puts it nearest the publication (a window's
end: the first not long past it; a window's start: its end's year).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from mobwatch.indicators.russian import fold

_MONTHS = {
    **dict.fromkeys(("января",), 1),
    **dict.fromkeys(("февраля",), 2),
    **dict.fromkeys(("марта",), 3),
    **dict.fromkeys(("апреля",), 4),
    **dict.fromkeys(("мая",), 5),
    **dict.fromkeys(("июня",), 6),
    **dict.fromkeys(("июля",), 7),
    **dict.fromkeys(("августа",), 8),
    **dict.fromkeys(("сентября",), 9),
    **dict.fromkeys(("октября",), 10),
    **dict.fromkeys(("ноября",), 11),
    **dict.fromkeys(("декабря",), 12),
}
_MONTH = "|".join(_MONTHS)
_DAY_MONTH = rf"(\d{{1,2}})\s+({_MONTH})(?:\s+(\d{{4}})(?:\s*(?:года|г\.))?)?"
_DOTTED = r"(\d{1,2})\.(\d{2})\.(\d{4})"
_FROM = re.compile(rf"(?:^|[\s(])(?:с|со|начиная с)\s+(?:{_DAY_MONTH}|{_DOTTED})", re.IGNORECASE)
# «с 1 по 31 января»: both days in one month, written once.
_SHARED_MONTH = re.compile(
    rf"(?:^|[\s(])с\s+(\d{{1,2}})\s+по\s+(\d{{1,2}})\s+({_MONTH})(?:\s+(\d{{4}}))?", re.IGNORECASE
)
_UNTIL = re.compile(rf"(?:^|[\s(])(?:по|до)\s+(?:{_DAY_MONTH}|{_DOTTED})", re.IGNORECASE)
_TODAY = re.compile(r"\bс\s+(?:сегодняшнего дня|сегодня)\b", re.IGNORECASE)
_YEAR_END = re.compile(r"\bдо\s+конца\s+(?:этого\s+|текущего\s+)?года\b", re.IGNORECASE)
_END_GRACE = timedelta(days=31)  # a window that ended this long before the news is last year's
_LOOKS_BACK = re.compile(r"\bранее\b|составлял\w*|\bбыл[аио]?\b|прежн\w*", re.IGNORECASE)


def read_effective(
    evidence: str, sentences: list[str], published: date | None
) -> tuple[date | None, date | None]:
    """(from, until) of the payment: the evidence sentence first, then the others that do
    not look back to an earlier amount («С 1 февраля по 24 августа она составляла …»)."""
    ordered = [evidence, *(s for s in sentences if s != evidence and not _LOOKS_BACK.search(s))]
    start = end = None
    for sentence in ordered:
        found_start, found_end = _dates_in(fold(sentence), published)
        if start is None and found_start is not None:
            start, end = found_start, end or found_end
        elif end is None and found_end is not None and (start is None or found_end >= start):
            end = found_end  # «Указ действует до 25 декабря» in a sentence of its own
        if start is not None and end is not None:
            break
    return start, end


def _dates_in(folded: str, published: date | None) -> tuple[date | None, date | None]:
    if shared := _SHARED_MONTH.search(folded):
        first, last, month, year = shared.groups()
        end = _written_date_parts(int(last), month, year, published, end=True)
        start = _safe(end.year, end.month, int(first)) if end else None
        return start, end
    if match := _FROM.search(folded):
        after = folded[match.end() :]
        end_match = _UNTIL.match(" " + after.lstrip()) if after.strip() else None
        end = _written_date(end_match, published, end=True) if end_match else None
        start = _written_date(match, published, year_from=end)
        if end is None and _YEAR_END.match(after.strip()) and start:
            end = date(start.year, 12, 31)
        if end is None and start and (later := _UNTIL.search(after)):
            # «С 1 декабря … 500 тыс. рублей вместо 1 млн. Указ действует до 25 декабря.»
            found = _written_date(later, published, end=True)
            end = found if found and found >= start else None
        return start, end
    if _TODAY.search(folded):
        return published, None
    until = _UNTIL.search(folded)
    if until is not None:
        return None, _written_date(until, published, end=True)
    if _YEAR_END.search(folded) and published:
        return None, date(published.year, 12, 31)
    return None, None


def _written_date(
    match: re.Match[str],
    published: date | None,
    year_from: date | None = None,
    *,
    end: bool = False,
) -> date | None:
    """The date a match writes («1 октября», «1 октября 2024 г.», «01.10.2024»)."""
    day, month, year, dotted_day, dotted_month, dotted_year = match.groups()
    if dotted_day:
        return _safe(int(dotted_year), int(dotted_month), int(dotted_day))
    if year_from is not None and not year:
        guess = _safe(year_from.year, _MONTHS[month.lower()], int(day))
        if guess and guess > year_from:
            return _safe(year_from.year - 1, _MONTHS[month.lower()], int(day))
        return guess
    return _written_date_parts(int(day), month, year, published, end=end)


def _written_date_parts(
    day: int, month: str, year: str | None, published: date | None, *, end: bool
) -> date | None:
    """A missing year is the one that puts a start nearest the publication, or an end
    first not long past it (a window's start is the end's year: see `_written_date`)."""
    month_number = _MONTHS[month.lower()]
    if year:
        return _safe(int(year), month_number, day)
    if published is None:
        return None
    options = [
        option
        for shift in (-1, 0, 1)
        if (option := _safe(published.year + shift, month_number, day))
    ]
    if end:
        return next((option for option in options if option >= published - _END_GRACE), None)
    return min(options, key=lambda option: abs(option - published)) if options else None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None

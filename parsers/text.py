"""Plain text from Russian official HTML, and the header facts of an act.

Shared by the parsers so every source cleans titles and reads «от 30 сентября 2024 г. № 822»
the same way. Text keeps `ё` and its case: matching is the extractor's job.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

# Elements that end a line when rendered; everything else flows inline.
_BLOCKS = re.compile(r"^(?:p|div|li|tr|table|ul|ol|h[1-6]|blockquote|pre|section|article)$")
_INVISIBLE = ["script", "style", "noscript", "template"]
_SPACES = re.compile(r"[^\S\n]+")  # whitespace other than newlines (NBSP included)
_ANY_SPACE = re.compile(r"\s+")

# Act types as they open a heading, longest first so «Федеральный конституционный закон»
# is not read as «Федеральный …» or cut short.
ACT_TYPES = (
    "Закон Российской Федерации о поправке к Конституции Российской Федерации",
    "Федеральный конституционный закон",
    "Федеральный закон",
    "Распоряжение",
    "Постановление",
    "Указ",
    "Приказ",
    "Закон",
)
_TYPE_NAMES = "|".join(re.escape(name) for name in ACT_TYPES)
_ACT_TYPE_AT_START = re.compile(rf"^\s*({_TYPE_NAMES})(?![а-яё])", re.IGNORECASE)

MONTHS_GENITIVE = {
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
}
_MONTH = "(?:" + "|".join(MONTHS_GENITIVE) + ")"
# «30 сентября 2024 г.», «30 сентября 2024 года», «30.09.2024»
_DATE = (
    rf"(?:(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\s+(?P<year>\d{{4}})(?:\s*(?:года|г\.))?"
    r"|(?P<numeric>\d{2}\.\d{2}\.\d{4})(?:\s*г\.)?)"
)
_NUMBER = r"№\s*(?P<number>\d[0-9A-Za-zА-Яа-яЁё-]*)"
# «Указ Президента Российской Федерации от 30 сентября 2024 г. № 822»: the type word must be
# the nominative form, so «Федеральным законом от …» (a cited law) does not match.
_HEADER = re.compile(
    rf"(?P<type>{_TYPE_NAMES})(?![а-яё])(?:\s+[А-ЯЁ][^\n№]{{0,120}}?)?\s+от\s+{_DATE}\s*{_NUMBER}",
    re.IGNORECASE,
)
# The signature block that closes a decree or law: «Москва, Кремль 30 сентября 2024 года № 822».
_SIGNATURE = re.compile(rf"Москва,\s*Кремль\s+{_DATE}(?:\s*{_NUMBER})?")


@dataclass(frozen=True)
class ActReference:
    """The identifying header of an act: «Указ … от 30.09.2024 № 822»."""

    act_type: str | None
    number: str | None
    signed: date | None


def one_line(text: str) -> str:
    """All whitespace (newlines, NBSP, tabs) collapsed to single spaces, ends trimmed."""
    return _ANY_SPACE.sub(" ", text).strip()


def strip_quotes(text: str) -> str:
    """Remove one pair of quotes wrapping the whole text: «"О призыве …"» → «О призыве …».

    Only the outer pair goes, so a name ending in a quoted law title keeps its inner quote.
    """
    text = text.strip()
    for opening, closing in (('"', '"'), ("«", "»")):
        if len(text) >= 2 and text.startswith(opening) and text.endswith(closing):
            return text[1:-1].strip()
    return text


def clean_title(text: str) -> str:
    """A one-line title: `<br />` and line breaks become spaces, outer quotes dropped."""
    return strip_quotes(one_line(re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)))


def html_soup(html: str) -> BeautifulSoup:
    """An HTML tree, read leniently as browsers do."""
    with warnings.catch_warnings():
        # Error pages and hostile bodies may look like XML; reading them as HTML is intended.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(html, "lxml")


def html_to_text(html: str) -> str:
    """Readable plain text: one line per paragraph or `<br>`, spaces and NBSP collapsed."""
    return element_text(html_soup(html))


def element_text(element: Tag) -> str:
    """As `html_to_text`, for an element already parsed. Rewrites the element in place."""
    for tag in element.find_all(_INVISIBLE):
        tag.decompose()
    for br in element.find_all("br"):
        br.replace_with("\n")
    for block in element.find_all(_BLOCKS):
        block.insert_before(NavigableString("\n"))
        block.insert_after(NavigableString("\n"))
    return plain_lines(element.get_text())


def plain_lines(text: str) -> str:
    """Each line's spaces collapsed; blank lines dropped; lines joined by "\\n"."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def act_type_of(heading: str) -> str | None:
    """The act type that opens a heading: «Указ Президента …» → «Указ»."""
    match = _ACT_TYPE_AT_START.match(heading)
    if not match:
        return None
    found = match.group(1).lower()
    return next(name for name in ACT_TYPES if name.lower() == found)


def find_act_reference(text: str) -> ActReference | None:
    """The act's own number and signing date, read from its text.

    A decree's text cites other acts («от 28 марта 1998 г. № 53-ФЗ»), so its own identity
    comes from the signature block when there is one. A signature without a number still
    fixes the date: a header with that date is then the act itself; headers with other
    dates are citations. Without a signature, the first header in the text is taken, as
    in a news item that names the act it reports.
    """
    signature = _SIGNATURE.search(text)
    headers = list(_HEADER.finditer(text))
    if signature:
        signed = _date_of(signature)
        number = signature.group("number")
        same_day = next((h for h in headers if _date_of(h) == signed), None)
        if number is None and same_day:
            number = same_day.group("number")
        act_type = _type_of(same_day) if same_day else None
        return ActReference(act_type=act_type, number=number, signed=signed)
    if headers:
        first = headers[0]
        return ActReference(
            act_type=_type_of(first), number=first.group("number"), signed=_date_of(first)
        )
    return None


def _type_of(match: re.Match[str]) -> str | None:
    return act_type_of(match.group("type"))


def _date_of(match: re.Match[str]) -> date | None:
    """The date a header or signature match names, or None when it is not a real date."""
    try:
        if match.group("numeric"):
            day, month, year = (int(part) for part in match.group("numeric").split("."))
            return date(year, month, day)
        month = MONTHS_GENITIVE[match.group("month").lower()]
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:  # «31.02.2024»: a typo in the source, not a date
        return None


def parse_ru_date(text: str) -> date:
    """`DD.MM.YYYY` → date; raises ValueError otherwise."""
    day, month, year = text.strip().split(".")
    if not (len(day) == 2 and len(month) == 2 and len(year) == 4):
        raise ValueError(f"not a DD.MM.YYYY date: {text!r}")
    return date(int(year), int(month), int(day))


def format_ru_date(value: date) -> str:
    """date → `DD.MM.YYYY`, the form the legal portal's query parameters take."""
    return value.strftime("%d.%m.%Y")

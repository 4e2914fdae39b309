"""Plain text from Russian official HTML, and the act type a heading opens with.

Shared by the parsers so every source cleans titles the same way. Text keeps `ё` and its
case: reading numbers and dates out of it is the extractor's job (`indicators/`).
"""

from __future__ import annotations

import re
import warnings
from datetime import date

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

from mobwatch.parsers.tree import Element, document_strings, html_tree, strings

# Elements that end a line when rendered; everything else flows inline.
_BLOCKS = re.compile(r"^(?:p|div|li|tr|table|ul|ol|h[1-6]|blockquote|pre|section|article)$")
INVISIBLE = frozenset({"script", "style", "noscript", "template"})
_WHOLE_DOCUMENT = re.compile(r"</html|<!doctype", re.IGNORECASE)
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
    """Readable plain text: one line per paragraph or `<br>`, spaces and NBSP collapsed.

    Fragments (titles, summaries, a feed's full text) are read with lxml (`mobwatch.parsers.tree`).
    A whole document goes through bs4: whitespace between what comes after `</html>` and
    the rest, or beside a DOCTYPE in mid-page, is kept there and lost in lxml's tree.
    """
    if _WHOLE_DOCUMENT.search(html):
        return element_text(html_soup(html))
    return plain_lines("".join(document_strings(html_tree(html), dropped=INVISIBLE, lines=True)))


def tree_text(element: Element, dropped: frozenset[str] = INVISIBLE) -> str:
    """As `element_text`, for an element of an lxml tree (`mobwatch.parsers.tree`), which it leaves
    as it is; `dropped` elements are left out with their content."""
    return plain_lines("".join(strings(element, dropped=dropped, lines=True)))


def element_text(element: Tag) -> str:
    """As `html_to_text`, for an element already parsed. Rewrites the element in place."""
    for tag in element.find_all(list(INVISIBLE)):
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


def parse_ru_date(text: str) -> date:
    """`DD.MM.YYYY` → date; raises ValueError otherwise."""
    day, month, year = text.strip().split(".")
    if not (len(day) == 2 and len(month) == 2 and len(year) == 4):
        raise ValueError(f"not a DD.MM.YYYY date: {text!r}")
    return date(int(year), int(month), int(day))


def format_ru_date(value: date) -> str:
    """date → `DD.MM.YYYY`, the form the legal portal's query parameters take."""
    return value.strftime("%d.%m.%Y")

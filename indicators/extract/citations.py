"""An act's own words: its text without the names of the acts it cites.

Acts cite others by type, date, number and quoted name: «В связи с Указом Президента … от
19 октября 2022 г. № 756 "О введении военного положения на территориях …"». The quoted
name says what the cited act does, not what this one does, so a reader looking for an
act's subject, its operative clause or the regions it names reads `own_words` instead of
the raw text. The name of an act this one amends stays: it is what the amendment is
about. A title that opens with the act's own heading («Указ … от 05.01.2027 № 5
"…"») keeps its name. Names may nest («… № 647 "О внесении изменений в Указ … № 123 "Об …""»).
"""

from __future__ import annotations

import re

from mobwatch.indicators.russian import fold

# A cited act up to its number: «Указом Президента … от 19 октября 2022 г. № 756».
_CITATION_HEAD = re.compile(
    r"(?:указ|закон|постановлени|распоряжени|приказ)\w*[^«»\"“”„]{0,200}?"
    r"(?:№|N)\s*\d+(?:-[а-яa-z]+)?\s*",
    re.IGNORECASE,
)
# What may precede the act's own heading at the start of a title: «Федеральный закон от …».
_OWN_HEADING = re.compile(r"\s*(?:федеральн\w*\s+(?:конституционн\w*\s+)?)?\Z", re.IGNORECASE)
# «Внести в Федеральный закон … № 53-ФЗ "О воинской обязанности …"», «О внесении изменений
# в Указ … № 647 "Об объявлении частичной мобилизации …"»: an amendment is about its act.
_AMENDS = re.compile(
    r"(?:\bвнести|изменени\w*|дополнени\w*)\s+в\s+(?:[\w-]+\s+){0,4}\Z", re.IGNORECASE
)
_OPENING = {"«": "»", '"': '"', "“": "”", "„": "“"}
_CLOSING = set(_OPENING.values()) | {"”"}
_OPERATIVE = re.compile(r"\bпостановля(?:ю|ет)\s*:?", re.IGNORECASE)
CITED = "…"  # what a cited act's name is replaced by


def own_words(text: str) -> str:
    """`text` with each cited act's quoted name replaced by `CITED`."""
    pieces, position = [], 0
    for head in _CITATION_HEAD.finditer(text):
        if head.start() < position or _OWN_HEADING.match(text[: head.start()]):
            continue  # inside a name already skipped, or the act's own heading and name
        if _AMENDS.search(text[max(0, head.start() - 80) : head.start()]):
            continue  # the act it amends: that act's name is what this one changes
        end = _quoted_end(text, head.end())
        if end is None:
            continue
        pieces.append(text[position : head.end()])
        pieces.append(CITED)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def operative_part(text: str) -> str:
    """The act's own words after «постановляю:», or all of them when it has no such word."""
    words = own_words(text)
    found = _OPERATIVE.search(fold(words))
    return words[found.end() :] if found else words


def _quoted_end(text: str, start: int) -> int | None:
    """Where the quoted name opening at `start` ends (past its closing mark), or None when
    no name opens there or it never closes."""
    if start >= len(text) or text[start] not in _OPENING:
        return None
    closing = _OPENING[text[start]]
    position = start + 1
    while position < len(text):
        head = _CITATION_HEAD.match(text, position)
        if head and (inner := _quoted_end(text, head.end())) is not None:
            position = inner  # a nested citation's name, closed on its own
            continue
        char = text[position]
        if char == closing or (closing != '"' and char in _CLOSING and char != text[start]):
            return position + 1
        if char == '"' and closing == '"':
            return position + 1
        position += 1
    return None

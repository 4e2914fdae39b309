"""Which federal subject an announcement speaks for, and why (docs/bonuses.md, "Where").

Announcements name their subject in many ways: by name («в Омской области»), by its
people («омичам»), by its legislature («Курултай»), by its authorities («столичные
власти», «Смольный») — all of them names in the gazetteer's regions table — or by the
head's name alone («Хабиров подписал указ»), read here from `data/heads.csv` with each
head's term, so a name counts only for the days its bearer held the office. A surname
two heads share at once («Николаев»: Chuvashia and Yakutia) counts only with the first
name. A channel speaks for the subject of its own title («Виталий Хоценко»,
«Правительство Омской области») when the channels table does not know it.

A news agency's dateline («МОСКВА, 21 января — РИА Новости.») names where the story
was filed, not what it is about: it is read last, as a city, and Moscow's never.

The order, first found wins: the sentence of the sum, the title, the source's own
subject, the rest of the text; then a city named in the text or the dateline (a city's
payment is not the region's, so `Subject.city` tells the caller).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from mobwatch.indicators.regions import DATA, Gazetteer, Region
from mobwatch.indicators.russian import fold
from mobwatch.parsers.base import Document

HEADS_FILE = DATA / "heads.csv"

# «ЧЕБОКСАРЫ, 14 января. /ТАСС/.», «МОСКВА, 19 фев — РИА Новости.», «Омск. 27 ноября.
# ИНТЕРФАКС-СИБИРЬ -»: a place, a day and a month, perhaps an agency, at the very start.
_DATELINE = re.compile(
    r"^\s*(?P<place>[А-ЯЁ][А-ЯЁа-яё-]+(?:[ -][А-ЯЁ][А-ЯЁа-яё-]+)?)[,.]\s+\d{1,2}\s+[а-яё]{3,9}\.?"
    r"(?:\s*[-—–.]?\s*/?(?:ТАСС|РИА Новости|ИНТЕРФАКС[\w-]*|Интерфакс[\w-]*|РБК|REGNUM|"
    r"ИА [\w-]+|Прайм)/?\s*[.\-—–]?)?",
)
_MOSCOW = frozenset({"москва", "moscow"})
_NAME = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?")
# The endings a surname in -ов, -ин, -ер … takes in the cases announcements use.
_SURNAME_ENDINGS = ("", "а", "у", "ым", "ом", "е", "ой")


@dataclass(frozen=True)
class Head:
    region: str
    first: str  # first name, folded
    surname: str  # folded
    start: date
    end: date | None  # None: in office

    def in_office(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Subject:
    region: Region
    why: str  # in words, for `mobwatch explain`
    written: str  # the words that named it, as published
    city: bool = False  # found only through a city: a city's payment is not the region's


@lru_cache(maxsize=1)
def default_heads() -> tuple[Head, ...]:
    return load_heads(HEADS_FILE)


def load_heads(path: Path) -> tuple[Head, ...]:
    """The heads table: subject, name, first and last day of the term (empty: in office)."""
    with path.open(encoding="utf-8", newline="") as file:
        heads = []
        for row in csv.DictReader(file):
            first, _, surname = fold(row["name"]).strip().rpartition(" ")
            heads.append(
                Head(
                    region=row["region"],
                    first=first,
                    surname=surname,
                    start=date.fromisoformat(row["from"]),
                    end=date.fromisoformat(row["to"]) if row["to"].strip() else None,
                )
            )
        return tuple(heads)


def head_in(text: str, day: date | None, heads: tuple[Head, ...]) -> tuple[Head, str] | None:
    """The first head in office on `day` whom `text` names, and the words that name him."""
    folded = fold(text)
    names = list(_NAME.finditer(folded))
    for index, match in enumerate(names):
        word = match.group()
        found = [head for head in heads if head.in_office(day) and _is_surname(word, head)]
        if not found:
            continue
        before = names[index - 1] if index else None
        adjacent = before is not None and folded[before.end() : match.start()].strip() == ""
        named = [h for h in found if adjacent and _is_first_name(before.group(), h)]
        if named:
            return named[0], text[before.start() : match.end()]
        if len({head.region for head in found}) == 1:
            return found[0], text[match.start() : match.end()]
    return None


def _is_surname(word: str, head: Head) -> bool:
    lowered = word.lower()
    return any(lowered == head.surname.lower() + ending for ending in _SURNAME_ENDINGS)


def _is_first_name(word: str, head: Head) -> bool:
    stem = head.first.lower().rstrip("айяь")
    return len(stem) >= 3 and word.lower().startswith(stem)


def without_dateline(text: str) -> tuple[str, str | None]:
    """`text` with its opening dateline blanked (same length), and the dateline's place."""
    match = _DATELINE.match(text)
    if match is None:
        return text, None
    return " " * match.end() + text[match.end() :], match.group("place")


def find_subject(
    document: Document,
    sentence: str | None,
    gazetteer: Gazetteer,
    heads: tuple[Head, ...] | None = None,
) -> Subject | None:
    """The subject `document` speaks for, read from `sentence` first (see the module)."""
    heads = default_heads() if heads is None else heads
    day = document.published
    body, place = without_dateline(document.text)
    for text, where in ((sentence, "the sentence of the sum"), (document.title, "the title")):
        if text and (found := _named(without_dateline(text)[0], where, day, gazetteer, heads)):
            return found
    own = _own(document, gazetteer, heads)
    if own is not None:
        return own
    if found := _named(body, "the text", day, gazetteer, heads):
        return found
    for mention in gazetteer.find(f"{document.title}\n{body}", capitals=True)[:1]:
        why = f"no subject named; the city «{mention.written}» is its capital"
        return Subject(mention.region, why, mention.written, city=True)
    if place and fold(place).lower() not in _MOSCOW:
        for mention in gazetteer.find(place, capitals=True)[:1]:
            why = f"only the dateline's city «{place}», the capital of the subject"
            return Subject(mention.region, why, place, city=True)
    return None


def _named(
    text: str, where: str, day: date | None, gazetteer: Gazetteer, heads: tuple[Head, ...]
) -> Subject | None:
    mentions = gazetteer.find(text)
    if mentions:
        first = mentions[0]
        known = f" («{first.alias}» in the regions table)" if first.alias else ""
        return Subject(first.region, f"{where} names «{first.written}»{known}", first.written)
    head = head_in(text, day, heads)
    if head is not None:
        found, written = head
        region = gazetteer.region(found.region)
        if region is not None:
            why = f"{where} names «{written}», head of the subject on that day"
            return Subject(region, why, written)
    return None


def _own(document: Document, gazetteer: Gazetteer, heads: tuple[Head, ...]) -> Subject | None:
    """The subject the source speaks for: its configured region, its channel, its title."""
    if document.region and (region := gazetteer.region(document.region)):
        return Subject(region, "the source speaks for it (sources file)", document.region)
    if region := gazetteer.channel_region(document.author):
        why = f"the channel @{document.author} speaks for it (channels table)"
        return Subject(region, why, document.author or "")
    if document.author_title:
        found = _named(
            document.author_title, "the channel's own title", document.published, gazetteer, heads
        )
        if found is not None:
            return found
    return None

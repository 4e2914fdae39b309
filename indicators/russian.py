"""Reading Russian official prose: numbers, dates, periods and sentences.

Matching runs on `fold(text)`, a same-length copy with spaces, `ё`, dashes and quotes made
uniform, so a match's span points at the same characters of the original: evidence always
quotes the text as published.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

_FOLD = str.maketrans(
    {
        "\u00a0": " ",  # no-break space, the usual thousands separator
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",  # thin space
        "\u2007": " ",  # figure space
        "ё": "е",
        "Ё": "Е",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "–": "-",
        "—": "-",
        "−": "-",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
    }
)


def fold(text: str) -> str:
    """`text` for matching: one space, `е` for `ё`, `-` for dashes, `"` for quotes."""
    return text.translate(_FOLD)


# --- numbers -----------------------------------------------------------------------

_NUMBER = r"(?<![\d.,])(?:\d{1,3}(?: \d{3})+|\d+)(?:,\d+)?(?!\d|[.,]\d)"
_SCALE = r"тысяч[аиу]?|тыс\.?|миллиард(?:а|ов)?|млрд\.?|миллион(?:а|ов)?|млн\.?"
_SCALES = (("тыс", 1_000), ("млрд", 10**9), ("миллиард", 10**9), ("млн", 10**6), ("миллион", 10**6))
_AMOUNT = re.compile(rf"({_NUMBER})(?:\s*({_SCALE})(?![а-я]))?", re.IGNORECASE)
_QUANTITY = re.compile(rf"{_AMOUNT.pattern}(?:\s*([а-я]+))?", re.IGNORECASE)
_PERSON_NOUNS = ("человек", "граждан", "военнослужащ", "призывник")


def read_number(token: str) -> Decimal | None:
    """«133 000» → 133000, «1,5 тыс.» → 1500, «2 млн» → 2000000; None if not a number."""
    match = _AMOUNT.fullmatch(fold(token).strip())
    return _amount(match.group(1), match.group(2)) if match else None


def _amount(digits: str, scale: str | None) -> Decimal:
    value = Decimal(digits.replace(" ", "").replace(",", "."))
    if scale:
        word = scale.lower()
        value *= next(factor for prefix, factor in _SCALES if word.startswith(prefix))
    return value


@dataclass(frozen=True)
class Quantity:
    """A number and the word it counts, as found in a sentence."""

    value: Decimal
    noun: str  # the word after the number, lower case: "человек", "единиц", "лет", ""
    written: str  # the number as published: «133 000 человек»
    sentence: str  # the sentence it stands in, as published
    start: int  # where `written` starts in `sentence`

    @property
    def counts_persons(self) -> bool:
        return self.noun.startswith(_PERSON_NOUNS)


def read_quantities(text: str) -> list[Quantity]:
    """Every number in `text` with the word after it, sentence by sentence."""
    quantities = []
    for sentence in split_sentences(text):
        for match in _QUANTITY.finditer(fold(sentence)):
            quantities.append(
                Quantity(
                    value=_amount(match.group(1), match.group(2)),
                    noun=(match.group(3) or "").lower(),
                    written=sentence[match.start() : match.end()],
                    sentence=sentence,
                    start=match.start(),
                )
            )
    return quantities


def read_persons(text: str) -> tuple[int, str] | None:
    """The first count of people («133 000 человек», «133 тыс. граждан») and its sentence."""
    for quantity in read_quantities(text):
        if quantity.counts_persons:
            return int(quantity.value), quantity.sentence
    return None


# --- dates and periods ---------------------------------------------------------------

_SOFT_STEMS = {1: "январ", 2: "феврал", 4: "апрел", 6: "июн", 7: "июл"}
_SOFT_STEMS |= {9: "сентябр", 10: "октябр", 11: "ноябр", 12: "декабр"}
_HARD_STEMS = {3: "март", 8: "август"}


def _month_forms() -> dict[str, int]:
    """Every case form of every month name: «октябрь», «октября», «октябре», …"""
    forms = {"май": 5, "мая": 5, "мае": 5, "маю": 5, "маем": 5}
    for month, stem in _SOFT_STEMS.items():
        forms |= {stem + ending: month for ending in ("ь", "я", "е", "ю", "ем")}
    for month, stem in _HARD_STEMS.items():
        forms |= {stem + ending: month for ending in ("", "а", "е", "у", "ом")}
    return forms


_MONTHS = _month_forms()
_GENITIVE = "|".join(form for form in _MONTHS if form.endswith(("я", "а")))
_ANY_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR_WORD = r"(?:\s*(?:года|г\.))?"

# A date as acts write it, with no capturing groups so it can sit inside other patterns.
DATE_PATTERN = rf"(?:\d{{1,2}}\s+(?:{_GENITIVE})\s+\d{{4}}{_YEAR_WORD}|\d{{1,2}}\.\d{{2}}\.\d{{4}})"
_WORDY_DATE = re.compile(rf"(\d{{1,2}})\s+({_GENITIVE})\s+(\d{{4}})", re.IGNORECASE)
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{2})\.(\d{4})")
_DATE = re.compile(rf"(?<!\d){DATE_PATTERN}", re.IGNORECASE)
_DAY_MONTH = rf"(\d{{1,2}})\s+({_GENITIVE})"
_PERIOD = re.compile(
    rf"\bс\s+{_DAY_MONTH}(?:\s+(\d{{4}}){_YEAR_WORD})?\s+по\s+{_DAY_MONTH}\s+(\d{{4}})",
    re.IGNORECASE,
)
_DOTTED_PERIOD = re.compile(
    r"\bс\s+(\d{1,2}\.\d{2}\.\d{4})\s+по\s+(\d{1,2}\.\d{2}\.\d{4})", re.IGNORECASE
)
_MONTHS_SPAN = re.compile(
    rf"\bв\s+({_ANY_MONTH})(?:\s*-\s*({_ANY_MONTH}))?\s+(\d{{4}})\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None  # «31 июня» and the like: not a date, whatever the pattern said


def parse_date(written: str) -> date | None:
    """«30 сентября 2024 г.», «30 сентября 2024 года», «30.09.2024» → the date."""
    folded = fold(written).lower()
    if match := _WORDY_DATE.search(folded):
        day, month, year = match.groups()
        return _day(int(year), _MONTHS[month], int(day))
    if match := _DOTTED_DATE.search(folded):
        day, month, year = match.groups()
        return _day(int(year), int(month), int(day))
    return None


def read_date(text: str) -> date | None:
    """The first valid date written in `text`."""
    for match in _DATE.finditer(fold(text)):
        if (day := parse_date(match.group())) is not None:
            return day
    return None


def read_period(text: str) -> Period | None:
    """The first exact period: «с 1 октября по 31 декабря 2024 г.», «с 01.10.2024 по …».

    The start's year may be left out, as acts do; it is the end's year, or the year
    before when the start month comes later in the year than the end month.
    """
    folded = fold(text).lower()
    if match := _PERIOD.search(folded):
        start_day, start_month, start_year, end_day, end_month, end_year = match.groups()
        end = _day(int(end_year), _MONTHS[end_month], int(end_day))
        if end is None:
            return None
        year = int(start_year) if start_year else end.year
        if not start_year and _MONTHS[start_month] > end.month:
            year -= 1
        start = _day(year, _MONTHS[start_month], int(start_day))
        return Period(start, end) if start else None
    if match := _DOTTED_PERIOD.search(folded):
        start, end = parse_date(match.group(1)), parse_date(match.group(2))
        return Period(start, end) if start and end else None
    return None


def read_months(text: str) -> Period | None:
    """«в октябре - декабре 2024 г.» → 1 Oct – 31 Dec 2024: whole calendar months."""
    match = _MONTHS_SPAN.search(fold(text).lower())
    if not match:
        return None
    first, last = _MONTHS[match.group(1)], _MONTHS[match.group(2) or match.group(1)]
    year = int(match.group(3))
    last_day = calendar.monthrange(year, last)[1]
    return Period(date(year, first, 1), date(year, last, last_day))


# --- sentences -----------------------------------------------------------------------

# Words whose trailing dot does not end a sentence: «2024 г.», «133 тыс.», «ст. 5».
_ABBREVIATIONS = frozenset(
    {
        *("г", "гг", "тыс", "млн", "млрд", "руб", "коп", "ст", "ч", "п", "пп", "подп", "абз"),
        *("рис", "см", "стр", "им", "обл", "ул", "д", "т", "т.е", "т.д", "т.п"),
    }
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"»”)]*\s+(?=[«\"“(]?[А-ЯЁA-Z0-9])")
_CLAUSE_START = re.compile(r"\d{1,2}\.\s+[«\"“(]?[А-ЯЁA-Z]")
_CLAUSE_AFTER_COLON = re.compile(r"(?<=[:;])\s+(?=\d{1,2}\.\s)")


def split_sentences(text: str) -> list[str]:
    """Sentences as published; each numbered clause «1. …» starts a new one."""
    sentences = []
    for paragraph in text.splitlines():
        sentences.extend(_split_paragraph(paragraph))
    return sentences


def _split_paragraph(paragraph: str) -> list[str]:
    # (where the punctuation starts, where the next sentence starts, cut whatever precedes)
    candidates = [(m.start(), m.end(), True) for m in _CLAUSE_AFTER_COLON.finditer(paragraph)]
    candidates += [(m.start(), m.end(), False) for m in _SENTENCE_END.finditer(paragraph)]
    pieces, start = [], 0
    for end, cut, always in sorted(candidates):
        if cut > start and (always or _ends_sentence(paragraph[start:end], paragraph[cut:])):
            pieces.append(paragraph[start:cut].strip())
            start = cut
    pieces.append(paragraph[start:].strip())
    return [piece for piece in pieces if piece]


def _ends_sentence(before: str, after: str) -> bool:
    """Whether a dot between `before` and `after` closes a sentence."""
    words = before.split()
    if not words:
        return False
    last = words[-1].rstrip('"»”)').lower()
    if len(words) == 1 and last.isdigit():
        return False  # the number of a clause: «1. Осуществить …»
    if len(last) == 1 and last.isalpha() and words[-1][0].isupper():
        return False  # an initial: «В. Путин»
    if last in _ABBREVIATIONS:
        return bool(_CLAUSE_START.match(after))  # «… 2022 г. 2. Осуществить …»
    return True

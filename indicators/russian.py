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

_FOLDED = {
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
_FOLDABLE = re.compile("[" + "".join(map(re.escape, _FOLDED)) + "]")


def fold(text: str) -> str:
    """`text` for matching: one space, `е` for `ё`, `-` for dashes, `"` for quotes."""
    # Only the few folded characters are replaced: `str.translate` looks every character
    # of the text up in a table, ~9 times slower on Russian prose.
    return _FOLDABLE.sub(_folded, text)


def _folded(match: re.Match[str]) -> str:
    return _FOLDED[match.group()]


# --- numbers -----------------------------------------------------------------------

_NUMBER = r"(?<![\d.,])(?:\d{1,3}(?: \d{3})+|\d+)(?:,\d+)?(?!\d|[.,]\d)"
_SCALE = r"тысяч[аиу]?|тыс\.?|миллиард(?:а|ов)?|млрд\.?|миллион(?:а|ов)?|млн\.?"
_SCALES = (("тыс", 1_000), ("млрд", 10**9), ("миллиард", 10**9), ("млн", 10**6), ("миллион", 10**6))
_AMOUNT = re.compile(rf"({_NUMBER})(?:\s*({_SCALE})(?![а-я]))?", re.IGNORECASE)
_QUANTITY = re.compile(rf"{_AMOUNT.pattern}(?:\s*([а-я]+))?", re.IGNORECASE)
_PERSON_NOUNS = ("человек", "граждан", "военнослужащ", "призывник")


def read_number(token: str) -> Decimal | None:
    """«133 000» → 133000, «1,5 тыс.» → 1500, «2 млн» → 2000000; None if not a number.

    Sums of money are also written in words or in two parts, as announcements do: «1 млн
    600 тысяч» → 1600000, «полтора миллиона» → 1500000, «миллион» → 1000000,
    «полмиллиона» → 500000 (`SUM_PATTERN` finds them in a sentence).
    """
    folded = fold(token).strip()
    match = _AMOUNT.fullmatch(folded)
    if match:
        return _amount(match.group(1), match.group(2))
    return _read_sum(folded)


# --- sums written as announcements write them ------------------------------------------

_WORD_NUMBERS = {
    **dict.fromkeys(("один", "одного", "одна", "одной"), 1),
    **dict.fromkeys(("полтора", "полутора"), Decimal("1.5")),
    **dict.fromkeys(("два", "две", "двух"), 2),
    **dict.fromkeys(("три", "трех"), 3),
    **dict.fromkeys(("четыре", "четырех"), 4),
    **dict.fromkeys(("пять", "пяти"), 5),
    **dict.fromkeys(("шесть", "шести"), 6),
    **dict.fromkeys(("семь", "семи"), 7),
    **dict.fromkeys(("восемь", "восьми"), 8),
    **dict.fromkeys(("девять", "девяти"), 9),
    **dict.fromkeys(("десять", "десяти"), 10),
    **dict.fromkeys(("двадцать", "двадцати"), 20),
    **dict.fromkeys(("тридцать", "тридцати"), 30),
    **dict.fromkeys(("сорок", "сорока"), 40),
    **dict.fromkeys(("пятьдесят", "пятидесяти"), 50),
    **dict.fromkeys(("шестьдесят", "шестидесяти"), 60),
    **dict.fromkeys(("семьдесят", "семидесяти"), 70),
    **dict.fromkeys(("восемьдесят", "восьмидесяти"), 80),
    **dict.fromkeys(("девяносто",), 90),
    **dict.fromkeys(("сто", "ста"), 100),
    **dict.fromkeys(("двести", "двухсот"), 200),
    **dict.fromkeys(("триста", "трехсот"), 300),
    **dict.fromkeys(("четыреста", "четырехсот"), 400),
    **dict.fromkeys(("пятьсот", "пятисот"), 500),
    **dict.fromkeys(("шестьсот", "шестисот"), 600),
    **dict.fromkeys(("семьсот", "семисот"), 700),
    **dict.fromkeys(("восемьсот", "восьмисот"), 800),
    **dict.fromkeys(("девятьсот", "девятисот"), 900),
}
_DIGITS = r"(?<![\d.,])(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?(?!\d)"
_MILLIONS = r"млн\.?|миллион(?:а|ов|ом|е|ами|ах)?|млрд\.?|миллиард(?:а|ов|ом|е)?"
_THOUSANDS = r"тыс\.?|тысяч(?:а|и|у|е|ей|ами|ах)?"
_WORDS = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
# A sum as written, no capturing groups: digits with a scale («2 млн», «1,5 млн», «400 тыс.»,
# «1 млн 600 тысяч»), plain digits («1 000 000»), words («полтора миллиона», «миллион»,
# «двести пятьдесят тысяч», «миллион двести тысяч», «полумиллиона»).
SUM_PATTERN = (
    rf"(?:{_DIGITS}\s*(?:(?:{_MILLIONS})(?:\s+\d{{1,3}}\s*(?:{_THOUSANDS}))?|{_THOUSANDS})?"
    rf"|(?:(?:{_WORDS})\s+){{0,3}}(?:миллион(?:а|ов|ом|е)?|миллиард(?:а|ов)?|тысяч[аиу]?)"
    rf"(?:\s+(?:(?:{_WORDS})\s+){{1,3}}тысяч[аиу]?)?"
    rf"|пол(?:у)?миллион(?:а|ов|ом|е)?)(?![а-я])"
)
_SUM = re.compile(SUM_PATTERN, re.IGNORECASE)
_DIGITS_PART = re.compile(rf"({_DIGITS})\s*({_MILLIONS}|{_THOUSANDS})?", re.IGNORECASE)


def _read_sum(folded: str) -> Decimal | None:
    """A sum in words or in parts; None unless all of `folded` is one."""
    if not _SUM.fullmatch(folded):
        return None
    lowered = folded.lower()
    if lowered.startswith(("полмиллион", "полумиллион")):
        return Decimal(500_000)  # «полмиллиона», «полумиллиона»
    if lowered[:1].isdigit():
        total = Decimal(0)
        for digits, scale in _DIGITS_PART.findall(lowered):
            total += _amount(digits.replace(".", ","), scale or None)
        return total
    total, count = Decimal(0), Decimal(0)
    for word in lowered.split():  # «миллион двести тысяч»: each scale closes a group
        if word in _WORD_NUMBERS:
            count += _WORD_NUMBERS[word]
            continue
        total += (count or 1) * next(f for prefix, f in _SCALES if word.startswith(prefix))
        count = Decimal(0)
    return total + count


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
# A run of end marks is matched from its first mark and never given back, so a page of dot
# leaders («.....») is read in linear time: backtracking through it was quadratic.
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++[\"»”)]*+\s++(?=[«\"“(]?[А-ЯЁA-Z0-9])")
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
        if cut > start and (always or _ends_sentence(paragraph, start, end, cut)):
            pieces.append(paragraph[start:cut].strip())
            start = cut
    pieces.append(paragraph[start:].strip())
    return [piece for piece in pieces if piece]


def _ends_sentence(paragraph: str, start: int, end: int, cut: int) -> bool:
    """Whether the dot at `end` closes the sentence begun at `start` (the next at `cut`)."""
    word, lone = _last_word(paragraph, start, end)
    if not word:
        return False
    last = word.rstrip('"»”)').lower()
    if lone and last.isdigit():
        return False  # the number of a clause: «1. Осуществить …»
    if len(last) == 1 and last.isalpha() and word[0].isupper():
        return False  # an initial: «В. Путин»
    if last in _ABBREVIATIONS:
        return bool(_CLAUSE_START.match(paragraph, cut))  # «… 2022 г. 2. Осуществить …»
    return True


def _last_word(text: str, start: int, end: int) -> tuple[str, bool]:
    """The last word of `text[start:end]`, and whether it is the only one.

    Read backwards from `end`, never copying the sentence so far: a paragraph of a
    thousand initials («В. В. В. …») would otherwise be split in quadratic time.
    """
    stop = end
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    begin = stop
    while begin > start and not text[begin - 1].isspace():
        begin -= 1
    before = begin
    while before > start and text[before - 1].isspace():
        before -= 1
    return text[begin:stop], before == start

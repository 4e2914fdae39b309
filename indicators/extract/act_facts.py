"""What each kind of act states: a call-up's size and period, a force size, a regime.

Readers take the act's title and its text (empty when the source gives metadata only)
and return `ActFacts`; `extract.acts` turns them into an observation. Patterns run
on `fold`ed text; evidence is always the sentence as published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mobwatch.indicators.extract.citations import operative_part, own_words
from mobwatch.indicators.extract.effective_dates import read_effective
from mobwatch.indicators.extract.money import RUB, read_money
from mobwatch.indicators.extract.region_names import read_region_names
from mobwatch.indicators.russian import (
    DATE_PATTERN,
    Period,
    Quantity,
    fold,
    parse_date,
    read_months,
    read_period,
    read_quantities,
    split_sentences,
)

PERSONS = "persons"

# The operative clause of a call-up decree: «Осуществить с 1 октября … призыв на военную
# службу граждан …». A text carrying it is the decree itself, not a report about it.
CALLUP_ORDER = re.compile(
    r"\bосуществить\b.{0,80}?призыв\s+на\s+военную\s+службу\s+граждан", re.IGNORECASE
)
# The operative clause of a force-size decree, as `CALLUP_ORDER` is of a call-up.
FORCE_SIZE_ORDER = re.compile(
    r"\bустановить\s+штатную\s+численность\s+вооруженных\s+сил", re.IGNORECASE
)
ENDS_MOBILISATION = re.compile(
    r"(?:прекращ|заверш|отмен|окончани)\w*.{0,40}?мобилизаци[ия]\b", re.IGNORECASE
)
_CALLUP_WORD = re.compile(r"призыв|призва|призов", re.IGNORECASE)  # «призыв», «будут призваны»
_ORDERS_DISCHARGE = re.compile(
    r"\bуволить\s+с\s+военной\s+службы|увольнени\w*\s+с\s+военной\s+службы\s+граждан,?\s+"
    r"проходящих\s+военную\s+службу\s+по\s+призыву",
    re.IGNORECASE,
)
_SUSPENDS = re.compile(
    r"приостан\w*|\bне\s+увольня\w*|\bне\s+производ\w*\s+увольнени", re.IGNORECASE
)
# «О призыве в 2026 году граждан …»: an annual decree's title names the year, no months.
_CALLUP_YEAR = re.compile(r"\bпризыв\w*\s+в\s+(\d{4})\s+году\b", re.IGNORECASE)
_AGES = re.compile(r"в\s+возрасте\s+от\s+(\d{1,2})\s+до\s+(\d{1,2})\s+лет", re.IGNORECASE)
# The number may be missing from the closing block; the date is there all the same.
_SIGNATURE = re.compile(
    rf"москва,\s*кремль,?\s*({DATE_PATTERN})(?:\s*(?:№|N)\s*(\d+(?:-[а-я]+)?))?", re.IGNORECASE
)
# Act bank headings write «от 21.09.2022 г. № 647»: a dotted date may carry «г.» too.
_HEADING = re.compile(
    r"^\s*(?:указ|распоряжение|федеральн\w*\s+(?:конституционн\w*\s+)?закон)\b[^\"]*?"
    rf"\bот\s+({DATE_PATTERN})(?:\s*г\.)?\s*(?:№|N)\s*(\d+(?:-[а-я]+)?)",
    re.IGNORECASE,
)
_FORCE_SIZE_SENTENCE = re.compile(r"штатн\w*\s+численност", re.IGNORECASE)
_EFFECTIVE_ON_DATE = re.compile(rf"вступает\s+в\s+силу\s+с\s+({DATE_PATTERN})", re.IGNORECASE)
_EFFECTIVE_ON_SIGNING = re.compile(
    r"вступает\s+в\s+силу\s+со\s+дня\s+(?:его\s+)?подписания", re.IGNORECASE
)
_EFFECTIVE_ON_PUBLICATION = re.compile(
    r"вступает\s+в\s+силу\s+со\s+дня\s+(?:его\s+)?официального\s+опубликования", re.IGNORECASE
)
_DECLARES_MOBILISATION = re.compile(
    rf"\bобъявить\s+(?:с\s+({DATE_PATTERN})\s+)?.{{0,60}}?мобилизацию\b", re.IGNORECASE
)
_AMENDS_DECREE = re.compile(r"изменени\w*\s+в\s+указ", re.IGNORECASE)
# «Ввести с 00 часов 00 минут 20 октября 2022 г. …»: the start may carry an hour.
_STARTS = rf"(?:с\s+(?:\d{{1,2}}\s+час\w*\s+(?:\d{{1,2}}\s+минут\w*\s+)?)?({DATE_PATTERN})\s+)?"
_INTRODUCES_MARTIAL_LAW = re.compile(
    rf"\b(?:о\s+введении|ввести)\s+{_STARTS}.{{0,200}}?военно\w+\s+положени",
    re.IGNORECASE,
)
_INTRODUCES_REGIME = re.compile(
    rf"\b(?:ввести|установить)\b,?\s+{_STARTS}.{{0,200}}?"
    r"(?:уров\w+\s+реагирования|готовност)",
    re.IGNORECASE,
)
# Response levels (Decree № 757 of 2022 set them), most severe first. Martial law itself
# is read from `_INTRODUCES_MARTIAL_LAW`; an act that sets levels is `RESPONSE_LEVELS`.
RESPONSE_LEVELS = "response_levels"
_REGIMES = (
    ("maximum_response", r"максимальн\w*\s+уров\w+\s+реагирования"),
    ("medium_response", r"средн\w*\s+уров\w+\s+реагирования"),
    (
        "heightened_readiness",
        r"(?:повышенн\w*\s+(?:уров\w+\s+реагирования|готовност)"
        r"|уров\w+\s+повышенн\w*\s+готовност)",
    ),
    ("basic_readiness", r"(?:базов\w*\s+готовност|уров\w+\s+базов\w*\s+готовност)"),
)
_CLAUSE = re.compile(r";|\n")


@dataclass(frozen=True)
class ActFacts:
    value: int | None = None
    unit: str | None = None
    evidence: str | None = None  # the sentence the facts were read from; None: the title
    period_start: date | None = None
    period_end: date | None = None
    details: dict[str, Any] = field(default_factory=dict)


def read_signature(text: str) -> tuple[date, str | None] | None:
    """Date and number of the closing block «Москва, Кремль 30 сентября 2024 года № 822»;
    the number is None when the block gives a date only."""
    match = _SIGNATURE.search(fold(text))
    day = parse_date(match.group(1)) if match else None
    return (day, match.group(2)) if match and day else None


def read_heading(title: str) -> tuple[date, str] | None:
    """Date and number of a portal title «Указ Президента … от 30.09.2024 № 822 "…"».

    Only the heading before the act's quoted name counts: the name itself may cite other
    acts («в связи с Указом … от 19 октября 2022 г. № 756»).
    """
    match = _HEADING.search(fold(title))
    day = parse_date(match.group(1)) if match else None
    return (day, match.group(2)) if match and day else None


def _sentence(text: str, pattern: re.Pattern[str]) -> tuple[str, re.Match[str]] | None:
    for sentence in split_sentences(text):
        if match := pattern.search(fold(sentence)):
            return sentence, match
    return None


def _date_in(found: tuple[str, re.Match[str]] | None) -> date | None:
    return parse_date(found[1].group(1)) if found and found[1].group(1) else None


# --- call-ups ------------------------------------------------------------------------


def read_callup(title: str, text: str) -> ActFacts:
    size = read_callup_size(text)
    details: dict[str, Any] = {"discharge_ordered": discharge_ordered(title, text)}
    if read_discharge_suspension(title) or read_discharge_suspension(text):
        details["discharge_suspended"] = True
    if ages := _AGES.search(fold(text)):
        details["age_from"], details["age_to"] = int(ages.group(1)), int(ages.group(2))
    period = (read_period(size[1]) if size else None) or read_period(text)
    if period is None and (period := callup_period_from_title(title)):
        details["period_from_title"] = True
    return ActFacts(
        value=size[0] if size else None,
        unit=PERSONS if size else None,
        evidence=size[1] if size else None,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        details=details,
    )


def read_callup_size(text: str) -> tuple[int, str] | None:
    """Persons called up and the sentence saying so: the first count of people in a
    sentence about the call-up («… призыв … в количестве 133 000 человек»)."""
    for quantity in read_quantities(text):
        if quantity.counts_persons and _CALLUP_WORD.search(fold(quantity.sentence)):
            return int(quantity.value), quantity.sentence
    return None


def callup_period_from_title(title: str) -> Period | None:
    """The campaign a title's months name: «в апреле - июле 2025 г.» → 1 Apr – 15 Jul.

    Titles give months only. Spring campaigns end on 15 July by law, so April–July is read
    as 1 April – 15 July; any other span as whole months (October–December → 1 Oct – 31
    Dec). A title naming a year alone («О призыве в 2026 году …», the annual decrees of
    year-round conscription) is read as the whole year. Only a text's own dates («с 1
    ноября по 31 декабря 2022 г.») are exact: the autumn 2022 decree kept «в октябре -
    декабре» in its title but started on 1 November.
    """
    months = read_months(title)
    if months and (months.start.month, months.end.month) == (4, 7):
        return Period(months.start, months.end.replace(day=15))
    if months is None and (year := _CALLUP_YEAR.search(fold(title))):
        return Period(date(int(year.group(1)), 1, 1), date(int(year.group(1)), 12, 31))
    return months


def discharge_ordered(title: str, text: str) -> bool | None:
    """Whether the decree orders conscripts whose term expired discharged.

    True when the title or text orders it; False when it suspends it, or when the text is
    the decree's own (it carries the call-up order) and lacks it; None when unknown: a
    title alone or a news report that is silent on discharge says nothing either way.
    """
    if read_discharge_suspension(title) or read_discharge_suspension(text):
        return False
    if _ORDERS_DISCHARGE.search(fold(title)) or _ORDERS_DISCHARGE.search(fold(text)):
        return True
    return False if CALLUP_ORDER.search(fold(text)) else None


def read_discharge_suspension(text: str) -> str | None:
    """The sentence that suspends the discharge of conscripts («приостановить увольнение …
    граждан, проходящих военную службу по призыву»), if any."""
    if "увольн" not in text.lower():
        return None  # the sentence sought names a discharge; most texts never do
    for sentence in split_sentences(text):
        folded = fold(sentence).lower()
        if _SUSPENDS.search(folded) and "увольн" in folded and "по призыву" in folded:
            return sentence
    return None


# --- force size ----------------------------------------------------------------------


def read_force_size(text: str, signed: date, published: date | None) -> ActFacts:
    """Servicemen (the value) and total strength of «Установить штатную численность …
    в количестве 2 389 130 единиц, в том числе 1 500 000 военнослужащих», and the date
    the decree takes effect (`details["effective"]`: on_date, on_signing, on_publication,
    unstated). A title, or a report without the decree's own clause, states no effective
    date."""
    details: dict[str, Any] = {}
    value, evidence = None, None
    for quantity in read_quantities(text):
        if not _FORCE_SIZE_SENTENCE.search(fold(quantity.sentence)) or _is_increment(quantity):
            continue
        if quantity.noun.startswith("военнослужащ") and value is None:
            value, evidence = int(quantity.value), quantity.sentence
        elif quantity.noun.startswith(("единиц", "человек")):
            details.setdefault("total_strength", int(quantity.value))
    if value is not None:
        details["servicemen"] = value
    effective = None
    if FORCE_SIZE_ORDER.search(fold(text)):
        details["effective"], effective = _effective(text, signed, published)
    return ActFacts(
        value=value,
        unit=PERSONS if value is not None else None,
        evidence=evidence,
        period_start=effective,
        details=details,
    )


def _is_increment(quantity: Quantity) -> bool:
    """«увеличить на 180 000 военнослужащих»: a rise, not the strength itself."""
    before = fold(quantity.sentence[: quantity.start]).lower().split()
    return bool(before) and before[-1] == "на"


def _effective(text: str, signed: date, published: date | None) -> tuple[str, date | None]:
    folded = fold(text)
    if match := _EFFECTIVE_ON_DATE.search(folded):
        return "on_date", parse_date(match.group(1))
    if _EFFECTIVE_ON_SIGNING.search(folded):
        return "on_signing", signed
    if _EFFECTIVE_ON_PUBLICATION.search(folded):
        return "on_publication", published
    return "unstated", signed


# --- mobilisation, martial law, service law ------------------------------------------


def read_mobilisation(title: str, text: str) -> ActFacts:
    """The start of «Объявить с 21 сентября 2022 г. … частичную мобилизацию», and whether
    the act declares, amends or ends mobilisation (`details["action"]`)."""
    declared = _sentence(text, _DECLARES_MOBILISATION)
    if ENDS_MOBILISATION.search(fold(title)):
        action = "ended"
    elif _AMENDS_DECREE.search(fold(title)):
        action = "amended"
    else:
        action = "declared"
    return ActFacts(
        evidence=declared[0] if declared else None,
        period_start=_date_in(declared),
        details={"action": action},
    )


def read_martial_law(title: str, text: str) -> ActFacts:
    """What a martial-law or response-regime decree itself orders, in its own words.

    Martial law (`details["regime"] = "martial_law"`) only when the act's operative part
    introduces it («Ввести с 20 октября 2022 г. … военное положение»). An act that sets
    response levels («максимальный уровень реагирования — на территориях …») is a
    `response_levels` decree, with `details["levels"]`: each level and the regions named
    for it (an empty list where the act names none, such as «иных субъектов»). Names of
    cited acts never count (`extract.citations`): Decree № 757 cites № 756 «О введении
    военного положения …» and introduces no martial law itself.
    """
    own_title, operative = own_words(title), operative_part(text)
    martial_law = _sentence(operative, _INTRODUCES_MARTIAL_LAW)
    levels = read_response_levels(operative or own_title)
    found = martial_law or _sentence(operative, _INTRODUCES_REGIME)
    details: dict[str, Any] = {}
    if martial_law or _INTRODUCES_MARTIAL_LAW.search(fold(own_title)):
        details["regime"] = "martial_law"
        where = martial_law[0] if martial_law else (operative or own_title)
        if regions := read_region_names(where):
            details["regions"] = regions
    else:
        details["regime"] = RESPONSE_LEVELS if levels else _most_severe(own_title)
        if regions := read_region_names(operative or own_title):
            details["regions"] = regions
    if levels:
        details["levels"] = levels
    return ActFacts(
        evidence=found[0] if found else None, period_start=_date_in(found), details=details
    )


def read_response_levels(text: str) -> dict[str, list[str]]:
    """Each response level an act sets and the regions named with it, most severe first.

    Acts list them clause by clause («а) максимальный уровень реагирования — на
    территориях …;», «Ввести на территориях … средний уровень реагирования»), so each
    clause (up to «;» or a line's end) gives its level the regions it names.
    """
    levels: dict[str, list[str]] = {}
    for clause in _CLAUSE.split(text):
        folded = fold(clause)
        level = next((code for code, pattern in _REGIMES if re.search(pattern, folded)), None)
        if level is None:
            continue
        named = levels.setdefault(level, [])
        named += [region for region in read_region_names(clause) if region not in named]
    order = [code for code, _ in _REGIMES]
    return {code: levels[code] for code in order if code in levels}


def _most_severe(title: str) -> str | None:
    folded = fold(title)
    return next((code for code, pattern in _REGIMES if re.search(pattern, folded)), None)


def read_service_change(title: str, text: str) -> ActFacts:
    """A law or act on military service: whether it suspends conscripts' discharge."""
    suspension = read_discharge_suspension(title) or read_discharge_suspension(text)
    if suspension is None:
        return ActFacts()
    return ActFacts(evidence=suspension, details={"discharge_suspended": True})


# --- the federal payment for signing a contract --------------------------------------


def read_federal_bonus(text: str, published: date | None) -> ActFacts:
    """The amount of «… единовременную выплату в размере 400 000 рублей» and the window of
    contracts it covers («заключившим в период с 1 августа по 31 декабря 2024 г.»)."""
    for sentence in split_sentences(text):
        folded = fold(sentence).lower()
        if "выплат" not in folded:
            continue
        roubles = [money for money in read_money(sentence) if money.currency == RUB]
        if not roubles:
            continue
        effective, until = read_effective(sentence, split_sentences(text), published)
        return ActFacts(
            value=roubles[0].value,
            unit=RUB,
            evidence=sentence,
            period_start=effective,
            period_end=until,
        )
    return ActFacts()

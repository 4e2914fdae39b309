"""Reading a contract-signing payment out of an announcement (docs/bonuses.md).

One document gives at most one reading: what the document announces, and for whom.

* **Which sum.** Every sum in the document gets a role from the words around it
  (`extract.payment_roles`, over the cues of `extract.payment_cues`): regional,
  federal, municipal, total, previous, or what else it pays for.
* **Regional, federal, total.** The regional payment is the first sum marked regional;
  a headline sum without a mark wins over it only when the breakdown that follows adds up
  to it («вырос до 4,1 млн: 3,5 млн из городского бюджета, ещё 600 тыс. — …»). A headline
  equal to a stated total is the total. With only a total, the regional part is the total
  less the federal part (stated, or the federal payment of the day) and any municipal
  part, and is marked `derived`. Without a federal subject, a sum about the federal
  payment makes a federal reading.
* **Not a signing payment.** Sums marked monthly, family, the mobilised (unless the
  sentence says they signed), death or wound compensation,
  recruiter's fee, trophies, programme budgets, land, first-year income, or written in
  another country's money make a reading of that kind, without an amount.
* **Where.** `extract.subjects`: the subject named in the sentence of the sum (by name, by
  its people «омичам», its legislature, its head's name in his term), else in the title,
  else the source's own (a governor's channel, by the channels table or its own title),
  else the first named in the text; a city (or a news agency's dateline) only when no
  subject is named. A payment whose subject is only a city, paid by the city's council,
  mayoralty or budget («Горсовет Калининграда», «из городской казны»), is `municipal`.
* **Multiples and parts.** «в девять раз уменьшили … раньше 3,6 млн»: with no new amount
  stated, the old one and the multiple give it (marked `derived`). A headline followed in
  its sentence by the federal or municipal part («до 3 млн, включая 400 тысяч …», «3 млн:
  …») is a total; an unmarked sum among the parts is the regional one.
* **When.** `announced` is the publication date; `effective` the date the text says the
  amount applies from («с 1 октября», «для заключивших контракт с … по …», «с
  сегодняшнего дня»), its year the one nearest the publication; `until` the window's end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from mobwatch.indicators.extract.effective_dates import read_effective
from mobwatch.indicators.extract.money import RUB
from mobwatch.indicators.extract.payment_cues import (
    CHANGES,
    CIVIL_CONTRACT,
    CONTRACT,
    CONTRACT_STEMS,
    FOREIGN_PLACES,
    MILITARY,
    SIGNERS,
    SIGNING,
    Role,
)
from mobwatch.indicators.extract.payment_roles import PaymentSum, RoleContext, sums_in
from mobwatch.indicators.extract.subjects import Subject, find_subject
from mobwatch.indicators.regions import Gazetteer
from mobwatch.indicators.russian import fold, split_sentences
from mobwatch.parsers.base import Document

# The federal one-off payment for signing a contract (docs/facts.md): 195,000 roubles from the
# contracts of 21 September 2022 (Decree No. 787), 400,000 from 1 August 2024 (No. 644).
FEDERAL_PAYMENTS = ((date(2024, 8, 1), 400_000), (date(2022, 9, 21), 195_000))
SIGNING_RANGE = (10_000, 20_000_000)  # roubles: outside it a sum pays for something else

_PAYMENT = re.compile(
    r"выплат\w*|выплач\w*|заплат\w*|подъемн\w*|доплат\w*|вознагражд\w*|пособи\w*|"
    r"компенсац\w*|единовремен\w*|получ\w*|положен\w*",
    re.IGNORECASE,
)
_FEDERAL_DOCUMENT = re.compile(
    r"федеральн\w*|президент\w*|путин\w*|указ\w* президента", re.IGNORECASE
)
# A city's or a district's own bodies and budget: their payment is not the region's.
_MUNICIPAL_VOICE = re.compile(
    r"горсовет\w*|гордум\w*|городск\w+ (?:совет|дум|администрац|казн|доплат|выплат)\w*|"
    r"(?:совет|дум|администраци|мэри)\w* (?:депутатов )?(?:города|[а-я]+ого (?:муниципального )?"
    r"района|[а-я]+ого городского округа)|\bмэри\w*|местн\w+ бюджет\w*|муниципальн\w+ "
    r"(?:доплат|выплат)\w*|глав\w* (?:города|администрации)",
    re.IGNORECASE,
)
_AUTHORITY_BEFORE_CITY = re.compile(
    r"(?:горсовет|гордум|дум|совет\w* депутатов|администраци|мэри|мэр|глав)\w*\s+$", re.IGNORECASE
)
# «в девять раз», «в 2,5 раза», «вдвое», «удвоена»: how many times the payment changed.
_TIMES_WORDS = {
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "полтора": 1.5,
}
_TIMES = re.compile(
    r"\bв\s+(?P<n>\d+(?:,\d+)?|" + "|".join(_TIMES_WORDS) + r")\s+раза?\b|"
    r"\b(?P<adverb>вдвое|втрое|вчетверо|впятеро)\b|\b(?P<verb>удво|утро)\w*",
    re.IGNORECASE,
)
_ADVERB_TIMES = {"вдвое": 2, "втрое": 3, "вчетверо": 4, "впятеро": 5, "удво": 2, "утро": 3}


class PaymentKind(StrEnum):
    REGIONAL = "regional"  # a federal subject's one-off payment for signing a contract
    FEDERAL = "federal"  # the federal one-off payment
    MONTHLY = "monthly"  # pay, monthly allowances
    FAMILY = "family"
    COMPENSATION = "compensation"  # deaths, wounds, insurance
    RECRUITER = "recruiter"  # a fee for bringing in a volunteer
    FOREIGN = "foreign"  # another country's money
    OTHER = "other"  # trophies, programme budgets, land, first-year income
    MUNICIPAL = "municipal"  # a city's or a district's own payment, not the region's


_KIND_OF_ROLE = {
    Role.MONTHLY: PaymentKind.MONTHLY,
    Role.MOBILISED: PaymentKind.OTHER,
    Role.FAMILY: PaymentKind.FAMILY,
    Role.COMPENSATION: PaymentKind.COMPENSATION,
    Role.RECRUITER: PaymentKind.RECRUITER,
    Role.TROPHY: PaymentKind.OTHER,
    Role.PROGRAMME: PaymentKind.OTHER,
    Role.LAND: PaymentKind.OTHER,
    Role.FIRST_YEAR: PaymentKind.OTHER,
}


@dataclass(frozen=True)
class BonusReading:
    kind: PaymentKind
    region: str | None  # ISO 3166-2 code; None for the federal payment or when unknown
    amount: int | None  # roubles: the regional part, or the federal payment
    announced: date | None
    evidence: str  # the sentence the amount was read from
    effective: date | None = None
    until: date | None = None
    total: int | None = None  # as the text states it
    federal: int | None = None
    municipal: int | None = None
    previous: int | None = None
    change: str | None = None  # increase, cut, extension, new
    up_to: bool = False  # «до 3 млн»: a ceiling (tiers), not the one amount
    derived: bool = False  # not stated: a total less its parts, or the old amount × the change
    subject: str | None = None  # how the subject was found, in words


def federal_payment_on(day: date | None) -> int | None:
    """The federal one-off payment in force on `day` (docs/facts.md)."""
    if day is None:
        return FEDERAL_PAYMENTS[0][1]
    return next((amount for start, amount in FEDERAL_PAYMENTS if day >= start), None)


def read_bonus(document: Document, gazetteer: Gazetteer) -> BonusReading | None:
    """The payment `document` announces; None when it announces none (or no money)."""
    sums = payment_sums(document, gazetteer)
    if not sums:
        return None
    sentences = _sentences(document)
    reading = _signing_reading(document, sums, sentences, gazetteer)
    reading = reading or _other_reading(document, sums, gazetteer)
    if reading is not None and reading.kind is PaymentKind.REGIONAL:
        return _municipal(document, reading, gazetteer) or reading
    return reading


def about_contract_money(document: Document) -> bool:
    """Whether the document is about money for contract soldiers at all."""
    full = fold(f"{document.title}\n{document.text}").lower()
    if not any(stem in full for stem in CONTRACT_STEMS):
        return False
    if "контракт" in full:  # in each of the works contract's phrasings
        full = CIVIL_CONTRACT.sub(" ", full)
    if MILITARY.search(full) or SIGNERS.search(full):
        return bool(CONTRACT.search(full))
    # «подъёмные» are paid to teachers and doctors too: alone they make no contract money
    return bool(_PAYMENT.search(full)) and any(
        not match.group().startswith("подъемн") for match in CONTRACT.finditer(full)
    )


def payment_sums(document: Document, gazetteer: Gazetteer) -> list[PaymentSum]:
    """Every sum of a document about contract money, with its role; [] for other documents."""
    if not about_contract_money(document):
        return []
    home = _subject(document, None, gazetteer)
    region = home.region if home else None
    context = RoleContext(
        federal_payment_on(document.published),
        bool(region and region.kind == "autonomous okrug"),
        bool(region and region.kind == "federal city"),
    )
    return [
        item
        for order, sentence in enumerate(_sentences(document))
        for item in sums_in(sentence, order, context)
    ]


def _municipal(
    document: Document, reading: BonusReading, gazetteer: Gazetteer
) -> BonusReading | None:
    """A city's own payment: the subject was found only through the city, whose bodies or
    budget pay («Горсовет Калининграда», «из городской казны»)."""
    subject = _subject(document, reading.evidence, gazetteer)
    if subject is None or not subject.city:
        return None
    full = fold(f"{document.title}\n{document.text}")
    voiced = _MUNICIPAL_VOICE.search(full) or any(
        _AUTHORITY_BEFORE_CITY.search(full[: mention.start])
        for mention in gazetteer.find(full, capitals=True)
    )
    if not voiced:
        return None
    return replace(reading, kind=PaymentKind.MUNICIPAL, amount=None, derived=False)


# --- the sentences read ---------------------------------------------------------------------


def _sentences(document: Document) -> list[str]:
    title = document.title.strip()
    body = split_sentences(document.text)
    if body and title and fold(body[0]).startswith(fold(title).rstrip("…").rstrip()):
        title = ""  # a post's title is its first line, perhaps cut short
    return [*split_sentences(title), *body]


def _signing_reading(
    document: Document, sums: list[PaymentSum], sentences: list[str], gazetteer: Gazetteer
) -> BonusReading | None:
    if not SIGNING.search(fold(f"{document.title}\n{document.text}")):
        return None
    in_range = [
        item
        for item in sums
        if item.money.currency == RUB and SIGNING_RANGE[0] <= item.money.value <= SIGNING_RANGE[1]
    ]
    # A marked sum counts anywhere in an announcement; an unmarked one only in a sentence
    # about the contract, or in the title.
    regional = [item for item in in_range if item.role is Role.REGIONAL]
    unmarked = [
        item
        for item in in_range
        if item.role is None
        and (
            item.order == 0
            or SIGNING.search(fold(item.sentence))
            or CONTRACT.search(fold(item.sentence))
        )
    ]
    parts = _Parts(
        totals=[item for item in in_range if item.role is Role.TOTAL],
        federal=[item.money.value for item in in_range if item.role is Role.FEDERAL],
        municipal=[item.money.value for item in in_range if item.role is Role.MUNICIPAL],
    )
    chosen, is_total = _choose(regional, unmarked, [item.money.value for item in parts.totals])
    if chosen is not None and not regional and chosen.role is None:
        chosen, is_total = _headline_parts(chosen, in_range, is_total)
    if chosen is None and parts.totals:
        chosen, is_total = parts.totals[0], True
    subject = _subject(document, chosen.sentence if chosen else None, gazetteer)
    multiplied = None if chosen is not None else _multiplied(document, in_range)
    if multiplied is not None and subject is not None:
        return _reading(document, multiplied[0], multiplied[1], subject, parts, sums, sentences)
    if chosen is None:
        return _federal_reading(document, sums, sentences) if subject is None else None
    if subject is None and not regional:
        return _federal_reading(document, sums, sentences)
    amount = chosen.money.value
    if is_total:
        amount -= parts.federal_part(document.published) + sum(parts.municipal)
    if amount <= 0:
        return None
    reading = _reading(document, chosen, amount, subject, parts, sums, sentences)
    return replace(reading, derived=is_total)


def _reading(
    document: Document,
    chosen: PaymentSum,
    amount: int,
    subject: Subject | None,
    parts: _Parts,
    sums: list[PaymentSum],
    sentences: list[str],
) -> BonusReading:
    previous = [item.money.value for item in sums if item.role is Role.PREVIOUS]
    effective, until = read_effective(chosen.sentence, sentences, document.published)
    return BonusReading(
        kind=PaymentKind.REGIONAL,
        region=subject.region.code if subject else None,
        amount=amount,
        announced=document.published,
        evidence=chosen.sentence,
        effective=effective,
        until=until,
        total=parts.totals[0].money.value if parts.totals else None,
        federal=parts.federal[0] if parts.federal else None,
        municipal=parts.municipal[0] if parts.municipal else None,
        previous=previous[0] if previous else None,
        change=_change(chosen.sentence, document),
        up_to=chosen.money.bound == "up_to",
        derived=chosen.role is Role.PREVIOUS,
        subject=subject.why if subject else None,
    )


# «до 3 млн, включая 400 тысяч федеральных», «3 млн: 2,4 млн …, 400 тысяч …»: the words
# between a headline and the parts after it that make the headline their total.
_PARTS_FOLLOW = re.compile(
    r"включая|в том числе|из них|из которых|с учетом|вместе с|складывается|:", re.IGNORECASE
)


def _headline_parts(
    headline: PaymentSum, in_range: list[PaymentSum], is_total: bool
) -> tuple[PaymentSum, bool]:
    """An unmarked headline followed in its sentence by the federal or municipal part:
    the headline is the total; an unmarked sum among the parts is the regional one."""
    after = [
        item
        for item in in_range
        if item.sentence == headline.sentence and item.money.start > headline.money.end
    ]
    parts = [item for item in after if item.role in (Role.FEDERAL, Role.MUNICIPAL)]
    if not parts:
        return headline, is_total
    gap = fold(headline.sentence[headline.money.end : parts[0].money.start])
    if not _PARTS_FOLLOW.search(gap):
        return headline, is_total
    regional = [item for item in after if item.role is None]
    if regional:
        return regional[0], False
    return headline, True


def _multiplied(document: Document, in_range: list[PaymentSum]) -> tuple[PaymentSum, int] | None:
    """«в девять раз уменьшили: раньше 3,6 млн»: the earlier amount and how many times it
    changed give the new one, when the text states no other."""
    previous = [item for item in in_range if item.role is Role.PREVIOUS]
    if not previous:
        return None
    folded = fold(f"{document.title}\n{document.text}")
    match = _TIMES.search(folded)
    change = _change(previous[0].sentence, document)
    if match is None or change not in ("cut", "increase"):
        return None
    if match.group("n"):
        written = match.group("n").lower()
        times = _TIMES_WORDS.get(written) or float(written.replace(",", "."))
    else:
        times = _ADVERB_TIMES[(match.group("adverb") or match.group("verb")).lower()]
    value = previous[0].money.value
    amount = value / times if change == "cut" else value * times
    return previous[0], int(round(amount, -3))


@dataclass(frozen=True)
class _Parts:
    """The parts of the payment a document states besides the regional one."""

    totals: list[PaymentSum]
    federal: list[int]
    municipal: list[int]

    def federal_part(self, day: date | None) -> int:
        return self.federal[0] if self.federal else federal_payment_on(day) or 0


def _choose(
    regional: list[PaymentSum], unmarked: list[PaymentSum], totals: list[int]
) -> tuple[PaymentSum | None, bool]:
    """The sum that is the regional payment, and whether it is a total to take parts from."""
    headline = unmarked[0] if unmarked else None
    if regional:
        first = regional[0]
        if headline is None or headline.money.value == first.money.value:
            return first, False
        if _before(headline, first) and headline.money.value == _breakdown(first, unmarked):
            return headline, False  # «до 4,1 млн: 3,5 млн из бюджета, ещё 600 тыс. …»
        return first, False
    if headline is None:
        return None, False
    return headline, headline.money.value in totals


def _before(first: PaymentSum, second: PaymentSum) -> bool:
    return (first.order, first.money.start) < (second.order, second.money.start)


def _breakdown(regional: PaymentSum, unmarked: list[PaymentSum]) -> int:
    """The regional sum plus the unmarked sums after it in its sentence: the parts of a
    headline figure («3,5 млн из городского бюджета, ещё 600 тыс. — …»)."""
    extra = sum(
        item.money.value
        for item in unmarked
        if item.sentence == regional.sentence and item.money.start > regional.money.start
    )
    return regional.money.value + extra


def _federal_reading(
    document: Document, sums: list[PaymentSum], sentences: list[str]
) -> BonusReading | None:
    """The federal payment, when a document that names no federal subject is about it."""
    if not _FEDERAL_DOCUMENT.search(fold(f"{document.title}\n{document.text}")):
        return None
    candidates = [item for item in sums if item.role is Role.FEDERAL] or [
        item for item in sums if item.role is None and item.money.currency == RUB
    ]
    if not candidates:
        return None
    chosen = candidates[0]
    effective, until = read_effective(chosen.sentence, sentences, document.published)
    previous = [item.money.value for item in sums if item.role is Role.PREVIOUS]
    return BonusReading(
        kind=PaymentKind.FEDERAL,
        region=None,
        amount=chosen.money.value,
        announced=document.published,
        evidence=chosen.sentence,
        effective=effective,
        until=until,
        federal=chosen.money.value,
        previous=previous[0] if previous else None,
        change=_change(chosen.sentence, document),
    )


def _other_reading(
    document: Document, sums: list[PaymentSum], gazetteer: Gazetteer
) -> BonusReading | None:
    """A document about some other money for contract soldiers: its kind, no amount."""
    kind = None
    full = fold(f"{document.title}\n{document.text}")
    foreign_place = FOREIGN_PLACES.search(full) and not gazetteer.first(full)
    if any(item.money.currency != RUB for item in sums) or foreign_place:
        kind = PaymentKind.FOREIGN
    else:
        roles = [item.role for item in sums] + [cue.role for item in sums for cue in item.cues]
        kind = next((_KIND_OF_ROLE[role] for role in roles if role in _KIND_OF_ROLE), None)
    if kind is None:
        return None
    subject = _subject(document, None, gazetteer) if kind is not PaymentKind.FOREIGN else None
    region = subject.region if subject else None
    evidence = next(
        (item.sentence for item in sums if item.role in _KIND_OF_ROLE), sums[0].sentence
    )
    return BonusReading(
        kind=kind,
        region=region.code if region else None,
        amount=None,
        announced=document.published,
        evidence=evidence,
    )


# --- where, when, how it changed -----------------------------------------------------------


def _subject(document: Document, sentence: str | None, gazetteer: Gazetteer) -> Subject | None:
    return find_subject(document, sentence, gazetteer)


def _change(sentence: str, document: Document) -> str | None:
    for text in (sentence, document.title, document.text):
        folded = fold(text)
        for change, pattern in CHANGES:
            if pattern.search(folded):
                return change
    return None

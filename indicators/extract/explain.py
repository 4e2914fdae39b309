"""How the payment reader reads one text: each sum, its role and the words that gave it,
the subject and why, and the reading, or why there is none (`mobwatch explain`).

For analysts checking a doubtful alert: the explanation runs the reader itself
(`extract.bonuses`), never a copy of its rules, so it cannot drift from what the monitor
stores.
"""

from __future__ import annotations

from dataclasses import dataclass

from mobwatch.indicators.extract.bonuses import (
    BonusReading,
    about_contract_money,
    payment_sums,
    read_bonus,
)
from mobwatch.indicators.extract.payment_cues import SIGNING, Cue
from mobwatch.indicators.extract.subjects import Subject, find_subject
from mobwatch.indicators.regions import Gazetteer
from mobwatch.indicators.russian import fold
from mobwatch.parsers.base import Document


@dataclass(frozen=True)
class SumRead:
    written: str  # as published
    value: int
    currency: str
    bound: str | None  # up_to, from, over, about
    role: str  # the role, or "unmarked"
    because: str  # the words or the rule that gave the role
    sentence: str


@dataclass(frozen=True)
class Explanation:
    sums: list[SumRead]
    subject: Subject | None
    reading: BonusReading | None
    why_none: str | None  # when there is no reading


def explain(document: Document, gazetteer: Gazetteer) -> Explanation:
    sums = [
        SumRead(
            written=item.money.written,
            value=item.money.value,
            currency=item.money.currency,
            bound=item.money.bound,
            role=str(item.role) if item.role else "unmarked",
            because=_because(item.sentence, item.cue, item.rule),
            sentence=item.sentence,
        )
        for item in payment_sums(document, gazetteer)
    ]
    reading = read_bonus(document, gazetteer)
    evidence = reading.evidence if reading else None
    subject = find_subject(document, evidence, gazetteer)
    return Explanation(sums, subject, reading, None if reading else _why_none(document, sums))


def _because(sentence: str, cue: Cue | None, rule: str | None) -> str:
    if cue is not None:
        return f"the words «{sentence[cue.start : cue.end]}»"
    return rule or "no words around it say what it pays for"


def _why_none(document: Document, sums: list[SumRead]) -> str:
    if not about_contract_money(document):
        return "the text is not about money for a military contract"
    if not sums:
        return "the text states no sum of money"
    if not SIGNING.search(fold(f"{document.title}\n{document.text}")):
        return "nothing says the money is for signing a contract"
    return "no sum is a signing payment of a named subject (see the roles above)"

"""Documents to regional payment observations: the bonus reading as stored facts.

A feed item and the article it links to are one document at one address: they are read
together (the item's date, the article's text), so a headline never stands for the story.
Only regional readings with a subject, an amount and a date become observations; the
federal payment is known from the acts that set it (`extract.acts`), and the other
kinds (monthly pay, family payments, …) are what the reading sets aside.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from mobwatch.indicators.extract.announcements import ANNOUNCEMENT, announcement_id
from mobwatch.indicators.extract.bonuses import BonusReading, PaymentKind, read_bonus
from mobwatch.indicators.extract.merging import DERIVED_FROM_TOTAL
from mobwatch.indicators.model import Confidence, Evidence, Indicator, Observation
from mobwatch.indicators.regions import Gazetteer
from mobwatch.parsers.base import Document

RUB = "RUB"


def by_address(documents: Iterable[Document]) -> list[Document]:
    """One document per address: the longest text, the earliest date, the first title."""
    merged: dict[str, Document] = {}
    for document in documents:
        known = merged.get(document.url)
        merged[document.url] = _combined(known, document) if known else document
    return list(merged.values())


def _combined(first: Document, second: Document) -> Document:
    dates = [day for day in (first.published, second.published) if day]
    return replace(
        first,
        title=first.title or second.title,
        text=max(first.text, second.text, key=len),
        published=min(dates) if dates else None,
        official=first.official or second.official,
        author=first.author or second.author,
        region=first.region or second.region,
    )


def bonus_observation(document: Document, source: str, gazetteer: Gazetteer) -> Observation | None:
    """The regional payment `document` announces, as an observation; None otherwise."""
    reading = read_bonus(document, gazetteer)
    if (
        reading is None
        or reading.kind is not PaymentKind.REGIONAL
        or reading.region is None
        or reading.amount is None
        or reading.announced is None
    ):
        return None
    title = " ".join(document.title.split()) or reading.evidence[:120]
    return Observation(
        indicator=Indicator.REGIONAL_BONUS,
        event_date=reading.announced,
        title=title,
        url=document.url,
        source=source,
        evidence=reading.evidence,
        value=reading.amount,
        unit=RUB,
        region=reading.region,
        period_start=reading.effective,
        period_end=reading.until,
        confidence=Confidence.OFFICIAL if document.official else Confidence.REPORTED,
        published=document.published or reading.announced,
        details=_details(
            reading, announcement_id(reading.region, reading.amount, reading.announced)
        ),
        links=[Evidence(url=document.url, quote=reading.evidence, source=source, title=title)],
    )


def _details(reading: BonusReading, announcement: str) -> dict[str, Any]:
    details: dict[str, Any] = {ANNOUNCEMENT: announcement, "payment": "signing"}
    stated = {
        "total": reading.total,
        "federal": reading.federal,
        "municipal": reading.municipal,
        "previous": reading.previous,
        "change": reading.change,
    }
    details |= {key: value for key, value in stated.items() if value is not None}
    if reading.up_to:
        details["up_to"] = True
    if reading.derived:
        details[DERIVED_FROM_TOTAL] = True
    return details

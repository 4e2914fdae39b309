"""Federal acts: which kind of act a document is, and the observation it makes.

The title decides first, being the act's own name; the text only when the title says
nothing (a bare number, a news headline). Neither is read with the names of the acts it
cites (`extract.citations`). Text rules look for the operative words of a
decree («Осуществить … призыв», «Объявить … мобилизацию»), so a news item that merely
mentions conscripts or mobilisation is not taken for the act.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from mobwatch.indicators.extract.act_facts import (
    CALLUP_ORDER,
    ENDS_MOBILISATION,
    FORCE_SIZE_ORDER,
    ActFacts,
    read_callup,
    read_discharge_suspension,
    read_federal_bonus,
    read_force_size,
    read_heading,
    read_martial_law,
    read_mobilisation,
    read_service_change,
    read_signature,
)
from mobwatch.indicators.extract.act_identity import with_identity
from mobwatch.indicators.extract.citations import own_words
from mobwatch.indicators.extract.law_changes import RESERVISTS, read_changes
from mobwatch.indicators.extract.merging import merge
from mobwatch.indicators.extract.reservists import SPECIAL_ASSEMBLY, read_reservist_callup
from mobwatch.indicators.model import Confidence, Evidence, Indicator, Observation
from mobwatch.indicators.russian import fold, read_months
from mobwatch.parsers.base import Document

__all__ = ["ActKind", "classify", "merge", "read_act"]


class ActKind(StrEnum):
    CALLUP = "callup"
    FORCE_SIZE = "force_size"
    MOBILISATION = "mobilisation"
    MARTIAL_LAW = "martial_law"
    SERVICE_LAW = "service_law"
    RESERVIST_TRAINING = "reservist_training"
    RESERVIST_CALLUP = "reservist_callup"  # special assemblies, or a law on calling reservists
    FEDERAL_BONUS = "federal_bonus"
    OTHER = "other"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_FEDERAL_LAW = _rx(r"^\s*федеральн\w*\s+(?:конституционн\w*\s+)?закон\b")
# The three laws that say who serves, who can be mobilised, and what servicemen owe.
_SERVICE_LAWS = (
    r"\"(?:о\s+воинской\s+обязанности\s+и\s+военной\s+службе"
    r"|о\s+мобилизационной\s+подготовке\s+и\s+мобилизации|о\s+статусе\s+военнослужащих)"
)
_AMENDS_SERVICE_LAW = _rx(
    r"(?:изменени\w*|дополнени\w*|внести)\s+(?:в\s+)?(?:стать\w*\s+[^\"]{0,40}?)?"
    rf"федеральн\w*\s+закон\w*[^\"]{{0,60}}{_SERVICE_LAWS}"
)
_CONSCRIPT_TERMS = _rx(
    r"призывн\w+\s+возраст|возраст\w*\s+(?:граждан\s+)?(?:для\s+)?призыв"
    r"|срок\w*\s+военной\s+службы\s+по\s+призыву"
)
_RESERVISTS = _rx(r"(?<!не )пребывающ\w*\s+в\s+запасе")
_TO_SERVICE = _rx(r"на\s+военную\s+службу")
_TRAINING = _rx(r"военн\w+\s+сбор")

_MOBILISATION_TITLE = _rx(
    r"объявлени\w*\s+(?:\w+\s+)?мобилизаци[ия]\b|\bо\s+(?:частичной\s+|общей\s+)?мобилизации\b"
    r"|\bо\s+призыве\b.{0,160}?по\s+мобилизации"
    r"|указ\w*.{0,120}?(?:21\s+сентября\s+2022|21\.09\.2022).{0,20}?№\s*647\b"
)
_MOBILISATION_TEXT = _rx(
    r"\bобъявить\b.{0,80}?мобилизацию\b|\bосуществить\s+призыв.{0,160}?по\s+мобилизации"
    r"|\bвнести\s+в\s+указ.{0,120}?21\s+сентября\s+2022.{0,20}?№\s*647\b"
)
_MARTIAL_LAW_TITLE = _rx(
    r"(?:введени|объявлени|продлени|отмен)\w*\s+(?:\w+\s+){0,2}военного\s+положени"
    r"|(?:введени|установлени|повышени)\w*\s+(?:\w+\s+){0,2}уровн\w*\s+реагировани"
)
_MARTIAL_LAW_TEXT = _rx(
    r"\bввести\b.{0,200}?военное\s+положение"
    r"|\b(?:ввести|установить)\b.{0,200}?уров\w+\s+реагирования"
)
_FORCE_SIZE_TITLE = _rx(r"штатн\w+\s+численност\w+\s+вооруженн\w+\s+сил")
_CALLS_UP = _rx(r"\bпризвать\b|\bпризыв\w*")
_TRAINING_TEXT = _rx(r"\bпризвать\b.{0,160}?военные\s+сборы")
_CALLUP_TITLE = _rx(r"\bо\s+(?:\w+\s+)?призыве\b")
# The federal one-off payment for signing a contract (Decree No. 644 of 31.07.2024): a
# decree «Об установлении единовременной выплаты гражданам, заключившим контракт …».
_CONTRACT_BONUS_TITLE = _rx(r"единовременн\w*\s+(?:денежн\w+\s+)?выплат\w*.{0,160}?контракт")
# The decree itself, not news of it: its title opens with the act's type.
_DECREE_TITLE = _rx(r"^\s*указ\b")
# A regional authority's act on the same payment is the region's, not the federal one.
_REGIONAL_AUTHORITY = _rx(
    r"губернатор|глав\w*\s+(?:республики|региона|администрации)|мэр\w*\b|област|\bкра[яюе]\b"
    r"|краев|автономн\w+\s+округ|республик\w*\s+(?!федераци)[а-я]"
)


def classify(title: str, text: str = "", *, act_type: str | None = None) -> ActKind:
    """The kind of act, from its title first and its text second (stems, any case, ё = е).

    A federal law is only ever SERVICE_LAW or OTHER: decrees, not laws, call up, declare
    mobilisation or martial law. Reservists called «на военную службу» (not to training)
    are mobilisation under another name (docs/markers.md: mobilisation_declared).
    """
    law = bool(_FEDERAL_LAW.search(fold(title))) or "закон" in (act_type or "").lower()
    if not law and SPECIAL_ASSEMBLY.search(fold(title)):
        return ActKind.RESERVIST_CALLUP
    # The names of acts cited inside never decide (citations.py): Decree № 757's title
    # names № 756, which introduced martial law; 757 itself sets response levels.
    kind = _classify_title(fold(own_words(title)), law)
    return kind if kind is not ActKind.OTHER else _classify_text(fold(own_words(text)), law)


def _classify_title(title: str, law: bool) -> ActKind:
    if (
        _AMENDS_SERVICE_LAW.search(title)
        or _CONSCRIPT_TERMS.search(title)
        or read_discharge_suspension(title)
    ):
        return ActKind.SERVICE_LAW
    if law:
        return ActKind.OTHER
    reservists = _RESERVISTS.search(title)
    if (
        _MOBILISATION_TITLE.search(title)
        or ENDS_MOBILISATION.search(title)
        or (reservists and _TO_SERVICE.search(title) and not _TRAINING.search(title))
    ):
        return ActKind.MOBILISATION
    if _MARTIAL_LAW_TITLE.search(title):
        return ActKind.MARTIAL_LAW
    if _FORCE_SIZE_TITLE.search(title):
        return ActKind.FORCE_SIZE
    if reservists or _TRAINING.search(title):
        return ActKind.RESERVIST_TRAINING
    if (
        _DECREE_TITLE.search(title)
        and _CONTRACT_BONUS_TITLE.search(title)
        and not _REGIONAL_AUTHORITY.search(title)
    ):
        return ActKind.FEDERAL_BONUS
    if _CALLUP_TITLE.search(title) and (
        _TO_SERVICE.search(title) or (read_months(title) and "альтернативн" not in title.lower())
    ):
        return ActKind.CALLUP
    return ActKind.OTHER


def _classify_text(text: str, law: bool) -> ActKind:
    if read_discharge_suspension(text) or (law and _AMENDS_SERVICE_LAW.search(text)):
        return ActKind.SERVICE_LAW
    rules = (
        (_MOBILISATION_TEXT, ActKind.MOBILISATION),
        (_MARTIAL_LAW_TEXT, ActKind.MARTIAL_LAW),
        (FORCE_SIZE_ORDER, ActKind.FORCE_SIZE),
        (_TRAINING_TEXT, ActKind.RESERVIST_TRAINING),
        (CALLUP_ORDER, ActKind.CALLUP),
    )
    if law:
        return ActKind.RESERVIST_CALLUP if SPECIAL_ASSEMBLY.search(text) else ActKind.OTHER
    if SPECIAL_ASSEMBLY.search(text) and _CALLS_UP.search(text):
        return ActKind.RESERVIST_CALLUP
    return next((kind for pattern, kind in rules if pattern.search(text)), ActKind.OTHER)


_INDICATORS = {
    ActKind.CALLUP: Indicator.CALLUP_DECREE,
    ActKind.FORCE_SIZE: Indicator.FORCE_SIZE_DECREE,
    ActKind.MOBILISATION: Indicator.MOBILISATION_DECREE,
    ActKind.MARTIAL_LAW: Indicator.MARTIAL_LAW_DECREE,
    ActKind.SERVICE_LAW: Indicator.SERVICE_LAW,
    ActKind.FEDERAL_BONUS: Indicator.FEDERAL_BONUS,
    ActKind.RESERVIST_CALLUP: Indicator.RESERVIST_CALLUP,
    # Stored so the reservist marker knows the routine from the new; never alerted.
    ActKind.RESERVIST_TRAINING: Indicator.RESERVIST_CALLUP,
}


def read_act(doc: Document, source: str) -> Observation | None:
    """The observation a federal act makes, or None when it is not one the markers watch
    (reservist training, other acts) or it carries no date at all.

    The date is the signing date: the document's metadata, else the closing block of its
    text («Москва, Кремль 30 сентября 2024 года № 822»), else its title heading («от
    30.09.2024 № 822»), else the publication date. The number comes from the same places;
    a closing block without one leaves it to the heading.
    """
    kind = classify(doc.title, doc.text, act_type=doc.act_type)
    if kind is ActKind.SERVICE_LAW and _only_reservists(doc):
        kind = ActKind.RESERVIST_CALLUP  # a law on calling reservists, and nothing else
    indicator = _INDICATORS.get(kind)
    if indicator is None:
        return None
    signature, heading = read_signature(doc.text), read_heading(doc.title)
    event_date = (
        doc.act_date
        or (signature[0] if signature else None)
        or (heading[0] if heading else None)
        or doc.published
    )
    if event_date is None:
        return None
    number = (
        doc.act_number or (signature[1] if signature else None) or (heading[1] if heading else None)
    )
    facts = _read_facts(kind, doc, event_date)
    title = " ".join(doc.title.split())
    evidence = facts.evidence or title
    return with_identity(
        Observation(
            indicator=indicator,
            event_date=event_date,
            title=title,
            url=doc.url,
            source=source,
            evidence=evidence,
            value=facts.value,
            unit=facts.unit,
            period_start=facts.period_start,
            period_end=facts.period_end,
            document_number=number,
            confidence=Confidence.OFFICIAL if doc.official else Confidence.REPORTED,
            published=doc.published,
            details=facts.details,
            links=[Evidence(url=doc.url, quote=evidence, source=source, title=title)],
        )
    )


def _read_facts(kind: ActKind, doc: Document, signed: date) -> ActFacts:
    match kind:
        case ActKind.CALLUP:
            return read_callup(doc.title, doc.text)
        case ActKind.FORCE_SIZE:
            return read_force_size(doc.text, signed, doc.published)
        case ActKind.MOBILISATION:
            return read_mobilisation(doc.title, doc.text)
        case ActKind.MARTIAL_LAW:
            return read_martial_law(doc.title, doc.text)
        case ActKind.FEDERAL_BONUS:
            return read_federal_bonus(doc.text, doc.published)
        case ActKind.RESERVIST_CALLUP | ActKind.RESERVIST_TRAINING:
            return read_reservist_callup(doc.title, doc.text, law=_is_law(doc))
        case _:
            return read_service_law(doc.title, doc.text)


def read_service_law(title: str, text: str) -> ActFacts:
    """A law on military service: what it changes (`law_changes`), and whether it suspends
    conscripts' discharge. The evidence is the first changed words, or the title."""
    facts = read_service_change(title, text)
    changes = read_changes(title, text)
    if not changes:
        return facts
    details = facts.details | {"changes": [change.as_dict() for change in changes]}
    return ActFacts(evidence=facts.evidence or changes[0].quote, details=details)


def _is_law(doc: Document) -> bool:
    return bool(_FEDERAL_LAW.search(fold(doc.title))) or "закон" in (doc.act_type or "").lower()


def _only_reservists(doc: Document) -> bool:
    kinds = {change.kind for change in read_changes(doc.title, doc.text)}
    return kinds == {RESERVISTS}

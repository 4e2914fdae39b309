"""Statements that conscripts are sent to, serve in, or may be used in combat.

The report: "All the above makes it more likely that the Kremlin will decide to use
conscript soldiers in combat operations". Officials have mostly denied it («срочники не
привлекаются», «искажение реальности»), while the press has reported conscripts on the
Belgorod border and in the Kursk incursion. A statement is read sentence by sentence: a
sentence names conscripts (срочники, призывники, военнослужащие по призыву, солдаты
срочной службы) and a place or act of combat (the zone of the special military
operation, fighting, the front, the border under attack, captivity); it is a denial when
it negates the sending itself or calls the report false. The first such sentence of the
title and text decides, as news leads with its claim and adds the background after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from mobwatch.indicators.extract.region_names import read_region_names
from mobwatch.indicators.model import Confidence, Evidence, Indicator, Observation
from mobwatch.indicators.russian import fold, split_sentences
from mobwatch.parsers.base import Document


class Stance(StrEnum):
    AFFIRMS = "affirms"  # they are sent, serve, fight, or may be used there
    DENIES = "denies"  # they are not, will not be; the report is false


@dataclass(frozen=True)
class Statement:
    stance: Stance
    sentence: str  # as published
    attributed: bool  # the sentence or title names an official speaker or body
    regions: tuple[str, ...]  # federal subjects the sentence names, nominative


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_CONSCRIPTS = _rx(
    r"срочник\w*|призывник\w*|военнослужащ\w*[\s-]+(?:срочной\s+службы|по\s+призыву|призывник)"
    r"|(?:проходящ|проходивш)\w*\s+(?:военную\s+|срочную\s+)?службу\s+по\s+призыву"
    r"|срочн\w+\s+служб\w*|граждан\w*,?\s+призванн\w*\s+на\s+военную\s+службу"
    r"|солдат\w*[\s-]+срочн\w*|призванн\w*\s+(?:\w+\s+){0,2}граждан\w*"
)
_COMBAT = _rx(
    r"зон\w*\s+(?:проведения\s+)?(?:специальной\s+военной\s+операции|сво|спецоперации"
    r"|боевых\s+действий|контртеррористической\s+операции)"
    r"|специальн\w+\s+военн\w+\s+операци\w*|спецопераци\w*|\bсво\b"
    r"|боев\w+\s+(?:действи|задач|позици)\w*|военн\w+\s+действи\w*|\bфронт\w*|передов\w+"
    r"|\bплен\w*|обстрел\w*|прорыв\w*|вторжени\w*|диверсант\w*|диверсионн\w*"
    r"|погранпост\w*|(?:на|у|к|вдоль)\s+границ\w*|охран\w*\s+границ\w*|приграничь\w*"
    r"|приграничн\w+\s+(?:район|регион|территори|сел|зон)\w*|блиндаж\w*|окоп\w*"
    r"|на\s+украин\w*|территории\s+украины|новых\s+(?:регионах|территориях)"
    r"|курск\w+\s+направлени\w*|\bбо(?:ях|ев|ям|и)\b|\bбой\b|атак\w*|нападени\w*"
    r"|(?:с|на)\s+позици\w*"
)
_SENT = (
    r"(?:направля|направ|отправля|отправ|привлека|привлеч|посыла|посла|перебрасыва|переброс"
    r"|участву|участвова|принима\w*\s+участ|задейств|использ|воева|воюю|находят|находи|брать"
    r"|служ)"
)
_NEGATED = _rx(
    rf"\bне\s+(?:будут\s+|будет\s+|станут\s+|могут\s+|должны\s+|планиру\w+\s+|собира\w+\s+)?"
    rf"(?:их\s+|туда\s+|срочников\s+|призывников\s+)?{_SENT}"
    r"|\bне\s+(?:будут|будет)\b[^.;]{0,40}?\b"
    + _SENT
    # «направлять … не будут»: an infinitive first, its negated auxiliary later
    + r"|\b"
    + _SENT
    + r"\w*\b[^.;]{0,90}?\bне\s+(?:будут|будет|станут|собира\w+|планиру\w+|намерен\w*)\b"
)
_DISMISSED = _rx(
    r"искажени\w*\s+(?:реальности|действительности)|опроверг\w*|\bфейк\w*|\bложн\w+"
    r"|не\s+соответству\w*\s+действительности|неправд\w*|\bслух\w*|\bякобы\b"
    r"|(?:нет|не\s+было|отсутств\w*)\s+(?:никакой\s+)?необходимост\w*|необходимост\w*[^.]{0,60}?\bнет\b"
    r"|не\s+планиру\w*|\bисключ\w*|недопущени\w*|позици\w+[^.]{0,60}?неизменн\w*"
    r"|никаких\s+планов|план\w*\s+(?:таких\s+)?нет\b"
    r"|провокаци\w*|дезинформаци\w*|\bвброс\w*|вымысл\w*|выдумк\w*"
)
_OFFICIAL = _rx(
    r"минобороны|министерств\w*\s+обороны|министр\w*\s+обороны|генштаб\w*|генеральн\w+\s+штаб\w*"
    r"|кремл\w*|пескова?\b|путин\w*|президент\w*|шойгу|белоусов\w*|конашенков\w*"
    r"|военн\w+\s+комиссар\w*|военком\w*|губернатор\w*|штаб\w*\s+\w+\s+военного\s+округа"
    r"|управлени\w*\s+генштаба|ведомств\w*"
)
# An official is the speaker only when the sentence has them speak: «заявил», «по словам»,
# a headline's «Минобороны:»; «матери обратились в Минобороны» is not the ministry speaking.
_SPEAKS = _rx(
    r"заяв\w*|сообщ\w*|рассказ\w*|подтверд\w*|призна\w*|сказа\w*|подчеркн\w*|отмет\w*"
    r"|назва\w*|назвал\w*|завери\w*|пообеща\w*|ответи\w*|уточни\w*|напомни\w*|по\s+словам"
    r"|опроверг\w*|\w+\s*:"
)


def read_statement(title: str, text: str = "") -> Statement | None:
    """The statement a news item or post makes about conscripts in combat, or None."""
    for sentence in [title, *split_sentences(text)]:
        if (statement := read_sentence(sentence, title)) is not None:
            return statement
    return None


def read_sentence(sentence: str, title: str = "") -> Statement | None:
    """One sentence read on its own; the title only helps name who speaks."""
    folded = fold(" ".join(sentence.split()))
    if not folded or folded.rstrip().endswith("?"):
        return None  # a question states nothing
    if not _CONSCRIPTS.search(folded) or not _COMBAT.search(folded):
        return None
    denied = bool(_NEGATED.search(folded) or _DISMISSED.search(folded))
    return Statement(
        stance=Stance.DENIES if denied else Stance.AFFIRMS,
        sentence=" ".join(sentence.split()),
        attributed=_spoken_by_official(folded) or _spoken_by_official(fold(title)),
        regions=tuple(read_region_names(sentence)),
    )


def _spoken_by_official(text: str) -> bool:
    return bool(_OFFICIAL.search(text) and _SPEAKS.search(text))


def statement_observation(doc: Document, source: str) -> Observation | None:
    """The observation of a news item or post about conscripts in combat, or None.

    Denials are stored too (`details["stance"]`), so the history shows what was denied;
    only affirmations fire. A statement is official when its source is the authority's
    own (`Document.official`) or the sentence names an official speaker.
    """
    if doc.published is None:
        return None
    statement = read_statement(doc.title, doc.text)
    if statement is None:
        return None
    title = " ".join(doc.title.split())
    official = doc.official or statement.attributed
    return Observation(
        indicator=Indicator.CONSCRIPTS_IN_COMBAT,
        event_date=doc.published,
        title=title,
        url=doc.url,
        source=source,
        evidence=statement.sentence,
        region=doc.region,
        confidence=Confidence.OFFICIAL if doc.official else Confidence.REPORTED,
        details={
            "stance": str(statement.stance),
            "official": official,
            "regions": list(statement.regions),
        },
        links=[Evidence(url=doc.url, quote=statement.sentence, source=source, title=title)],
    )

"""What a law or a bill on military service changes, read from its words.

An amending law says what it changes in two ways: a replacement clause («в пункте 1
статьи 38 слова «12 месяцев» заменить словами «24 месяца»»), and plain wording for new
rules («призыв … осуществляется в течение календарного года»). Both are read here into
`LawChange`s: the kind of rule, whether it lengthens service or widens conscription, the
words as written, and one English line. The markers judge severity from these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mobwatch.indicators.russian import split_sentences

# The conscript term in 53-ФЗ (article 38) since 2008: a term is "lengthened" above it.
STATUTORY_TERM_MONTHS = 12

SERVICE_TERM = "service_term"
AGES = "ages"
REPORTING_TIME = "reporting_time"
YEAR_ROUND = "year_round"
SUMMONS = "summons"
DEFERMENTS = "deferments"
CONSCRIPTS_COMBAT = "conscripts_combat"
RESERVISTS = "reservists"
MOBILISATION = "mobilisation"
# Kinds that change who is conscripted, or for how long, or where they may be sent.
CONSCRIPTION_KINDS = frozenset(
    {SERVICE_TERM, AGES, REPORTING_TIME, YEAR_ROUND, SUMMONS, DEFERMENTS, CONSCRIPTS_COMBAT}
)


@dataclass(frozen=True)
class LawChange:
    kind: str
    widens: bool  # lengthens conscript service or widens conscription
    quote: str  # the changed words as the act writes them
    summary: str  # one English line

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "widens": self.widens,
            "quote": self.quote,
            "summary": self.summary,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> LawChange:
        return cls(
            str(data["kind"]), bool(data["widens"]), str(data["quote"]), str(data["summary"])
        )


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_Q = r"[«\"“„]([^«»\"“”„]{1,120})[»\"“”]"
_WORDS = r"(?:слов\w*|цифр\w*|числ\w*)"
# «слова «X» заменить словами «Y»», or «заменив слова «X» словами «Y»».
_REPLACEMENT = _rx(
    rf"{_WORDS}\s+{_Q}\s+замен\w*\s+{_WORDS}\s+{_Q}|замен\w*\s+{_WORDS}\s+{_Q}\s+{_WORDS}\s+{_Q}"
)
_MONTHS = _rx(r"(\d{1,3})\s+месяц")
_YEARS = _rx(r"(\d{1,2})\s+(?:лет|год)")
_DAYS = _rx(r"(\d{1,3})\s+(?:календарн\w+\s+|рабоч\w+\s+)?(?:дн|сут)")
_NUMBERS = _rx(r"\d{1,3}")
_AGE_CONTEXT = _rx(r"возраст")
_TERM_CONTEXT = _rx(r"стать\w*\s+38\b|срок\w*\s+(?:военной\s+)?службы")
_REPORT_CONTEXT = _rx(r"повестк|явк|яви")

_YEAR_ROUND = _rx(
    r"круглогодичн\w*|призыв\w*.{0,120}?в\s+течение\s+(?:всего\s+)?календарного\s+года"
)
_SUMMONS = _rx(
    r"электронн\w*\s+повестк|реестр\w*\s+повесток|реестр\w*\s+(?:граждан,?\s+)?"
    r"(?:воинского\s+учета|подлежащ\w+\s+призыву)|единого\s+реестра|запрет\w*\s+на\s+выезд"
    r"|повестк\w*.{0,60}?считается\s+врученн"
)
_DEFERMENT = _rx(r"отсрочк\w*|освобожд\w*\s+от\s+призыва")
_NARROWS = _rx(r"отмен\w*|исключ\w*|утрачива\w*|лиш\w*|сократ\w*|не\s+предоставля\w*")
_TERM_STATED = _rx(
    r"срок\w*\s+военной\s+службы\s+(?:по\s+призыву|для\s+\w+).{0,80}?(\d{1,3})\s+месяц"
)
_AGES_STATED = _rx(r"призыв\w*.{0,80}?в\s+возрасте\s+от\s+(\d{1,2})\s+до\s+(\d{1,2})\s+лет")
_CONSCRIPTS_SENT = _rx(
    r"(?:проходящ\w+\s+военную\s+службу\s+по\s+призыву|военнослужащ\w+\s+по\s+призыву)"
    r".{0,160}?(?:направл\w*|привлека\w*|привлеч\w*|участи\w*)"
    r".{0,120}?(?:боев\w*|военн\w+\s+(?:действи|операци)|вооруженн\w+\s+конфликт|за\s+пределы)"
)
_RESERVISTS = _rx(r"специальн\w+\s+сбор")
_MOBILISATION = _rx(r"мобилизац\w*")
# Past the limit of the usual ages (18–27 until 2024): the upper limit is raised.
_RAISES = _rx(r"повыш\w*|повыс\w*|увелич\w*|расшир\w*")


def read_changes(*texts: str) -> list[LawChange]:
    """Every change the texts state, replacements first; one of each kind and quote."""
    text = " ".join(" ".join(t.split()) for t in texts if t)
    found: list[LawChange] = []
    for match in _REPLACEMENT.finditer(text):
        context = text[max(0, match.start() - 240) : match.start()]
        after = text[match.end() : match.end() + 160]
        if (change := _replacement(match, context, after)) is not None:
            found.append(change)
    replaced = {change.kind for change in found}
    for sentence in split_sentences(text):
        # «слова «20 дней» заменить словами «30 дней» со дня размещения повестки»: the
        # summons words say what the replaced days count from, not a rule of their own.
        counted_from = REPORTING_TIME in replaced and _REPLACEMENT.search(sentence)
        found.extend(
            change
            for change in _stated(sentence)
            if change.kind not in replaced and not (counted_from and change.kind == SUMMONS)
        )
    unique: dict[tuple[str, str], LawChange] = {}
    for change in found:
        unique.setdefault((change.kind, change.quote), change)
    return list(unique.values())


def _replacement(match: re.Match[str], context: str, after: str) -> LawChange | None:
    """The change one replacement clause makes; `context` and `after` are the words around
    it (the article it amends, what the days are counted from)."""
    old, new = [group for group in match.groups() if group is not None]
    quote = match.group(0)
    if (months := _pair(_MONTHS, old, new)) is not None:
        before, after = months
        return LawChange(
            SERVICE_TERM,
            after > before,
            quote,
            f"conscript service term changed from {before} to {after} months",
        )
    if _AGE_CONTEXT.search(context + old + after) or _pair(_YEARS, old, new):
        ages = _ranges(old, new)
        if ages is not None:
            (low0, high0), (low1, high1) = ages
            widens = high1 > high0 or low1 < low0
            return LawChange(
                AGES,
                widens,
                quote,
                f"conscription ages changed from {_span(low0, high0)} to {_span(low1, high1)}",
            )
    if (days := _pair(_DAYS, old, new)) is not None and _REPORT_CONTEXT.search(
        context + old + after
    ):
        return LawChange(
            REPORTING_TIME,
            False,
            quote,
            f"time to report after a summons changed from {days[0]} to {days[1]} days",
        )
    stated = _stated(context + " " + new)
    if stated:
        first = stated[0]
        return LawChange(first.kind, first.widens, quote, first.summary)
    if _TERM_CONTEXT.search(context[-120:]):
        return LawChange(SERVICE_TERM, False, quote, "wording on the term of service changed")
    return None


def _stated(sentence: str) -> list[LawChange]:
    changes = []
    if match := _TERM_STATED.search(sentence):
        months = int(match.group(1))
        changes.append(
            LawChange(
                SERVICE_TERM,
                months > STATUTORY_TERM_MONTHS,
                sentence,
                f"conscript service term set at {months} months",
            )
        )
    if match := _AGES_STATED.search(sentence):
        low, high = int(match.group(1)), int(match.group(2))
        changes.append(
            LawChange(
                AGES,
                bool(_RAISES.search(sentence)),
                sentence,
                f"conscription ages set at {_span(low, high)}",
            )
        )
    if _YEAR_ROUND.search(sentence):
        changes.append(LawChange(YEAR_ROUND, False, sentence, "conscription runs all year round"))
    if _SUMMONS.search(sentence):
        changes.append(
            LawChange(
                SUMMONS,
                False,
                sentence,
                "summonses, the register or restrictions on those who do not report",
            )
        )
    if _DEFERMENT.search(sentence):
        narrows = bool(_NARROWS.search(sentence))
        what = (
            "deferments or exemptions narrowed" if narrows else "deferments or exemptions changed"
        )
        changes.append(LawChange(DEFERMENTS, narrows, sentence, what))
    if _CONSCRIPTS_SENT.search(sentence):
        changes.append(
            LawChange(
                CONSCRIPTS_COMBAT, True, sentence, "conscripts may be sent to combat or abroad"
            )
        )
    if _RESERVISTS.search(sentence):
        changes.append(
            LawChange(RESERVISTS, False, sentence, "reservists may be called to special assemblies")
        )
    if not changes and _MOBILISATION.search(sentence):
        changes.append(LawChange(MOBILISATION, False, sentence, "mobilisation rules changed"))
    return changes


def _pair(pattern: re.Pattern[str], old: str, new: str) -> tuple[int, int] | None:
    before, after = pattern.search(old), pattern.search(new)
    if before is None or after is None:
        return None
    return int(before.group(1)), int(after.group(1))


def _ranges(old: str, new: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(low, high) before and after: «от 18 до 27 лет» or a bare upper limit «27»."""
    before = [int(n) for n in _NUMBERS.findall(old)]
    after = [int(n) for n in _NUMBERS.findall(new)]
    if not before or not after or len(before) != len(after):
        return None
    if len(before) == 1:
        return (0, before[0]), (0, after[0])
    return (min(before), max(before)), (min(after), max(after))


def _span(low: int, high: int) -> str:
    return f"{low}–{high}" if low else f"up to {high}"


def describes_changes(changes: list[LawChange]) -> str:
    """The changes in one English line, widening ones first."""
    ordered = sorted(changes, key=lambda change: not change.widens)
    return "; ".join(dict.fromkeys(change.summary for change in ordered))

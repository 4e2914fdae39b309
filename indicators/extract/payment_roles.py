"""Which role each sum of a sentence plays: the rules of `extract.bonuses`' docstring.

Read left to right, the latest cue before a sum claims it («из областного бюджета — 2
млн»), unless a cue right after it does («2 млн из областного бюджета»); a cue that says
what the money is for (monthly pay, families, recruiters …) wins over one that says who
pays it; a federal adjective right before a sum names it («с федеральными 400 тыс.»);
«с 1,5 до 2,5 млн» makes the first the previous value; «увеличена на 1 млн» is a change,
not an amount; a sum equal to the federal payment of the day, in a sentence about it, is
the federal part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mobwatch.indicators.extract.money import Money, read_money
from mobwatch.indicators.extract.payment_cues import (
    CONTRACT,
    PURPOSES,
    SIGNERS,
    Cue,
    Role,
    roles_in,
)
from mobwatch.indicators.russian import fold

PROGRAMME_FLOOR = 50_000_000  # roubles: a budget line, never one person's payment

_ATTACHED_GAP = re.compile(r"^[\s\-—:]*(?:[а-яё]+\s+){0,2}$", re.IGNORECASE)
_NEW_SENTENCE = re.compile(r"\s+[А-ЯЁA-Z]")
_ATTACHED_DISTANCE = 25  # characters between a sum and a cue that follows and claims it
_CLAUSE_BREAK = re.compile(r"[,;—–]")  # «2,7 млн выделяет республика, 400 тысяч …»
_CONJUNCTION = re.compile(r"(?:^|\s)(?:и|а|но|плюс|еще)\s", re.IGNORECASE)
# Roles a cue may give to the sum before it («2 млн из областного бюджета»).
_ATTACHABLE = frozenset(Role) - {Role.PREVIOUS, Role.NOISE}
_PAYERS = frozenset({Role.REGIONAL, Role.FEDERAL, Role.MUNICIPAL, Role.TOTAL})
_FEDERAL_WORD = re.compile(r"федеральн\w*", re.IGNORECASE)
_FEDERAL_BEFORE = re.compile(r"федеральн\w*(?:\s+[а-я]+){0,2}[\s\-—:]*$", re.IGNORECASE)
# «федеральной выплаты в 400 тыс.», «с федеральными 400 тыс.»: the adjective names this sum
# even inside a total's words; «с федеральной выплатой — 3 млн» names the total instead.
_FEDERAL_TIGHT = re.compile(
    r"федеральн\w*(?:\s+(?:выплат\w*|част\w*|средств\w*|деньг\w*))?\s+(?:в размере\s+|в\s+)?",
    re.IGNORECASE,
)
_DELTA_BEFORE = re.compile(r"(?:^|\s)на\s*$", re.IGNORECASE)
_FROM_TO = re.compile(r"^\s*(?:руб\w*\.?)?\s*до\s*$", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"(?:^|\s)(?:с|со)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PaymentSum:
    money: Money
    role: Role | None  # None: unmarked
    sentence: str
    order: int  # position of the sentence in the document (the title's come first)
    cues: tuple[Cue, ...]  # every cue of the sentence
    cue: Cue | None = None  # the cue that gave the role, if a cue did
    rule: str | None = None  # the rule that gave the role otherwise, in words


@dataclass(frozen=True)
class RoleContext:
    federal_today: int | None  # the federal payment on the publication day
    okrug_is_region: bool  # the document is about an autonomous okrug
    city_is_region: bool = False  # … about Moscow, St Petersburg or Sevastopol


def sums_in(sentence: str, order: int, context: RoleContext) -> list[PaymentSum]:
    monies = read_money(sentence)
    if not monies:
        return []
    folded = fold(sentence)
    cues = [_resolved(cue, context) for cue in roles_in(folded) if cue.role is not Role.NOISE]
    if CONTRACT.search(folded) or SIGNERS.search(folded):
        # «мобилизованным, заключившим контракт»: the mobilised who sign are paid for signing
        cues = [cue for cue in cues if cue.role is not Role.MOBILISED]
    mentions_federal = bool(_FEDERAL_WORD.search(folded)) or any(
        cue.role is Role.FEDERAL for cue in cues
    )
    result: list[PaymentSum] = []
    used: set[Cue] = set()  # cues that named a sum already
    for index, money in enumerate(monies):
        following = monies[index + 1] if index + 1 < len(monies) else None
        waiting = [cue for cue in cues if cue.end <= money.start and cue not in used]
        # The latest waiting cue claims the sum, unless an earlier one says what the money
        # is for: «Семьям погибших … из областного бюджета выплатят по 1 млн».
        purposes = [cue for cue in waiting if cue.role in PURPOSES]
        pending = purposes[-1] if purposes else waiting[-1] if waiting else None
        role, cue, rule = _role(money, following, folded, cues, pending)
        if cue is not None:
            used.add(cue)
            used.update(waiting)  # a cue before a named sum waits for no later sum
        if role is None and mentions_federal and money.value == context.federal_today:
            role, rule = Role.FEDERAL, "equals the federal payment of the day"
        if role is None and (purpose := _sentence_purpose(cues)) is not None:
            role, cue = purpose.role, purpose  # «выплату жителям, которые помогли привлечь …»
        if role is None and money.value >= PROGRAMME_FLOOR:
            role, rule = Role.PROGRAMME, "too large for one person: a budget line"
        result.append(PaymentSum(money, role, sentence, order, tuple(cues), cue, rule))
    return result


def _sentence_purpose(cues: list[Cue]) -> Cue | None:
    """The one purpose a sentence names, when it names no payer: its unmarked sums pay
    for that purpose wherever the words stand."""
    purposes = {cue.role for cue in cues if cue.role in PURPOSES}
    payers = [cue for cue in cues if cue.role in _PAYERS]
    if len(purposes) != 1 or payers:
        return None
    return next(cue for cue in cues if cue.role in PURPOSES)


def _resolved(cue: Cue, context: RoleContext) -> Cue:
    """«Из бюджета округа» is the region's own budget in an autonomous okrug; «из
    городского бюджета» in a federal city."""
    if cue.role is Role.OKRUG:
        role = Role.REGIONAL if context.okrug_is_region else Role.MUNICIPAL
    elif cue.role is Role.CITY:
        role = Role.REGIONAL if context.city_is_region else Role.MUNICIPAL
    else:
        return cue
    return Cue(role, cue.start, cue.end)


def _role(
    money: Money,
    following: Money | None,
    folded: str,
    cues: list[Cue],
    pending: Cue | None,
) -> tuple[Role | None, Cue | None, str | None]:
    """The sum's role, the cue that gave it (None when no cue did), and the rule that
    gave it otherwise."""
    before = folded[: money.start]
    if _FROM_BEFORE.search(before) and (
        following is None or _FROM_TO.match(folded[money.end : following.start])
    ):
        return Role.PREVIOUS, None, "«с …» (до …): the amount before the change"
    if _DELTA_BEFORE.search(before):
        return Role.DELTA, None, "«на …»: the size of the change, not the amount"
    attached = _attached_cue(money, following, folded, cues)
    named = [cue for cue in (attached, pending) if cue is not None]
    purpose = next((cue for cue in named if cue.role in PURPOSES), None)
    if purpose is not None:
        return purpose.role, purpose, None
    if attached is not None:  # «… и 600 тысяч от муниципалитетов»: its own words win
        return attached.role, attached, None
    if _federal_adjective(money, before, cues):
        return Role.FEDERAL, None, "a federal adjective right before it"
    if named:
        return named[0].role, named[0], None
    return None, None, None


def _federal_adjective(money: Money, before: str, cues: list[Cue]) -> bool:
    """A federal adjective right before the sum names it: «федеральные 400 тыс.»."""
    tail = before[-40:]
    match = _FEDERAL_BEFORE.search(tail)
    if match is None:
        return False
    start = len(before) - len(tail) + match.start()
    for cue in cues:
        if (
            cue.start > start
            and cue.end <= money.start
            and cue.role
            not in (
                Role.FEDERAL,
                Role.TOTAL,
            )
        ):
            return False  # another role stands between: «федеральной и муниципальной»
        if cue.role is Role.TOTAL and cue.start <= start < cue.end:
            return bool(_FEDERAL_TIGHT.fullmatch(match.group()))
    return True


def _attached_cue(
    money: Money, following: Money | None, folded: str, cues: list[Cue]
) -> Cue | None:
    """A cue right after the sum, in the same clause, that names what the sum is."""
    limit = following.start if following else len(folded)
    for cue in cues:
        if cue.start < money.end or cue.end > limit or cue.role not in _ATTACHABLE:
            continue
        gap = folded[money.end : cue.start]
        if ":" in gap and following is not None:
            return None  # «3 млн: региональный бюджет — 2,4 млн, …»: a list of parts follows
        if money.written.endswith(".") and _NEW_SENTENCE.match(folded[money.end : cue.start + 1]):
            return None  # «… 195 тыс. Выплату осуществляет …»: the abbreviation ended it
        if (
            following is not None
            and following.start - cue.end <= 3
            and not _CLAUSE_BREAK.search(folded[cue.end : following.start])
        ):
            return None  # «… и федеральными 400 тыс.»: the cue opens the next sum
        if (
            cue.start - money.end <= _ATTACHED_DISTANCE
            and _ATTACHED_GAP.match(gap)
            and not _CONJUNCTION.search(gap)
        ):
            return cue
        return None
    return None


# --- the signing payment -------------------------------------------------------------------

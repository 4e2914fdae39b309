"""Sums of money in Russian sentences: «2 млн рублей», «1,5 млн руб.», «400 тыс.», «1 000 000 ₽»,
«миллион рублей», «до 3 млн», «5 тыс. белорусских рублей».

A number is money when a currency follows it, or when it carries a scale («2 млн»,
«400 тыс.») and is not counting something else («400 тыс. человек»). «С 1,5 до 2,5 млн»
shares one scale between both numbers. The words just before a sum say how it bounds the
payment: «до 3 млн» is a ceiling unless a verb of change makes it a target («увеличена до
2 млн»); «от», «более», «около» are kept too. Matching runs on `fold`ed text, so every span
points at the sentence as published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mobwatch.indicators.russian import SUM_PATTERN, fold, read_number

RUB = "RUB"

# Currencies as written after a sum, the longest first («белорусских рублей» before «рублей»).
_CURRENCIES = (
    (r"белорусск\w*\s+руб\w*\.?", "BYN"),
    (r"руб(?:лей|ля|лям|лями|ль)|руб\.?|р\.(?=\s|$|[,;)])|₽", RUB),
    (r"доллар\w*|\$|usd", "USD"),
    (r"евро|eur", "EUR"),
    (r"тенге", "KZT"),
    (r"сом(?:ов|а)?(?![а-я])", "KGS"),
    (r"гривен|гривн\w*", "UAH"),
    (r"сум(?:ов|а)?(?![а-я])", "UZS"),
    (r"драм\w*", "AMD"),
    (r"юан\w*", "CNY"),
    (r"лари(?![а-я])", "GEL"),
    (r"манат\w*", "AZN"),
)
_CURRENCY_NAMES = "|".join(f"(?P<c{i}>{pattern})" for i, (pattern, _) in enumerate(_CURRENCIES))
_CURRENCY = re.compile(rf"\s*(?:{_CURRENCY_NAMES})", re.IGNORECASE)
_SCALED = re.compile(r"млн|миллион|млрд|миллиард|тыс|тысяч|полмиллиона", re.IGNORECASE)
# Words after a scaled number that show it counts something other than money.
_NOT_MONEY = re.compile(
    r"\s*(?:человек|граждан|жител|контрактник|добровол|военнослужащ|бойц|призывник|доз|"
    r"тонн|км|километр|гектар|га\b|штук|единиц|квадратн|кв\.|голос|подписчик|просмотр|"
    r"заявлени|обращени|семей|семьи|детей|участник)",
    re.IGNORECASE,
)
_SUM = re.compile(SUM_PATTERN, re.IGNORECASE)
# Every sum `SUM_PATTERN` reads has a digit or one of these words (which `fold` leaves as
# they are): a sentence with none is passed over at a twentieth of the long pattern's scan.
_MAY_HOLD_SUM = re.compile(r"\d|миллион|миллиард|тысяч", re.IGNORECASE)
# «с 1,5 до 2,5 млн»: a bare number that takes the scale of the sum after it.
_SHARED_SCALE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:до|-)\s*$", re.IGNORECASE)
_BOUNDS = (
    (re.compile(r"(?:^|\s)(?:до)\s*$", re.IGNORECASE), "up_to"),
    (re.compile(r"(?:^|\s)(?:от)\s*$", re.IGNORECASE), "from"),
    (re.compile(r"(?:^|\s)(?:более|свыше|больше|не менее|минимум)\s*$", re.IGNORECASE), "over"),
    (
        re.compile(r"(?:^|\s)(?:около|порядка|почти|примерно|приблизительно)\s*$", re.IGNORECASE),
        "about",
    ),
)
# A verb of change just before «до» makes the sum a target, not a ceiling.
_CHANGE_TO = re.compile(
    r"(?:увелич|повыс|повыш|подня|подним|вырос|выраст|возрос|сниз|сниж|сократ|сокращ|уменьш|"
    r"урез|понизи|понижен|доведен|довед|изменен|изменил|поднят)\w*\s+(?:\S+\s+){0,12}?до\s*$",
    re.IGNORECASE,
)
# «с 500 тыс. до 2 млн»: the sum after «до» is where the payment went, not a ceiling.
_FROM_THEN_TO = re.compile(r"(?:^|\s)(?:с|со)\s+\S+(?:\s+\S+){0,2}\s+до\s*$", re.IGNORECASE)
MIN_PAYMENT = 1_000  # roubles: smaller sums in these texts are fees and fines, not payments


@dataclass(frozen=True)
class Money:
    value: int
    currency: str  # RUB, or the ISO 4217 code of another country's money
    written: str  # as published, currency included
    start: int  # where `written` starts in the sentence
    end: int
    bound: str | None = None  # up_to, from, over, about; None: the sum itself
    explicit_currency: bool = True  # False: «400 тыс.», the currency left to the context


def read_money(sentence: str) -> list[Money]:
    """Every sum of money in `sentence`, in order."""
    if not _MAY_HOLD_SUM.search(sentence):
        return []
    folded = fold(sentence)
    found: list[Money] = []
    for match in _SUM.finditer(folded):
        written = match.group()
        value = read_number(written)
        if value is None:
            continue
        end = match.end()
        currency_match = _CURRENCY.match(folded, end)
        currency = _currency(currency_match)
        scaled = bool(_SCALED.search(written))
        if currency is None and (not scaled or _NOT_MONEY.match(folded, end)):
            continue
        if currency_match and currency:
            end = currency_match.end()
        before = folded[max(0, match.start() - 160) : match.start()]
        found.extend(_shared_scale(sentence, before, match.start(), written, currency))
        if int(value) < MIN_PAYMENT:
            continue
        found.append(
            Money(
                value=int(value),
                currency=currency or RUB,
                written=sentence[match.start() : end],
                start=match.start(),
                end=end,
                bound=_bound(before),
                explicit_currency=currency is not None,
            )
        )
    return sorted(found, key=lambda money: money.start)


def _currency(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    for index, (_, code) in enumerate(_CURRENCIES):
        if match.group(f"c{index}"):
            return code
    return None


def _bound(before: str) -> str | None:
    if _CHANGE_TO.search(before) or _FROM_THEN_TO.search(before):
        return None
    return next((bound for pattern, bound in _BOUNDS if pattern.search(before)), None)


def _shared_scale(
    sentence: str, before: str, start: int, written: str, currency: str | None
) -> list[Money]:
    """The bare number of «с 1,5 до 2,5 млн рублей», read with the second sum's scale."""
    match = _SHARED_SCALE.search(before)
    scale = _SCALED.search(written)
    if match is None or scale is None or _SCALED.search(before[match.end() :]):
        return []
    value = read_number(f"{match.group(1)} {written[scale.start() :]}".strip())
    if value is None:
        return []
    number_start = start - len(before) + match.start(1)
    number_end = start - len(before) + match.end(1)
    return [
        Money(
            value=int(value),
            currency=currency or RUB,
            written=sentence[number_start:number_end],
            start=number_start,
            end=number_end,
            explicit_currency=currency is not None,
        )
    ]

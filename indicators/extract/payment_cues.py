"""The words around a sum that say what the sum pays for (docs/bonuses.md, "How such
announcements are typically phrased").

A sum in an announcement is one part of a formula: the regional payment («из областного
бюджета»), the federal one («от Минобороны»), the municipal top-up, the stated total
(«с учётом федеральной выплаты общая сумма составит …»), the value before a change
(«вместо 1,6 млн»). Other sums pay for something else: monthly pay, families, deaths and
wounds, recruiters («за приведённого добровольца»), trophies, budgets of whole programmes.
Each role is a pattern over `fold`ed lower-case text; `roles_in` finds them in a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    NOISE = "noise"  # words that look like a role and are not («контракт с Минобороны»)
    TOTAL = "total"
    FEDERAL = "federal"
    REGIONAL = "regional"
    MUNICIPAL = "municipal"
    PREVIOUS = "previous"
    DELTA = "delta"  # «увеличена на 1 млн рублей»: the change, not the amount
    OKRUG = "okrug"  # «из бюджета округа»: regional in an autonomous okrug, else municipal
    CITY = "city"  # «из городского бюджета»: regional in a federal city, else municipal
    MONTHLY = "monthly"
    MOBILISED = "mobilised"  # the mobilised, who sign no contract: not a signing payment
    FIRST_YEAR = "first_year"  # «за первый год службы — от 5,2 млн»: income, not a payment
    FAMILY = "family"
    COMPENSATION = "compensation"  # deaths, wounds, insurance
    RECRUITER = "recruiter"
    TROPHY = "trophy"
    PROGRAMME = "programme"
    LAND = "land"


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives))


# Checked in this order; a span one role claims is not read again by a later one, so «с
# учётом федеральной выплаты» is a total, never a federal part.
ROLE_PATTERNS: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (
        # The ministry as the other party of the contract, not as the payer.
        Role.NOISE,
        _rx(
            r"контракт\w*(?: [а-я]+){0,5} с (?:минобороны|министерств\w* обороны)",
            r"(?:с|со стороны) министерств\w* обороны",
            r"\bс минобороны\b",
        ),
    ),
    (
        Role.TOTAL,
        _rx(
            r"общ\w* сумм\w*",
            r"общ\w* размер\w*",
            r"в общей сложности",
            r"\bитого\b",
            r"\bвсего\b",
            r"\bв сумме\b",
            r"суммарн\w*",
            r"(?:с учетом|вместе с|включая|учитывая|плюс|с) (?:[а-я]+ ){0,2}"
            r"федеральн\w*(?: [а-я]+)?",
            r"(?:с учетом|вместе с|включая) (?:\w+ ){0,2}(?:выплат\w* )?(?:от )?минобороны",
            r"с учетом (?:всех|федеральной и \w+) \w+",
            # «из городского и федерального бюджетов»: two payers, one sum
            r"(?:из|от) [а-я]+(?:ого|ой) и [а-я]+(?:ого|ой) бюджет\w*",
        ),
    ),
    (
        Role.FIRST_YEAR,
        _rx(r"(?:за|в) первый год", r"за год службы", r"\bдоход\w*", r"годов\w+ доход"),
    ),
    (
        Role.RECRUITER,
        _rx(
            r"привед\w*",
            r"привел\w*",
            r"(?:помогут|поможет|помогли) привлечь",
            r"(?:за|помощ\w* в|содействи\w* в) (?:привлечени|набор)\w*",
            r"рекрутер\w*",
            r"вербовщик\w*",
            r"вознагражд\w*",
        ),
    ),
    (
        Role.COMPENSATION,
        _rx(
            r"гибел\w*",
            r"погибш\w*",
            r"смерт\w*",
            r"ранени\w*",
            r"\bранен\w*",
            r"увечь\w*",
            r"травм\w*",
            r"инвалид\w*",
            r"страхов\w*",
            r"компенсац\w*",
            r"погребени\w*",
        ),
    ),
    (
        Role.FAMILY,
        _rx(
            r"\bсемь(?:ям|е|и|ей|я)\b",
            r"\bдет(?:ям|ей|и)\b",
            r"ребенк\w*",
            r"многодетн\w*",
            r"супруг\w*",
            r"\bжен(?:ам|ы)\b",
            r"родител\w*",
            r"вдов\w*",
        ),
    ),
    (
        Role.MONTHLY,
        _rx(
            r"ежемесячн\w*",
            r"в месяц\b",
            r"каждый месяц",
            r"денежн\w+ довольстви\w*",
            r"зарплат\w*",
            r"заработн\w*",
            r"жаловань\w*",
            r"\bоклад\w*",
        ),
    ),
    (
        Role.MOBILISED,
        _rx(r"мобилизованн\w*", r"призван\w* (?:\w+ ){0,2}мобилизаци\w*"),
    ),
    (
        Role.TROPHY,
        _rx(r"трофейн\w*", r"за (?:уничтож|подбит|сбит|захвач|захват)\w*", r"уничтоженн\w*"),
    ),
    (Role.LAND, _rx(r"земельн\w* участ\w*")),
    (
        Role.PROGRAMME,
        _rx(
            r"ипотек\w*",
            r"предусмотрен\w* (?:в бюджете|\d)",
            r"в бюджете",
            r"\bнаправ\w+ (?:на|из)\b",
            r"\bвыделен\w*",
            r"программ\w*",
            r"строительств\w*",
            r"\bремонт\w*",
        ),
    ),
    (
        Role.FEDERAL,
        _rx(
            r"федеральн\w*",
            r"минобороны",
            r"министерств\w* обороны",
            r"от государства",
        ),
    ),
    (
        Role.MUNICIPAL,
        _rx(
            r"муниципал\w*",
            r"(?:от|из бюджет\w*) (?:администраци\w* )?(?:район\w*|муниципалитет\w*)",
            r"районн\w+ бюджет\w*",
            r"мэри\w*",
            r"бюджет\w* (?:уфы|казани|омска|города \w+)\b",
            r"доплат\w* (?:уфы|казани|города)",
        ),
    ),
    (Role.OKRUG, _rx(r"(?:из )?бюджет\w* округа", r"от округа\b")),
    (Role.CITY, _rx(r"городск\w+ (?:бюджет|казн|доплат)\w*", r"от города\b")),
    (
        Role.REGIONAL,
        _rx(
            r"регионал\w*",
            r"областн\w*",
            r"республиканск\w*",
            r"краев\w*",
            r"окружн\w*",
            r"из бюджета (?:области|края|республики|региона|\w+ (?:области|края|республики))",
            r"из (?:регионального|собственного) бюджета",
            r"губернаторск\w*",
            r"из резервного фонда",
            r"от (?:региона|области|края|республики)\b",
            # the payer after its verb: «2,4 млн рублей даёт область», «выделяет бюджет
            # республики»
            r"(?:дает|даст|выделя[ею]т|выделит|(?:за)?плат[ия]т|перечисл(?:яе|и)т|выплач(?:ивае|и)т|"
            r"добав(?:ляе|и)т|предостав(?:ляе|и)т) (?:бюджет\w* )?"
            r"(?:област[ьи]|регион\w*|кра[йя]|республик[аи])\b",
        ),
    ),
    (
        Role.PREVIOUS,
        _rx(
            r"\bранее\b",
            r"\bпрежде\b",
            r"\bдо этого\b",
            r"\bраньше\b",
            r"\bвместо\b",
            r"(?<!по-)прежн\w*",
            r"составлял[аио]?\b",
            r"\bбыл[аио]?\b",
        ),
    ),
)

# Those who sign, as announcements name them: the document is about signing a contract.
SIGNERS = re.compile(
    r"заключивш\w*|подписавш\w*|заключающ\w*|заключит\w*|заключат\w*|подпиш\w*|"
    r"подписыва\w*|подписант\w*",
    re.IGNORECASE,
)
# Words that make a document about money for signing a military contract at all.
CONTRACT = re.compile(
    r"контракт\w*|подъемн\w*|добровол\w*|участник\w* сво|пункт\w* отбора", re.IGNORECASE
)
# What every one of those words begins with, in lower case: a text holding none of them
# (most texts) is ruled out without a regular expression run over it.
CONTRACT_STEMS = ("контракт", "подъемн", "добровол", "участник", "пункт")
# A contract the state or a town places for works and supplies («госконтракт»,
# «контракт на реконструкцию больницы»): governors' posts mix it with their other news, and
# it is no contract of service. Matched on lower-case text: several times faster than
# ignoring case.
CIVIL_CONTRACT = re.compile(
    r"госконтракт\w*|(?:государствен|муниципальн)\w+ контракт\w*|"
    r"контракт\w* (?:на (?:реконструкц|строительств|ремонт|поставк|выполнени|проектировани|"
    r"закупк|оказани|обслуживани|содержани|благоустройств|капитальн)\w*|стоимостью|"
    r"подряд\w*)",
)
MILITARY = re.compile(
    r"военн\w*|минобороны|министерств\w* обороны|\bсво\b|специальн\w+ военн\w+|"
    r"добровол\w*|контрактник\w*|бойц\w*|\bзащитник\w*|мобилизованн\w*|пункт\w* отбора|"
    r"вооруженн\w+ сил\w*|\bарми\w*|по контракту",
    re.IGNORECASE,
)
SIGNING = re.compile(
    r"единовремен\w*|единоразов\w*|разов\w+ выплат\w*|подъемн\w*|при заключении|"
    r"за (?:заключение|подписание)|подписавш\w*|заключивш\w*|заключа\w*|заключит\w*|"
    r"заключат\w*|заключает\w*|заключил\w*|при подписании|подписал\w* контракт|"
    r"выплат\w+ (?:за|при) контракт\w*|выплат\w* контрактник\w*|выплат\w* добровол\w*|"
    r"выплат\w+ участник\w*|выплат\w* при заключении|за контракт|"
    # the contract in other words: the legal formula, joining the ranks, signing up
    r"по контракту|контрактн\w+ (?:служб|арми)\w*|подписыва\w*|подпиш\w*|подписант\w*|"
    r"(?:поступ|вступ|зачисл|заступа|пополн|оформ|принят)\w* (?:\w+ ){0,3}"
    r"(?:контракт|служб|ряд|арми)\w*|встан\w* в строй|под ружье|соглашени\w* о прохождении|"
    # recruits: those who sign, in the press
    r"новобран\w*",
    re.IGNORECASE,
)
# The verbs that say how the payment changed; the first found names the change.
CHANGES = (
    (
        "cut",
        re.compile(
            r"сниз\w*|сниж\w*|сократ\w*|сокращ\w*|уменьш\w*|урез\w*|понизи\w*|понижен\w*|"
            r"отмен\w*",
            re.IGNORECASE,
        ),
    ),
    (
        "increase",
        re.compile(
            r"увелич\w*|повыс\w*|повыш\w*|подня\w*|подним\w*|вырос\w*|выраст\w*|возрос\w*|"
            r"удво\w*|утро\w*|вдвое|втрое|в \d+(?:,\d+)? раза?\b|в (?:два|три|четыре|пять|"
            r"шесть|девять) раз|\bвернул\w*|восстанов\w*",
            re.IGNORECASE,
        ),
    ),
    ("extension", re.compile(r"продл\w*|сохран\w*|продолж\w*", re.IGNORECASE)),
    (
        "new",
        re.compile(r"установ\w*|введ\w*|ввел\w*|ввод\w*|учред\w*|впервые", re.IGNORECASE),
    ),
)
# Roles that say what a sum pays for; they win over the roles that say who pays it
# («ежемесячную доплату 15 тыс. рублей из областного бюджета» is monthly pay).
PURPOSES = frozenset(
    {
        Role.MONTHLY,
        Role.MOBILISED,
        Role.FIRST_YEAR,
        Role.FAMILY,
        Role.COMPENSATION,
        Role.RECRUITER,
        Role.TROPHY,
        Role.PROGRAMME,
        Role.LAND,
    }
)

# Other countries, named where a payment is (Belarus, Kazakhstan, …): not a federal subject.
FOREIGN_PLACES = re.compile(
    r"белорус\w*|беларус\w*|казахстан\w*|киргиз\w*|кыргыз\w*|узбекистан\w*|таджикистан\w*|"
    r"армени\w*|азербайджан\w*|абхази\w*|южн\w+ осети\w*|приднестров\w*|молдави\w*|"
    r"иностранц\w*|другой страны|других стран",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cue:
    role: Role
    start: int
    end: int


def roles_in(folded: str) -> list[Cue]:
    """Every role cue in a `fold`ed sentence, each span claimed by one role only."""
    lowered = folded.lower()
    claimed = [False] * len(lowered)
    cues: list[Cue] = []
    for role, pattern in ROLE_PATTERNS:
        for match in pattern.finditer(lowered):
            if any(claimed[match.start() : match.end()]):
                continue
            for index in range(match.start(), match.end()):
                claimed[index] = True
            cues.append(Cue(role, match.start(), match.end()))
    return sorted(cues, key=lambda cue: cue.start)

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from mobwatch.indicators.extract.act_facts import read_heading, read_signature
from mobwatch.indicators.extract.acts import ActKind, classify, merge, read_act
from mobwatch.indicators.model import Confidence, Indicator, Observation
from mobwatch.parsers.base import Document

PORTAL = "pravo-president"
KREMLIN = "kremlin-acts"
PRESIDENT = "Указ Президента Российской Федерации"


@dataclass(frozen=True)
class Campaign:
    """One call-up of docs/facts.md."""

    signed: date
    size: int
    start: date
    end: date
    number: str

    @property
    def spring(self) -> bool:
        return self.start.month <= 7

    @property
    def months(self) -> str:
        # Titles name the usual months, even for autumn 2022 that started on 1 November.
        return "апреле - июле" if self.spring else "октябре - декабре"

    @property
    def name(self) -> str:
        return (
            f"О призыве в {self.months} {self.start.year} г. граждан Российской Федерации "
            "на военную службу и об увольнении с военной службы граждан, проходящих военную "
            "службу по призыву"
        )

    @property
    def ages(self) -> tuple[int, int]:
        return (18, 30) if self.start.year >= 2024 else (18, 27)


def _campaign(signed: str, size: int, start: str, end: str, number: str = "") -> Campaign:
    signing = date.fromisoformat(signed)
    year = signing.year
    return Campaign(
        signing,
        size,
        date.fromisoformat(f"{year}-{start}"),
        date.fromisoformat(f"{year}-{end}"),
        number or str(100 + signing.month + 3 * (year - 2000)),
    )


SPRING, AUTUMN = ("04-01", "07-15"), ("10-01", "12-31")
CAMPAIGNS = [
    _campaign("2014-03-31", 154_100, *SPRING),
    _campaign("2014-09-30", 154_100, *AUTUMN),
    _campaign("2015-03-30", 150_145, *SPRING),
    _campaign("2015-09-30", 146_880, *AUTUMN),
    _campaign("2016-03-31", 155_000, *SPRING),
    _campaign("2016-09-29", 152_000, *AUTUMN),
    _campaign("2017-03-31", 142_000, *SPRING),
    _campaign("2017-09-29", 134_000, *AUTUMN),
    _campaign("2018-03-30", 128_000, *SPRING),
    _campaign("2018-09-28", 132_500, *AUTUMN),
    _campaign("2019-03-30", 135_000, *SPRING),
    _campaign("2019-09-30", 136_000, *AUTUMN),
    _campaign("2020-03-30", 135_000, *SPRING),
    _campaign("2020-09-30", 128_000, *AUTUMN),
    _campaign("2021-03-30", 134_650, *SPRING),
    _campaign("2021-10-01", 127_500, *AUTUMN),
    _campaign("2022-03-31", 134_500, *SPRING),
    _campaign("2022-09-30", 120_000, "11-01", "12-31"),
    _campaign("2023-03-30", 147_000, *SPRING),
    _campaign("2023-09-29", 130_000, *AUTUMN),
    _campaign("2024-03-31", 150_000, *SPRING),
    _campaign("2024-09-30", 133_000, *AUTUMN, number="822"),
    _campaign("2025-03-31", 160_000, *SPRING),
    _campaign("2025-09-29", 135_000, *AUTUMN),
]
CAMPAIGN_IDS = [f"{c.start.year}-{'spring' if c.spring else 'autumn'}" for c in CAMPAIGNS]
MONTHS_GENITIVE = ("", "января", "февраля", "марта", "апреля", "мая", "июня", "июля")
MONTHS_GENITIVE += ("августа", "сентября", "октября", "ноября", "декабря")
SEPARATORS = (" ", "\u00a0", "\u202f")


def _spoken(day: date, year: bool = True) -> str:
    written = f"{day.day} {MONTHS_GENITIVE[day.month]}"
    return f"{written} {day.year}" if year else written


def portal_document(campaign: Campaign) -> Document:
    return Document(
        url=f"http://publication.pravo.gov.ru/document/{campaign.number}",
        title=f'{PRESIDENT} от {campaign.signed:%d.%m.%Y} № {campaign.number}\n "{campaign.name}"',
        act_type="Указ",
        act_number=campaign.number,
        act_date=campaign.signed,
        published=campaign.signed,
        official=True,
    )


def callup_sentence(campaign: Campaign) -> str:
    separator = SEPARATORS[campaign.signed.year % len(SEPARATORS)]
    size = f"{campaign.size:,}".replace(",", separator)
    low, high = campaign.ages
    return (
        f"1. Осуществить с {_spoken(campaign.start, year=False)} по {_spoken(campaign.end)} г. "
        f"призыв на военную службу граждан Российской Федерации в возрасте от {low} до {high} "
        f"лет, не пребывающих в запасе, в количестве {size} человек."
    )


def kremlin_text(campaign: Campaign, discharge: bool = True) -> str:
    clauses = [
        "В соответствии с федеральными законами от 31 мая 1996 г. № 61-ФЗ «Об обороне» и от "
        "28 марта 1998 г. № 53-ФЗ «О воинской обязанности и военной службе» постановляю:",
        callup_sentence(campaign),
        "2. Уволить с военной службы солдат, матросов, сержантов и старшин, срок военной "
        "службы по призыву которых истек." * discharge,
        "3. Правительству Российской Федерации обеспечить проведение мероприятий, связанных "
        "с призывом.",
        "4. Настоящий Указ вступает в силу со дня его подписания.",
        "Президент Российской Федерации В.Путин",
        f"Москва, Кремль\n{_spoken(campaign.signed)} года\n№ {campaign.number}",
    ]
    return "\n".join(clause for clause in clauses if clause)


def kremlin_document(campaign: Campaign, discharge: bool = True) -> Document:
    name = campaign.name.replace(" - ", " – ")
    return Document(
        url=f"http://kremlin.ru/acts/bank/{campaign.number}",
        title=f"Указ «{name}»",
        text=kremlin_text(campaign, discharge),
        published=campaign.signed,
        official=True,
    )


def _read(doc: Document, source: str) -> Observation:
    observation = read_act(doc, source)
    assert observation is not None
    return observation


# --- call-ups ------------------------------------------------------------------------


@pytest.mark.parametrize("campaign", CAMPAIGNS, ids=CAMPAIGN_IDS)
def test_callup_from_portal_title(campaign: Campaign) -> None:
    doc = portal_document(campaign)
    assert classify(doc.title) is ActKind.CALLUP
    obs = _read(doc, PORTAL)
    assert obs.indicator is Indicator.CALLUP_DECREE
    assert (obs.event_date, obs.document_number, obs.value) == (
        campaign.signed,
        campaign.number,
        None,
    )
    usual_end = date(campaign.start.year, 7, 15) if campaign.spring else campaign.end
    assert obs.period_start == date(campaign.start.year, 4 if campaign.spring else 10, 1)
    assert obs.period_end == usual_end
    assert obs.details == {"discharge_ordered": True, "period_from_title": True}
    assert obs.confidence is Confidence.OFFICIAL
    assert "\n" not in obs.title
    assert obs.evidence == obs.title


@pytest.mark.parametrize("campaign", CAMPAIGNS, ids=CAMPAIGN_IDS)
def test_callup_from_kremlin_text(campaign: Campaign) -> None:
    obs = _read(kremlin_document(campaign), KREMLIN)
    assert (obs.value, obs.unit) == (campaign.size, "persons")
    assert (obs.period_start, obs.period_end) == (campaign.start, campaign.end)
    assert (obs.event_date, obs.document_number) == (campaign.signed, campaign.number)
    low, high = campaign.ages
    assert obs.details == {"discharge_ordered": True, "age_from": low, "age_to": high}
    assert obs.evidence == callup_sentence(campaign)
    assert [link.quote for link in obs.links] == [obs.evidence]


@pytest.mark.parametrize("campaign", CAMPAIGNS, ids=CAMPAIGN_IDS)
def test_portal_and_kremlin_make_one_callup(campaign: Campaign) -> None:
    portal = _read(portal_document(campaign), PORTAL)
    kremlin = _read(kremlin_document(campaign), KREMLIN)
    assert portal.key == kremlin.key
    for merged in (merge(portal, kremlin), merge(kremlin, portal)):
        assert (merged.value, merged.period_start, merged.period_end) == (
            campaign.size,
            campaign.start,
            campaign.end,
        )
        assert "period_from_title" not in merged.details
        assert {link.url for link in merged.links} == {portal.url, kremlin.url}


def test_autumn_2022_runs_from_1_november() -> None:
    autumn_2022 = CAMPAIGNS[CAMPAIGN_IDS.index("2022-autumn")]
    obs = _read(kremlin_document(autumn_2022), KREMLIN)
    assert (obs.period_start, obs.period_end) == (date(2022, 11, 1), date(2022, 12, 31))
    title_only = _read(
        Document(
            url="u",
            title="О призыве в ноябре - декабре 2022 г. граждан "
            "Российской Федерации на военную службу",
            published=date(2022, 9, 30),
        ),
        PORTAL,
    )
    assert (title_only.period_start, title_only.period_end) == (
        date(2022, 11, 1),
        date(2022, 12, 31),
    )


def test_evidence_is_the_sentence_with_133_000() -> None:
    obs = _read(kremlin_document(CAMPAIGNS[CAMPAIGN_IDS.index("2024-autumn")]), KREMLIN)
    assert obs.value == 133_000
    assert "133" in obs.evidence and obs.evidence.endswith("человек.")
    assert obs.evidence.startswith("1. Осуществить с 1 октября по 31 декабря 2024 г.")


def test_news_style_title_and_133_thousand() -> None:
    doc = Document(
        url="http://kremlin.ru/acts/news/75210",
        title="Подписан Указ о призыве в октябре – декабре 2024 года граждан на военную службу",
        text=(
            "Владимир Путин подписал Указ «О призыве в октябре – декабре 2024 г. граждан "
            "Российской Федерации на военную службу». Согласно документу, с 1 октября по "
            "31 декабря 2024 года на военную службу будут призваны 133 тыс. граждан."
        ),
        published=date(2024, 9, 30),
    )
    obs = _read(doc, "tass")
    assert (obs.value, obs.period_start, obs.event_date) == (
        133_000,
        date(2024, 10, 1),
        date(2024, 9, 30),
    )
    assert obs.evidence.startswith("Согласно документу")
    assert obs.confidence is Confidence.REPORTED
    # A report silent on discharge says nothing about it.
    assert obs.details["discharge_ordered"] is None


def test_decree_text_without_discharge_order() -> None:
    campaign = CAMPAIGNS[-1]
    doc = kremlin_document(campaign, discharge=False)
    doc = Document(url=doc.url, title="Указ № 600", text=doc.text, official=True)
    obs = _read(doc, KREMLIN)
    assert obs.details["discharge_ordered"] is False
    assert obs.value == campaign.size


def test_suspended_discharge() -> None:
    text = kremlin_text(CAMPAIGNS[-1], discharge=False).replace(
        "4. Настоящий",
        "2. Приостановить увольнение с военной службы граждан, проходящих военную службу "
        "по призыву, до особого распоряжения. 4. Настоящий",
    )
    obs = _read(Document(url="u", title=CAMPAIGNS[-1].name, text=text), KREMLIN)
    assert obs.details["discharge_ordered"] is False
    assert obs.details["discharge_suspended"] is True


def test_title_without_discharge_is_unknown() -> None:
    doc = Document(
        url="u",
        title="О призыве в октябре - декабре 2025 г. граждан на военную службу",
        act_date=date(2025, 9, 29),
    )
    assert _read(doc, PORTAL).details["discharge_ordered"] is None


# --- force size ----------------------------------------------------------------------

FORCE_SIZE_NAME = "Об установлении штатной численности Вооруженных Сил Российской Федерации"


@pytest.mark.parametrize(
    ("signed", "number", "total", "servicemen", "effective_clause", "effective", "start"),
    [
        (
            date(2022, 8, 25),
            "575",
            "2 039 758",
            "1 150 628",
            "вступает в силу с 1 января 2023 г.",
            "on_date",
            date(2023, 1, 1),
        ),
        (
            date(2023, 12, 1),
            "835",
            "2\u00a0209\u00a0130",
            "1\u00a0320\u00a0000",
            "вступает в силу со дня его подписания.",
            "on_signing",
            date(2023, 12, 1),
        ),
        (
            date(2024, 9, 16),
            "726",
            "2\u202f389\u202f130",
            "1\u202f500\u202f000",
            "вступает в силу с 1 декабря 2024 г.",
            "on_date",
            date(2024, 12, 1),
        ),
    ],
)
def test_force_size_decrees(
    signed: date,
    number: str,
    total: str,
    servicemen: str,
    effective_clause: str,
    effective: str,
    start: date,
) -> None:
    sentence = (
        "1. Установить штатную численность Вооруженных Сил Российской Федерации в количестве "
        f"{total} единиц, в том числе {servicemen} военнослужащих."
    )
    text = (
        f"{sentence}\n2. Признать утратившим силу Указ Президента Российской Федерации от "
        f"17 ноября 2017 г. № 555.\n3. Настоящий Указ {effective_clause}\nПрезидент Российской "
        f"Федерации В.Путин\nМосква, Кремль\n{_spoken(signed)} года\n№ {number}"
    )
    obs = _read(Document(url="k", title=f"Указ «{FORCE_SIZE_NAME}»", text=text), KREMLIN)
    assert obs.indicator is Indicator.FORCE_SIZE_DECREE
    as_number = int(servicemen.replace("\u00a0", "").replace("\u202f", "").replace(" ", ""))
    assert (obs.value, obs.unit, obs.evidence) == (as_number, "persons", sentence)
    assert obs.details["servicemen"] == as_number
    assert obs.details["total_strength"] == int("".join(ch for ch in total if ch.isdigit()))
    assert (obs.details["effective"], obs.period_start) == (effective, start)
    assert (obs.event_date, obs.document_number) == (signed, number)

    portal = _read(
        Document(
            url="p",
            title=f'{PRESIDENT} от {signed:%d.%m.%Y} № {number}\n "{FORCE_SIZE_NAME}"',
            official=True,
        ),
        PORTAL,
    )
    assert (portal.event_date, portal.document_number, portal.value) == (signed, number, None)
    assert portal.key == obs.key
    assert merge(portal, obs).value == as_number


def test_a_rise_is_not_the_strength() -> None:
    doc = Document(
        url="n",
        title=FORCE_SIZE_NAME,
        text="Президент увеличил штатную численность армии на 180 000 военнослужащих.",
        published=date(2024, 9, 16),
    )
    obs = _read(doc, "tass")
    assert obs.value is None
    assert obs.evidence == FORCE_SIZE_NAME
    # Only the decree's own text says when it takes effect.
    assert (obs.period_start, obs.details) == (None, {})


# --- mobilisation and martial law ----------------------------------------------------

MOBILISATION_NAME = "Об объявлении частичной мобилизации в Российской Федерации"
MOBILISATION_TEXT = (
    "В соответствии с федеральными законами от 31 мая 1996 г. № 61-ФЗ «Об обороне», от 26 "
    "февраля 1997 г. № 31-ФЗ «О мобилизационной подготовке и мобилизации в Российской "
    "Федерации» и от 28 марта 1998 г. № 53-ФЗ «О воинской обязанности и военной службе» "
    "постановляю:\n1. Объявить с 21 сентября 2022 г. в Российской Федерации частичную "
    "мобилизацию.\n2. Осуществить призыв граждан Российской Федерации на военную службу по "
    "мобилизации в Вооруженные Силы Российской Федерации.\nПрезидент Российской Федерации "
    "В.Путин\nМосква, Кремль\n21 сентября 2022 года\n№ 647"
)


def test_decree_647_from_portal_and_kremlin() -> None:
    portal = _read(
        Document(
            url="p",
            title=f'{PRESIDENT} от 21.09.2022 № 647\n "{MOBILISATION_NAME}"',
            act_number="647",
            act_date=date(2022, 9, 21),
            official=True,
        ),
        PORTAL,
    )
    kremlin = _read(
        Document(url="k", title=f"Указ «{MOBILISATION_NAME}»", text=MOBILISATION_TEXT), KREMLIN
    )
    assert portal.indicator is kremlin.indicator is Indicator.MOBILISATION_DECREE
    assert portal.key == kremlin.key == "mobilisation_decree:647:2022-09-21"
    assert kremlin.period_start == date(2022, 9, 21)
    assert kremlin.evidence.startswith("1. Объявить с 21 сентября 2022 г.")
    assert kremlin.details == {"action": "declared"}
    assert classify("Указ № 647", MOBILISATION_TEXT) is ActKind.MOBILISATION


@pytest.mark.parametrize(
    ("title", "action"),
    [
        (
            "О внесении изменения в Указ Президента Российской Федерации от 21 сентября 2022 г. "
            "№ 647 «Об объявлении частичной мобилизации в Российской Федерации»",
            "amended",
        ),
        ("О прекращении частичной мобилизации в Российской Федерации", "ended"),
        ("О мобилизации", "declared"),
        (
            "О призыве граждан Российской Федерации, пребывающих в запасе, на военную службу",
            "declared",
        ),
    ],
)
def test_mobilisation_acts(title: str, action: str) -> None:
    obs = _read(Document(url="u", title=title, published=date(2025, 1, 1)), PORTAL)
    assert obs.indicator is Indicator.MOBILISATION_DECREE
    assert obs.details["action"] == action


MARTIAL_LAW_NAME = (
    "О введении военного положения на территориях Донецкой Народной Республики, Луганской "
    "Народной Республики, Запорожской и Херсонской областей"
)
RESPONSE_NAME = (
    "О мерах, осуществляемых в субъектах Российской Федерации в связи с Указом Президента "
    "Российской Федерации от 19 октября 2022 г. № 756"
)
# Modelled on the structure of the real decrees as news of 19–27 October 2022 describe them
# (zakon-news.ru/2022/10/27/opredeleny-yrovni-reagirovaniia-…, news.ru/vlast/putin-poruchil-
# vvesti-srednij-uroven-reagirovaniya-…); the wording is ours. № 757 opens by citing № 756
# with its full name, sets the levels clause by clause, and in its second clause speaks of
# the martial law № 756 introduced: none of that is 757 declaring martial law.
RESPONSE_TEXT = (
    f"В связи с Указом Президента Российской Федерации от 19 октября 2022 г. № 756 "
    f"«{MARTIAL_LAW_NAME}» постановляю:\n"
    "1. Установить, что в субъектах Российской Федерации вводятся следующие уровни "
    "реагирования:\n"
    "а) максимальный уровень реагирования — на территориях Донецкой Народной Республики, "
    "Луганской Народной Республики, Запорожской и Херсонской областей;\n"
    "б) средний уровень реагирования — на территориях Республики Крым, Краснодарского края, "
    "Белгородской, Брянской, Воронежской, Курской, Ростовской областей и г. Севастополя;\n"
    "в) уровень повышенной готовности — на территориях субъектов Российской Федерации, "
    "входящих в Центральный и Южный федеральные округа, кроме названных в подпунктах «а» и "
    "«б» настоящего пункта;\n"
    "г) уровень базовой готовности — на территориях иных субъектов Российской Федерации.\n"
    "2. На территориях, где в соответствии с Указом Президента Российской Федерации от 19 "
    "октября 2022 г. № 756 «О введении военного положения …» действует военное положение, "
    "осуществляются меры, предусмотренные Федеральным конституционным законом от 30 января "
    "2002 г. № 1-ФКЗ «О военном положении».\n"
    "3. Настоящий Указ вступает в силу со дня его подписания.\n"
    "Президент Российской Федерации В.Путин\nМосква, Кремль\n19 октября 2022 года\n№ 757"
)
MARTIAL_LAW_TEXT = (
    "В соответствии с Конституцией Российской Федерации и Федеральным конституционным "
    "законом от 30 января 2002 г. № 1-ФКЗ «О военном положении» постановляю:\n"
    "1. Ввести с 00 часов 00 минут 20 октября 2022 г. на территориях Донецкой Народной "
    "Республики, Луганской Народной Республики, Запорожской и Херсонской областей военное "
    "положение.\n"
    "2. Настоящий Указ вступает в силу со дня его подписания.\n"
    "Президент Российской Федерации В.Путин\nМосква, Кремль\n19 октября 2022 года\n№ 756"
)
FOUR_REGIONS = [
    "Донецкая Народная Республика",
    "Луганская Народная Республика",
    "Запорожская область",
    "Херсонская область",
]


def test_decree_756_introduces_martial_law() -> None:
    obs = _read(
        Document(url="k", title=f"Указ «{MARTIAL_LAW_NAME}»", text=MARTIAL_LAW_TEXT), KREMLIN
    )
    assert obs.indicator is Indicator.MARTIAL_LAW_DECREE
    assert (obs.event_date, obs.document_number, obs.period_start) == (
        date(2022, 10, 19),
        "756",
        date(2022, 10, 20),
    )
    assert obs.details == {"regime": "martial_law", "regions": FOUR_REGIONS}
    assert obs.evidence.startswith("1. Ввести с 00 часов 00 минут 20 октября 2022 г.")


def test_decree_757_sets_response_levels_and_no_martial_law() -> None:
    obs = _read(Document(url="k", title=f"Указ «{RESPONSE_NAME}»", text=RESPONSE_TEXT), KREMLIN)
    assert obs.indicator is Indicator.MARTIAL_LAW_DECREE
    assert (obs.document_number, obs.event_date) == ("757", date(2022, 10, 19))
    assert obs.details["regime"] == "response_levels"
    assert obs.details["levels"] == {
        "maximum_response": FOUR_REGIONS,
        "medium_response": [
            "Республика Крым",
            "Краснодарский край",
            "Белгородская область",
            "Брянская область",
            "Воронежская область",
            "Курская область",
            "Ростовская область",
            "Севастополь",
        ],
        "heightened_readiness": [],
        "basic_readiness": [],
    }
    assert "военное положение" not in obs.evidence
    assert obs.evidence.startswith("1. Установить, что в субъектах")


def test_a_citation_never_decides_what_an_act_is() -> None:
    """The cited name «О введении военного положения …» is № 756's subject, not this act's."""
    assert classify(f"Указ «{RESPONSE_NAME}»", RESPONSE_TEXT) is ActKind.MARTIAL_LAW
    # Without its own operative words the act is nothing the markers watch.
    preamble_only = RESPONSE_TEXT.split("постановляю:")[0] + "постановляю:\n1. Утвердить план."
    assert classify(f"Указ «{RESPONSE_NAME}»", preamble_only) is ActKind.OTHER
    # The portal gives the title alone: it names № 756, and says nothing of 757's subject.
    portal = Document(
        url="p", title=f'{PRESIDENT} от 19.10.2022 № 757\n "{RESPONSE_NAME}"', official=True
    )
    assert read_act(portal, PORTAL) is None


# --- what a call-up is not -----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "text", "kind"),
    [
        (
            f'{PRESIDENT} от 22.02.2024 № 130\n "О призыве граждан Российской Федерации, '
            'пребывающих в запасе, на военные сборы в 2024 году"',
            "",
            ActKind.RESERVIST_TRAINING,
        ),
        (
            "О призыве граждан Российской Федерации, пребывающих в запасе",
            "",
            ActKind.RESERVIST_TRAINING,
        ),
        (
            "Указ № 131",
            "1. Призвать в 2024 году граждан Российской Федерации, пребывающих в запасе, на "
            "военные сборы.",
            ActKind.RESERVIST_TRAINING,
        ),
        (
            "О награждении государственными наградами Российской Федерации",
            "Наградить орденом Почета главного редактора газеты «Призыв» Иванова И.И., "
            "откликнувшегося на призыв к миру.",
            ActKind.OTHER,
        ),
        (
            "Призывники из Подмосковья отправились к местам службы",
            "Первые призывники весеннего призыва отправились в войска. Всего на военную "
            "службу будут призваны 160 000 человек.",
            ActKind.OTHER,
        ),
        (
            "О призыве граждан на альтернативную гражданскую службу",
            "Граждане направляются на альтернативную гражданскую службу.",
            ActKind.OTHER,
        ),
        ("Президент поддержал призыв к миру", "", ActKind.OTHER),
        (
            "О дополнительных мерах социальной поддержки граждан, призванных на военную "
            "службу по мобилизации",
            "",
            ActKind.OTHER,
        ),
        (
            "О внесении изменений в Положение о порядке прохождения военной службы",
            "",
            ActKind.OTHER,
        ),
        ("О мобилизационном людском резерве", "", ActKind.OTHER),
        ("О прекращении полномочий по мобилизационной подготовке", "", ActKind.OTHER),
    ],
)
def test_distractors_are_not_callups(title: str, text: str, kind: ActKind) -> None:
    assert classify(title, text) is kind
    act = read_act(Document(url="u", title=title, text=text, published=date(2024, 3, 1)), "x")
    if kind is ActKind.RESERVIST_TRAINING:  # the routine yearly decree: stored, never alerted
        assert act is not None and act.indicator is Indicator.RESERVIST_CALLUP
        assert act.details["assembly"] == "training"
    else:
        assert act is None


# --- the act's own number and signing date --------------------------------------------

CITING_PREAMBLE = (
    "В соответствии с федеральными законами от 31 мая 1996 г. № 61-ФЗ «Об обороне» и от "
    "28 марта 1998 г. № 53-ФЗ «О воинской обязанности и военной службе» постановляю:"
)
FORCE_SIZE_TEXT = (
    "1. Установить штатную численность Вооруженных Сил Российской Федерации в количестве "
    "2 389 130 единиц, в том числе 1 500 000 военнослужащих.\n"
    "2. Признать утратившим силу Указ Президента Российской Федерации от 25 августа 2022 г. "
    "№ 575.\nПрезидент Российской Федерации\nВ.Путин\nМосква, Кремль\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"{CITING_PREAMBLE}\n1. Осуществить призыв.\nПрезидент Российской Федерации\n"
            "В.Путин\nМосква, Кремль\n30 сентября 2024 года\n№ 822",
            (date(2024, 9, 30), "822"),
        ),
        ("Москва, Кремль 13 сентября 2024 года № 280-ФЗ", (date(2024, 9, 13), "280-ФЗ")),
        ("Москва, Кремль\n16 сентября 2024 года", (date(2024, 9, 16), None)),
        (CITING_PREAMBLE, None),
        ("Москва, Кремль\n31 февраля 2024 года\n№ 5", None),
    ],
)
def test_read_signature(text: str, expected: tuple[date, str | None] | None) -> None:
    assert read_signature(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Указ Президента Российской Федерации от 16 сентября 2024 г. № 790",
            (date(2024, 9, 16), "790"),
        ),
        ("Федеральный закон от 13.09.2024 № 280-ФЗ", (date(2024, 9, 13), "280-ФЗ")),
        (
            "Указ Президента Российской Федерации от 21.09.2022 г. № 647",
            (date(2022, 9, 21), "647"),
        ),
        ("в связи с Указом Президента от 19 октября 2022 г. № 756", None),
        (CITING_PREAMBLE, None),
        ("Указ от 31 февраля 2024 г. № 5", None),
    ],
)
def test_read_heading(title: str, expected: tuple[date, str] | None) -> None:
    assert read_heading(title) == expected


def test_signature_without_number_gives_the_signing_date() -> None:
    doc = Document(
        url="k",
        title=f"Указ «{FORCE_SIZE_NAME}»",
        text=f"{FORCE_SIZE_TEXT}16 сентября 2024 года",
        published=date(2024, 9, 17),
        official=True,
    )
    obs = _read(doc, KREMLIN)
    # The decree cited in clause 2 (№ 575 of 25 August 2022) is not the act's own.
    assert (obs.event_date, obs.document_number) == (date(2024, 9, 16), None)


def test_signature_without_number_takes_the_heading_number() -> None:
    doc = Document(
        url="k",
        title=f"{PRESIDENT} от 16 сентября 2024 г. № 790 «{FORCE_SIZE_NAME}»",
        text=f"{FORCE_SIZE_TEXT}16 сентября 2024 года",
        published=date(2024, 9, 17),
    )
    obs = _read(doc, KREMLIN)
    assert (obs.event_date, obs.document_number) == (date(2024, 9, 16), "790")


def test_act_bank_heading_with_a_dotted_date() -> None:
    unsigned = MOBILISATION_TEXT.split("\nПрезидент")[0]
    title = "Указ Президента Российской Федерации от 21.09.2022 г. № 647"
    obs = _read(Document(url="k", title=title, text=unsigned), KREMLIN)
    assert (obs.event_date, obs.document_number) == (date(2022, 9, 21), "647")


def test_an_impossible_signing_date_falls_back_to_publication() -> None:
    text = kremlin_text(CAMPAIGNS[-1]).replace("29 сентября 2025 года", "31 февраля 2025 года")
    doc = Document(url="k", title="Указ № 600", text=text, published=date(2025, 9, 30))
    obs = _read(doc, KREMLIN)
    assert obs.event_date == date(2025, 9, 30)


# --- laws ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "act_type", "text"),
    [
        (
            'Федеральный закон от 04.08.2023 № 439-ФЗ\n "О внесении изменений в Федеральный '
            'закон "О воинской обязанности и военной службе""',
            "Федеральный закон",
            "",
        ),
        (
            "О внесении изменений в статьи 22 и 59 Федерального закона «О воинской обязанности "
            "и военной службе»",
            None,
            "",
        ),
        (
            "О внесении изменений в Федеральный закон «О мобилизационной подготовке и "
            "мобилизации в Российской Федерации»",
            "Федеральный закон",
            "",
        ),
        (
            "О внесении изменений в отдельные законодательные акты Российской Федерации",
            "Федеральный закон",
            "Статья 1\nВнести в Федеральный закон от 28 марта 1998 года № 53-ФЗ «О воинской "
            "обязанности и военной службе» следующие изменения.",
        ),
    ],
)
def test_service_laws(title: str, act_type: str | None, text: str) -> None:
    assert classify(title, text, act_type=act_type) is ActKind.SERVICE_LAW
    obs = _read(
        Document(url="u", title=title, text=text, act_type=act_type, published=date(2023, 8, 4)),
        PORTAL,
    )
    assert obs.indicator is Indicator.SERVICE_LAW


def test_service_law_number_from_heading() -> None:
    title = (
        'Федеральный закон от 04.08.2023 № 439-ФЗ\n "О внесении изменений в Федеральный закон '
        '"О воинской обязанности и военной службе""'
    )
    obs = _read(Document(url="u", title=title), PORTAL)
    assert (obs.document_number, obs.event_date) == ("439-ФЗ", date(2023, 8, 4))


def test_a_law_never_declares_mobilisation() -> None:
    title = "Федеральный закон «О федеральном бюджете на 2025 год»"
    assert classify(title, MOBILISATION_TEXT) is ActKind.OTHER


def test_an_act_suspending_discharge_is_a_change_of_service() -> None:
    title = (
        "О приостановлении увольнения с военной службы граждан, проходящих военную службу "
        "по призыву"
    )
    obs = _read(Document(url="u", title=title, published=date(2024, 10, 1)), PORTAL)
    assert obs.indicator is Indicator.SERVICE_LAW
    # Without a number the act is known by its day and name (extract/act_identity.py).
    assert obs.details == {"discharge_suspended": True, "act_key": obs.key}
    assert obs.key.startswith("service_law::2024-10-01:")


def test_an_undated_act_makes_no_observation() -> None:
    assert read_act(Document(url="u", title=CAMPAIGNS[0].name), PORTAL) is None

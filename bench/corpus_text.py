"""Russian text for the benchmark corpus: regional news, payment announcements, decrees.

Every function takes a seeded `random.Random`, so the corpus is the same on every run. The
texts are written for the benchmark in the style of the sources; a share of them announce
a regional payment for signing a contract (so extraction finds real observations) and
others carry sums of money that are not one (budgets, contracts for roads), so the
extractor has to tell them apart.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from mobwatch.store.seed import load_seed_history


@dataclass(frozen=True)
class Place:
    code: str
    of: str  # genitive: «Свердловской области»
    in_: str  # prepositional with its preposition: «в Свердловской области»
    head: str  # who announces: «Губернатор Свердловской области»


def _oblast(code: str, stem: str) -> Place:
    return Place(code, f"{stem}ой области", f"в {stem}ой области", f"Губернатор {stem}ой области")


def _krai(code: str, stem: str) -> Place:
    # «Пермский» → «Пермского края», «в Пермском крае».
    return Place(code, f"{stem}ого края", f"в {stem}ом крае", f"Губернатор {stem}ого края")


PLACES = (
    _oblast("RU-SVE", "Свердловск"),
    _oblast("RU-KGN", "Курганск"),
    _oblast("RU-TYU", "Тюменск"),
    _oblast("RU-NVS", "Новосибирск"),
    _oblast("RU-SAM", "Самарск"),
    _oblast("RU-ROS", "Ростовск"),
    _oblast("RU-VOR", "Воронежск"),
    _oblast("RU-NIZ", "Нижегородск"),
    _oblast("RU-CHE", "Челябинск"),
    _oblast("RU-OMS", "Омск"),
    _oblast("RU-IRK", "Иркутск"),
    _oblast("RU-LEN", "Ленинградск"),
    _oblast("RU-KLU", "Калужск"),
    _oblast("RU-RYA", "Рязанск"),
    _oblast("RU-ORE", "Оренбургск"),
    _oblast("RU-SAR", "Саратовск"),
    _oblast("RU-VGG", "Волгоградск"),
    _oblast("RU-TOM", "Томск"),
    _oblast("RU-ULY", "Ульяновск"),
    _oblast("RU-BEL", "Белгородск"),
    _oblast("RU-VLG", "Вологодск"),
    _oblast("RU-PNZ", "Пензенск"),
    _oblast("RU-TUL", "Тульск"),
    _krai("RU-KDA", "Краснодарск"),
    _krai("RU-PER", "Пермск"),
    _krai("RU-KYA", "Красноярск"),
    _krai("RU-ALT", "Алтайск"),
    _krai("RU-PRI", "Приморск"),
    _krai("RU-KHA", "Хабаровск"),
    Place("RU-BA", "Башкирии", "в Башкирии", "Глава Башкирии"),
    Place("RU-TA", "Татарстана", "в Татарстане", "Раис Татарстана"),
    Place("RU-DA", "Дагестана", "в Дагестане", "Глава Дагестана"),
    Place("RU-CU", "Чувашии", "в Чувашии", "Глава Чувашии"),
    Place("RU-UD", "Удмуртии", "в Удмуртии", "Глава Удмуртии"),
    Place("RU-BU", "Бурятии", "в Бурятии", "Глава Бурятии"),
    Place("RU-KHM", "Югры", "в Югре", "Губернатор Югры"),
    Place("RU-KEM", "Кузбасса", "в Кузбассе", "Губернатор Кузбасса"),
    Place("RU-MOW", "Москвы", "в Москве", "Мэр Москвы"),
    Place("RU-SPE", "Санкт-Петербурга", "в Санкт-Петербурге", "Губернатор Санкт-Петербурга"),
)

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

# Everyday regional news: no payment, sometimes a sum that is not one.
_TOPICS = (
    "{Head} провёл совещание о подготовке жилищно-коммунального хозяйства к отопительному сезону.",
    "{In} завершили ремонт региональной трассы протяжённостью 42 километра.",
    "На строительство новой школы {in_} направят {budget}.",
    "{In} подписан контракт на реконструкцию областной больницы стоимостью {budget}.",
    "Правительство {of} утвердило программу поддержки малого бизнеса на три года.",
    "В регион поступили 12 новых автобусов для пригородных маршрутов.",
    "{In} стартовала уборочная кампания: аграрии намерены собрать не менее 1,2 млн тонн зерна.",
    "Областной бюджет {of} на следующий год принят в первом чтении.",
    "Жители {of} могут подать заявки на участие в конкурсе местных инициатив до конца месяца.",
    "{In} открылся новый фельдшерско-акушерский пункт, в нём будут принимать взрослых и детей.",
    "На благоустройство дворов {in_} в этом году выделено {budget}.",
    "Синоптики предупреждают о сильном ветре и мокром снеге {in_} в ближайшие выходные.",
    "{Head} встретился с выпускниками, получившими высокие баллы на едином экзамене.",
    "Тарифы на коммунальные услуги {in_} с 1 июля вырастут в пределах установленного индекса.",
    "Региональный оперштаб сообщил о плановом отключении горячей воды в ряде районов.",
    "В областном центре прошёл фестиваль народных ремёсел, его посетили около 15 тыс. человек.",
    "На ремонт дорог {in_} в нынешнем сезоне потратят {budget}, работы идут на 60 участках.",
    "Стоимость проезда в городском транспорте останется прежней до конца года.",
    "Молодые специалисты, переехавшие работать в сельские школы, получат подъёмные "
    "в размере 500 тыс. рублей.",
    "В регионе продолжается газификация: к сетям подключили ещё 300 домов.",
)
_BUDGETS = ("350 млн рублей", "1,2 млрд рублей", "87 млн рублей", "2,4 млрд рублей")

# Announcements of the regional payment for signing a contract.
_BONUS_LEADS = (
    "{Head} подписал постановление: единовременная выплата гражданам, заключившим контракт "
    "с Министерством обороны, увеличена с {previous} до {amount}.",
    "{In} с {effective} региональная единовременная выплата для подписавших контракт "
    "на военную службу составит {amount}.",
    "Правительство {of} установило единовременную выплату в размере {amount} для "
    "заключивших контракт о прохождении военной службы в зоне специальной военной операции.",
    "{Head} сообщил, что размер региональной выплаты добровольцам, подписавшим контракт, "
    "вырастет до {amount}.",
)
_BONUS_TITLES = (
    "{In} увеличили единовременную выплату контрактникам до {amount}",
    "Выплата подписавшим контракт {in_} составит {amount}",
    "{Head} объявил о новом размере выплаты добровольцам",
)
_BONUS_DETAILS = (
    "Новый размер выплаты действует с {effective}.",
    "Выплата предоставляется однократно при заключении контракта на срок не менее одного года.",
    "Оформить контракт можно в пункте отбора на военную службу по контракту.",
    "Кроме того, семьи участников специальной военной операции получат дополнительные меры "
    "поддержки.",
)
_AMOUNTS = (
    ("200 тыс. рублей", "100 тыс. рублей"),
    ("400 тыс. рублей", "200 тыс. рублей"),
    ("500 тыс. рублей", "300 тыс. рублей"),
    ("800 тыс. рублей", "400 тыс. рублей"),
    ("1 млн рублей", "500 тыс. рублей"),
    ("1,5 млн рублей", "800 тыс. рублей"),
    ("2 млн рублей", "1 млн рублей"),
    ("3 млн рублей", "1,5 млн рублей"),
)

_DECREE_NAMES = (
    "О награждении государственными наградами Российской Федерации",
    "О назначении судей федеральных судов",
    "О присвоении почётного звания «Город трудовой доблести»",
    "О назначении Чрезвычайного и Полномочного Посла Российской Федерации",
    "О внесении изменений в Положение о Министерстве промышленности и торговли",
    "О Дне работников лесного хозяйства",
    "О мерах по реализации государственной политики в сфере образования",
)
_LAW_NAMES = (
    "О внесении изменений в Налоговый кодекс Российской Федерации",
    "О ратификации Соглашения о сотрудничестве в области культуры",
    "О внесении изменений в отдельные законодательные акты Российской Федерации",
    "О федеральном бюджете на очередной год и на плановый период",
    "О внесении изменения в статью 12 Федерального закона «Об автомобильных дорогах»",
)
_DECREE_BODY = (
    "В соответствии с законодательством Российской Федерации постановляю:",
    "1. Утвердить прилагаемые изменения.",
    "2. Правительству Российской Федерации в шестимесячный срок привести свои акты в "
    "соответствие с настоящим Указом.",
    "3. Настоящий Указ вступает в силу со дня его подписания.",
    "Президент Российской Федерации",
)


@dataclass(frozen=True)
class Story:
    title: str
    paragraphs: list[str]
    region: str  # the subject the story is about
    bonus: bool  # announces a regional signing payment


@dataclass(frozen=True)
class Act:
    kind: str  # "Указ" or "Федеральный закон"
    number: str
    signed: date
    name: str
    paragraphs: list[str]

    @property
    def heading(self) -> str:
        """The portal's `complexName`: type, issuer, date and number, then the name."""
        issuer = " Президента Российской Федерации" if self.kind == "Указ" else ""
        return f'{self.kind}{issuer} от {self.signed:%d.%m.%Y} № {self.number}\n "{self.name}"'


def _fill(template: str, place: Place, **extra: str) -> str:
    return template.format(
        Head=place.head,
        In=place.in_[0].upper() + place.in_[1:],
        in_=place.in_,
        of=place.of,
        **extra,
    )


def _day_month(day: date) -> str:
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]}"


def story(rng: random.Random, published: date, place: Place, *, bonus: bool) -> Story:
    """A news story of a few paragraphs (2–3 kB of text) about `place`."""
    budget = rng.choice(_BUDGETS)
    sentences = [
        _fill(rng.choice(_TOPICS), place, budget=budget) for _ in range(rng.randrange(10, 16))
    ]
    if bonus:
        amount, previous = rng.choice(_AMOUNTS)
        effective = _day_month(published)
        lead = _fill(
            rng.choice(_BONUS_LEADS), place, amount=amount, previous=previous, effective=effective
        )
        details = [_fill(line, place, effective=effective) for line in _BONUS_DETAILS]
        title = _fill(rng.choice(_BONUS_TITLES), place, amount=amount)
        paragraphs = [lead, " ".join(details[:2]), *_paragraphs(rng, sentences)]
    else:
        title = sentences[0].rstrip(".")
        paragraphs = _paragraphs(rng, sentences)
    return Story(title=title[:150], paragraphs=paragraphs, region=place.code, bonus=bonus)


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    paragraphs, current = [], []
    for sentence in sentences:
        current.append(sentence)
        if len(current) >= rng.randrange(2, 4):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def post(rng: random.Random, published: date, place: Place, *, bonus: bool) -> Story:
    """A governor's channel post: a few sentences, shorter than a story."""
    full = story(rng, published, place, bonus=bonus)
    return Story(full.title, full.paragraphs[: rng.randrange(1, 4)], full.region, full.bonus)


def _callups() -> dict[date, tuple[str, int, date, date]]:
    """The seeded call-up decrees by signing date: name, size and period (history.csv)."""
    return {
        obs.event_date: (obs.title, int(obs.value or 0), obs.period_start, obs.period_end)
        for obs in load_seed_history()
        if str(obs.indicator) == "callup_decree" and obs.period_start and obs.period_end
    }


CALLUPS = _callups()


def callup_act(signed: date, number: str) -> Act | None:
    """The call-up decree signed that day, if the seeded history has one."""
    if signed not in CALLUPS:
        return None
    name, size, start, end = CALLUPS[signed]
    order = (
        f"1. Осуществить с {_day_month(start)} по {_day_month(end)} {end.year} г. призыв на "
        "военную службу граждан Российской Федерации в возрасте от 18 до 30 лет, не "
        f"пребывающих в запасе, в количестве {size:,} человек.".replace(",", " ")
    )
    paragraphs = [
        "В соответствии с федеральными законами от 31 мая 1996 г. № 61-ФЗ «Об обороне» и от "
        "28 марта 1998 г. № 53-ФЗ «О воинской обязанности и военной службе» постановляю:",
        order,
        "2. Уволить с военной службы солдат, матросов, сержантов и старшин, срок военной "
        "службы по призыву которых истек.",
        "3. Настоящий Указ вступает в силу со дня его официального опубликования.",
        "Президент Российской Федерации",
    ]
    return Act("Указ", number, signed, name, paragraphs)


def act(rng: random.Random, signed: date, number: int, *, law: bool) -> Act:
    """An everyday decree or federal law; the seeded call-ups on their signing days."""
    if not law and (callup := callup_act(signed, str(number))) is not None:
        return callup
    kind = "Федеральный закон" if law else "Указ"
    name = rng.choice(_LAW_NAMES if law else _DECREE_NAMES)
    written = f"{number}-ФЗ" if law else str(number)
    body = [*_DECREE_BODY]
    if law:
        body = [line.replace("Указом", "Федеральным законом") for line in body]
        body[3] = "3. Настоящий Федеральный закон вступает в силу со дня его опубликования."
    return Act(kind, written, signed, name, [*body, f"Москва, Кремль\n{_day_month(signed)}"])

"""`mobwatch explain`: how a text is read, from the command line, for a given text, standard
input, or a page fetched from a loopback server (an article, a channel's preview page)."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from datetime import date

import pytest

from mobwatch.cli.main import main
from mobwatch.demo.server import LoopbackServer
from mobwatch.indicators.extract.bonuses import PaymentKind, read_bonus
from mobwatch.indicators.extract.explain import explain
from mobwatch.indicators.regions import default_gazetteer
from mobwatch.parsers.base import Document

HTML = "text/html; charset=utf-8"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def run(*argv: str) -> str:
    out = io.StringIO()
    assert main(["explain", *argv], out=out) == 0
    return out.getvalue()


def test_a_demonym_alone_names_the_subject_and_the_output_says_why() -> None:
    shown = run(
        "Омичам, которые заключат контракт до 20 декабря, выплату поднимут с 400 до 800 тысяч "
        "рублей.",
        "--date",
        "2024-11-25",
    )
    assert "Subject: RU-OMS" in shown and "«Омичам» («омичи» in the regions table)" in shown
    assert "«400» = 400,000 RUB → previous" in shown
    assert "Reading: regional payment, RU-OMS, 800,000 RUB" in shown


def test_a_head_named_alone_is_the_subject_of_his_term() -> None:
    text = "Паслер подписал указ: заключившим контракт выплатят 300 тыс. рублей."
    assert "RU-ORE" in run(text, "--date", "2024-02-12").splitlines()[-2]
    assert "RU-SVE" in run(text, "--date", "2025-02-12").splitlines()[-2]


def test_no_reading_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Погода в Омске: до минус 20 градусов."))
    shown = run("-")
    assert "Sums: none" in shown
    assert "Reading: none: the text is not about money for a military contract" in shown


def test_terminal_escapes_in_the_text_never_reach_the_output() -> None:
    hostile = (
        "Омичам, заключившим контракт,\x1b]0;owned\x07 выплатят\x1b[2J 800 тысяч рублей\u202e."
    )
    shown = run(hostile, "--title", "\x1b[31mзаголовок", "--date", "2024-11-25")
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "RU-OMS" in shown


def test_an_article_fetched_by_url(server: LoopbackServer) -> None:
    article = (
        "<html><head><title>Выплата</title></head><body><article><h1>Курултай поддержал выплату"
        "</h1><time datetime='2025-11-20T10:00:00+03:00'>20 ноября</time><p>Курултай принял "
        "закон, по которому подписавшим контракт выплатят 1 млн рублей из республиканского "
        "бюджета. Закон вступает в силу со дня опубликования, сообщили в пресс-службе.</p>"
        "</article></body></html>"
    )
    server.add("/news/1.html", article.encode(), content_type=HTML)
    shown = run("--url", server.url + "/news/1.html")
    assert "«1 млн рублей» = 1,000,000 RUB → regional: the words «республиканского»" in shown
    assert "Subject: RU-BA" in shown and "«Курултай»" in shown


def test_a_channel_page_speaks_for_the_subject_of_its_title(server: LoopbackServer) -> None:
    post = (
        '<div class="tgme_widget_message" data-post="hotsenko_unknown/7"><div class='
        '"tgme_widget_message_text">Принято решение: заключившим контракт в пунктах отбора '
        'региона выплатим 1,5 млн рублей.</div><a class="tgme_widget_message_date" href="#">'
        '<time datetime="2025-11-12T09:00:00+00:00"></time></a></div>'
    )
    page = (
        '<html><body><section class="tgme_channel_history">'
        + post
        + '</section><aside><div class="tgme_channel_info"><div class="tgme_channel_info_header">'
        '<div class="tgme_channel_info_header_title"><span dir="auto">Виталий Хоценко</span>'
        "</div></div></div></aside></body></html>"
    )
    server.add("/s/hotsenko_unknown", page.encode(), content_type=HTML)
    shown = run("--url", server.url + "/s/hotsenko_unknown")
    assert "Subject: RU-OMS" in shown and "the channel's own title names «Виталий Хоценко»" in shown
    assert "Reading: regional payment, RU-OMS, 1,500,000 RUB" in shown


def test_an_unreachable_url_is_a_clear_error(server: LoopbackServer) -> None:
    out = io.StringIO()
    assert main(["explain", "--url", server.url + "/missing"], out=out) == 1
    assert out.getvalue() == ""


def test_the_explanation_is_the_readers_own_reading() -> None:
    document = Document(
        url="https://example.org/1",
        title="",
        text="Смольный: заключившим контракт из городского бюджета выплачивается 3,5 млн рублей.",
        published=date(2026, 2, 19),
    )
    explained = explain(document, default_gazetteer())
    assert explained.reading == read_bonus(document, default_gazetteer())
    assert [item.role for item in explained.sums] == ["regional"]


# --- one act, two wordings: the Kremlin's news item and the legal portal's text -------------

KREMLIN = Document(
    url="http://kremlin.ru/acts/news/75041",
    title="Подписан Указ о единовременной выплате заключившим контракт",
    text=(
        "Владимир Путин подписал Указ «Об установлении единовременной выплаты гражданам, "
        "заключившим контракт о прохождении военной службы в Вооружённых Силах Российской "
        "Федерации». Гражданам, заключившим в период с 1 августа по 31 декабря 2024 года "
        "контракт сроком на один год и более, устанавливается единовременная выплата в размере "
        "400 тыс. рублей."
    ),
    published=date(2024, 7, 31),
)
PORTAL = Document(
    url="http://publication.pravo.gov.ru/document/0001202407310006",
    title=(
        "Указ Президента Российской Федерации от 31.07.2024 № 644 Об установлении единовременной"
        " выплаты гражданам, заключившим контракт о прохождении военной службы"
    ),
    text=(
        "В целях обеспечения комплектования Вооруженных Сил Российской Федерации постановляю:\n"
        "1. Установить гражданам Российской Федерации, заключившим в период с 1 августа по "
        "31 декабря 2024 г. контракт о прохождении военной службы в Вооруженных Силах "
        "Российской Федерации сроком на один год и более, единовременную выплату в размере "
        "400\u00a0000 рублей.\nПрезидент Российской Федерации В.Путин"
    ),
    published=date(2024, 7, 31),
)
REGIONAL_NEWS = Document(
    url="https://t.me/omsk_news/1",
    title="",
    text=(
        "Хоценко подписал указ: омичам, которые с 25 ноября по 20 декабря заключат контракт с "
        "Минобороны, выплатят 800 тысяч рублей вместо 400 тысяч."
    ),
    published=date(2024, 11, 25),
)
REGIONAL_PORTAL = Document(
    url="http://publication.pravo.gov.ru/document/5500202411250001",
    title="Указ Губернатора Омской области от 25.11.2024 № 250",
    text=(
        "1. Установить единовременную денежную выплату в размере 800\u00a0000 рублей гражданам,"
        " заключившим в период с 25 ноября по 20 декабря 2024 года контракт о прохождении "
        "военной службы в Вооруженных Силах Российской Федерации.\nГубернатор Омской области "
        "В.П. Хоценко"
    ),
    published=date(2024, 11, 25),
    official=True,
)


@pytest.mark.parametrize(
    ("news", "portal", "kind", "region", "amount"),
    [
        (KREMLIN, PORTAL, PaymentKind.FEDERAL, None, 400_000),
        (REGIONAL_NEWS, REGIONAL_PORTAL, PaymentKind.REGIONAL, "RU-OMS", 800_000),
    ],
    ids=["federal decree", "regional decree"],
)
def test_one_act_reads_the_same_in_either_wording(
    news: Document, portal: Document, kind: PaymentKind, region: str | None, amount: int
) -> None:
    readings = [read_bonus(document, default_gazetteer()) for document in (news, portal)]
    assert all(reading is not None for reading in readings)
    assert {(r.kind, r.region, r.amount, r.until) for r in readings if r} == {
        (kind, region, amount, readings[0].until if readings[0] else None)
    }
    assert readings[0] and readings[0].until == date(2024, 12, 20 if region else 31)

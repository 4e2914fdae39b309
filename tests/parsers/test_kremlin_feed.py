import time
from collections.abc import Callable
from datetime import date
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobwatch.fetching.page import Page
from mobwatch.parsers import kremlin_feed
from mobwatch.parsers.base import Document, Parsed, ParseError, Source

LoadPage = Callable[..., Page]  # the `load_page` fixture (conftest.py)

FEED = "http://kremlin.ru/acts/news/feed"
ATOM = "application/atom+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"


def feed_page(load_page: LoadPage) -> Parsed:
    return kremlin_feed.parse(load_page("kremlin_feed/acts_feed.xml", FEED, ATOM))


def by_link(parsed: Parsed, number: int) -> Document:
    return next(d for d in parsed.documents if d.url == f"http://kremlin.ru/acts/news/{number}")


def atom(entry: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Документы</title><id>{FEED}</id>{entry}</feed>"
    ).encode()


def entry(
    published: str = "2024-09-30T15:00:00+04:00", link: str = "/acts/news/1", content: str = ""
) -> str:
    return (
        f'<entry><title>Указ</title><link rel="alternate" href="{link}"/><id>e1</id>'
        f"<published>{published}</published>{content}</entry>"
    )


# --- plan --------------------------------------------------------------------------------


def test_plan_reads_the_first_page_by_default() -> None:
    source = Source(name="kremlin-acts", parser="kremlin_feed", url=FEED)
    assert kremlin_feed.plan(source, date(2024, 9, 1), None) == [FEED]


def test_plan_pages_back_through_the_archive() -> None:
    source = Source(
        name="kremlin-acts", parser="kremlin_feed", url=FEED + "/", options={"pages": 3}
    )
    assert kremlin_feed.plan(source, None, None) == [FEED + "/", f"{FEED}/page/2", f"{FEED}/page/3"]


@pytest.mark.parametrize("pages", [0, -1, "2", True, 1.5])
def test_plan_rejects_bad_page_counts(pages: object) -> None:
    source = Source(name="kremlin-acts", parser="kremlin_feed", url=FEED, options={"pages": pages})
    with pytest.raises(ValueError, match="pages"):
        kremlin_feed.plan(source, None, None)


# --- feeds -------------------------------------------------------------------------------


def test_feed_entries_become_official_documents(load_page: LoadPage) -> None:
    parsed = feed_page(load_page)
    assert len(parsed.documents) == 6
    assert all(d.official for d in parsed.documents)
    assert not parsed.expected_empty


def test_call_up_decree_text_and_header(load_page: LoadPage) -> None:
    doc = by_link(feed_page(load_page), 75238)
    assert doc.title.startswith(
        "Указ «О призыве в октябре – декабре 2024 г. граждан Российской Федерации"
    )
    assert doc.external_id == "http://kremlin.ru/acts/news/75238"
    # The number and signing date stay in the text, for the act reader to take.
    assert (doc.act_type, doc.act_number, doc.act_date) == ("Указ", None, None)
    assert doc.published == date(2024, 9, 30)
    lines = doc.text.split("\n")
    assert (
        "1. Осуществить с 1 октября по 31 декабря 2024 г. призыв на военную службу граждан "
        "Российской Федерации в возрасте от 18 до 30 лет, не пребывающих в запасе, в количестве "
        "133 000 человек."
    ) in lines
    assert (
        "2. Уволить с военной службы солдат, матросов, сержантов и старшин, срок военной службы по "
        "призыву которых истек."
    ) in lines
    assert lines[-5:] == [
        "Президент Российской Федерации",
        "В.Путин",
        "Москва, Кремль",
        "30 сентября 2024 года",
        "№ 822",
    ]
    assert "<" not in doc.text and "\xa0" not in doc.text


def test_force_size_decree_keeps_its_unnumbered_signature(load_page: LoadPage) -> None:
    doc = by_link(feed_page(load_page), 75101)
    assert (
        "1. Установить штатную численность Вооруженных Сил Российской Федерации в количестве "
        "2 389 130 единиц, в том числе 1 500 000 военнослужащих."
    ) in doc.text
    assert "с 1 декабря 2024 г." in doc.text
    assert doc.text.endswith("Москва, Кремль\n16 сентября 2024 года")
    assert (doc.act_type, doc.act_number, doc.act_date) == ("Указ", None, None)


def test_news_style_entry_has_no_act_type_from_its_text(load_page: LoadPage) -> None:
    doc = by_link(feed_page(load_page), 75150)
    # The title is a headline, not an act's heading; the text's «Указ … № 801» stays text.
    assert (doc.act_type, doc.act_number, doc.act_date) == (None, None, None)
    assert "от 20 сентября 2024 г. № 801" in doc.text


def test_federal_law_entry(load_page: LoadPage) -> None:
    doc = by_link(feed_page(load_page), 75062)
    assert (doc.act_type, doc.act_number, doc.act_date) == ("Федеральный закон", None, None)
    assert doc.text.endswith("13 сентября 2024 года\n№ 280-ФЗ")


def test_entry_without_text_is_followed_to_its_page(load_page: LoadPage) -> None:
    parsed = feed_page(load_page)
    assert parsed.follow == ["http://kremlin.ru/acts/news/75190"]
    doc = by_link(parsed, 75190)
    assert (doc.text, doc.act_type, doc.published) == ("", "Указ", date(2024, 9, 27))


def test_late_evening_entry_stays_on_its_moscow_date(load_page: LoadPage) -> None:
    # 23:30 labelled +04:00 is 23:30 in Moscow: still 30 September, whatever UTC says.
    assert by_link(feed_page(load_page), 75241).published == date(2024, 9, 30)


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2024-09-30T23:30:00+04:00", date(2024, 9, 30)),
        ("2024-10-01T00:30:00+04:00", date(2024, 10, 1)),
        ("2024-09-30T23:30:00+03:00", date(2024, 9, 30)),
        ("2024-09-30T21:30:00Z", date(2024, 10, 1)),
        ("2024-09-30T23:30:00", date(2024, 9, 30)),
    ],
)
def test_timestamps_read_as_moscow_dates(stamp: str, expected: date) -> None:
    parsed = kremlin_feed.parse(Page(url=FEED, body=atom(entry(stamp)), content_type=ATOM))
    assert parsed.documents[0].published == expected


def test_relative_links_resolve_against_the_page() -> None:
    page = Page(url="http://127.0.0.1:8765/acts/news/feed", body=atom(entry()), content_type=ATOM)
    assert kremlin_feed.parse(page).documents[0].url == "http://127.0.0.1:8765/acts/news/1"


def test_xhtml_content_is_read_as_html() -> None:
    content = (
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        "<p>Первый абзац.</p><p>Второй<br/>абзац.</p></div></content>"
    )
    parsed = kremlin_feed.parse(
        Page(url=FEED, body=atom(entry(content=content)), content_type=ATOM)
    )
    assert parsed.documents[0].text == "Первый абзац.\nВторой\nабзац."


def test_windows_1251_feed_with_a_declaration(load_page: LoadPage) -> None:
    page = load_page("kremlin_feed/acts_feed_cp1251.xml", FEED, "application/atom+xml")
    [doc] = kremlin_feed.parse(page).documents
    assert doc.title.startswith("Указ «О призыве в октябре – декабре 2024 г.")
    assert "133 000 человек" in doc.text and doc.text.endswith("№ 822")


def test_windows_1251_feed_declared_only_by_http(load_page: LoadPage) -> None:
    body = load_page("kremlin_feed/acts_feed_cp1251.xml", FEED).body
    body = body.replace(b' encoding="windows-1251"', b"")
    page = Page(url=FEED, body=body, content_type="application/atom+xml; charset=windows-1251")
    [doc] = kremlin_feed.parse(page).documents
    assert "Осуществить с 1 октября по 31 декабря 2024 г." in doc.text


def test_empty_feed_is_not_taken_for_an_expected_empty_result() -> None:
    parsed = kremlin_feed.parse(Page(url=FEED, body=atom(""), content_type=ATOM))
    assert parsed == Parsed()  # drift, if the source used to have entries


# --- act pages ---------------------------------------------------------------------------


def test_article_page(load_page: LoadPage) -> None:
    url = "http://kremlin.ru/acts/news/75238"
    [doc] = kremlin_feed.parse(load_page("kremlin_feed/act_page.html", url, HTML)).documents
    assert doc.url == url
    assert doc.title.startswith("Указ «О призыве в октябре – декабре 2024 г.")
    assert doc.published == date(2024, 9, 30)
    assert (doc.act_type, doc.act_number, doc.act_date) == ("Указ", None, None)
    assert doc.text.startswith("В соответствии с федеральными законами")
    assert "в количестве 133 000 человек." in doc.text
    assert "Опубликован в разделе" not in doc.text and "Вооружённые Силы" not in doc.text


def test_act_bank_page(load_page: LoadPage) -> None:
    url = "http://kremlin.ru/acts/bank/48310"
    [doc] = kremlin_feed.parse(load_page("kremlin_feed/act_bank.html", url, HTML)).documents
    assert doc.title == "Указ Президента Российской Федерации от 21.09.2022 г. № 647"
    assert (
        "1. Объявить с 21 сентября 2022 г. в Российской Федерации частичную мобилизацию."
        in doc.text
    )
    assert (doc.act_type, doc.act_number, doc.act_date) == ("Указ", None, None)


def test_page_without_a_known_body_uses_its_largest_text_block() -> None:
    html = (
        "<html><body><h1>Указ Президента Российской Федерации от 21.09.2022 г. № 647</h1>"
        "<div class='menu'><p>Новости</p></div><div class='print'><p>1. Объявить частичную "
        "мобилизацию.</p><p>2. Осуществить призыв.</p></div></body></html>"
    )
    page = Page(
        url="http://kremlin.ru/acts/bank/48310/print", body=html.encode(), content_type=HTML
    )
    [doc] = kremlin_feed.parse(page).documents
    assert doc.text == "1. Объявить частичную мобилизацию.\n2. Осуществить призыв."


# --- errors and hostile input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "content_type"),
    [(FEED, HTML), (f"{FEED}/page/2", ""), ("http://kremlin.ru/acts/news/75238", HTML)],
)
def test_html_error_page_is_a_parse_error(load_page: LoadPage, url: str, content_type: str) -> None:
    with pytest.raises(ParseError, match="Технические работы"):
        kremlin_feed.parse(load_page("kremlin_feed/error_page.html", url, content_type))


def test_billion_laughs_is_refused_quickly(load_page: LoadPage) -> None:
    started = time.monotonic()
    # libxml2 may stop the amplification itself before the DTD check: either way, refused.
    with pytest.raises(ParseError, match=r"DTD|amplification"):
        kremlin_feed.parse(load_page("kremlin_feed/billion_laughs.xml", FEED, ATOM))
    assert time.monotonic() - started < 1


def test_external_entities_are_never_read() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&x;</title>'
        b'<link href="http://kremlin.ru/acts/news/1"/></entry></feed>'
    )
    with pytest.raises(ParseError, match="DTD"):
        kremlin_feed.parse(Page(url=FEED, body=body, content_type=ATOM))


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>',
        atom("<entry><title>Указ</title><id>e1</id></entry>"),
        atom(entry(published="вчера")),
        atom(entry(link="http://[broken")),
        b"",
    ],
)
def test_broken_feeds_raise(body: bytes) -> None:
    with pytest.raises(ParseError):
        kremlin_feed.parse(Page(url=FEED, body=body, content_type=ATOM))


FAST = settings(max_examples=200, deadline=500, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(
    body=st.binary(max_size=2000),
    content_type=st.sampled_from([ATOM, HTML, "", "application/xml", "application/json"]),
    url=st.sampled_from([FEED, "http://kremlin.ru/acts/news/75238"]),
)
def test_any_bytes_give_a_result_or_a_parse_error(body: bytes, content_type: str, url: str) -> None:
    _parse_or_parse_error(Page(url=url, body=body, content_type=content_type))


@FAST
@given(text=st.text(max_size=300), stamp=st.text(max_size=30), href=st.text(max_size=30))
def test_any_entry_values_give_a_result_or_a_parse_error(text: str, stamp: str, href: str) -> None:
    body = atom(
        f"<entry><title>{escape(text)}</title><link href={quoteattr(href)}/>"
        f"<published>{escape(stamp)}</published>"
        f'<content type="html">{escape(text)}</content></entry>'
    )
    _parse_or_parse_error(Page(url=FEED, body=body, content_type=ATOM))


def _parse_or_parse_error(page: Page) -> None:
    try:
        result = kremlin_feed.parse(page)
    except ParseError:
        return
    assert isinstance(result, Parsed)


# --- the page before in time (backfill) -----------------------------------------------------


def test_a_feed_page_names_the_page_before_it(load_page: LoadPage) -> None:
    assert feed_page(load_page).older == f"{FEED}/page/2"  # its rel="next" link
    page_2 = Page(url=f"{FEED}/page/2", body=atom(entry()), content_type=ATOM)
    assert kremlin_feed.parse(page_2).older == f"{FEED}/page/3"  # none: built from the address


def test_a_next_link_to_another_host_is_built_on_this_one(load_page: LoadPage) -> None:
    replay = "http://127.0.0.1:8080/acts/news/feed"
    parsed = kremlin_feed.parse(load_page("kremlin_feed/acts_feed.xml", replay, ATOM))
    assert parsed.older == f"{replay}/page/2"


def test_an_empty_feed_and_an_act_page_lead_nowhere_older() -> None:
    assert kremlin_feed.parse(Page(url=FEED, body=atom(""), content_type=ATOM)).older is None
    act = Page(
        url="http://kremlin.ru/acts/news/1",
        body='<h1 class="entry-title">Указ о призыве</h1><div class="read__internal_content">'
        "<p>Призвать граждан.</p></div>".encode(),
        content_type=HTML,
    )
    assert kremlin_feed.parse(act).older is None

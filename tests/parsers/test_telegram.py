"""The Telegram preview parser on pages in t.me/s markup (docs/sources.md §3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from mobwatch.fetching.page import Page
from mobwatch.parsers import telegram
from mobwatch.parsers.base import ParseContext, ParseError, Source

URL = "https://t.me/s/kurgan_demo_gov"
HTML = "text/html; charset=utf-8"
SOURCE = Source(
    "tg-kurgan", "telegram", URL, {"official": True, "region": "RU-KGN", "max_pages": 2}
)

Loader = Callable[..., Page]


def test_posts_become_documents_with_identity_date_and_text(load_page: Loader) -> None:
    parsed = telegram.parse(load_page("telegram/channel.html", URL, HTML), ParseContext(SOURCE))
    by_id = {doc.external_id: doc for doc in parsed.documents}
    # The photo without words carries no facts; the other three are read.
    assert sorted(by_id) == ["kurgan_demo_gov/7301", "kurgan_demo_gov/7304", "kurgan_demo_gov/7305"]
    post = by_id["kurgan_demo_gov/7301"]
    assert post.url == "https://t.me/kurgan_demo_gov/7301"
    # 21:30 UTC on 2 October is past midnight in Moscow.
    assert post.published == date(2024, 10, 3)
    assert post.text.splitlines() == [
        "С 7 октября увеличиваем выплату для заключивших контракт в Курганской области в 2,5 раза:",
        "из областного бюджета — 1,5 млн рублей, еще 100 тыс. — из муниципальных.",
        "С федеральными 400 тысячами — 2 млн.",
    ]
    assert post.title.startswith("С 7 октября увеличиваем выплату")
    assert (post.author, post.official, post.region) == ("kurgan_demo_gov", True, "RU-KGN")
    # A link preview nested in the text is read with it, not cut at the first </div>.
    assert "Меры поддержки участников СВО" in by_id["kurgan_demo_gov/7304"].text


def test_without_a_context_a_page_reads_alone(load_page: Loader) -> None:
    parsed = telegram.parse(load_page("telegram/channel.html", URL, HTML))
    assert len(parsed.documents) == 3 and parsed.follow == []
    assert all(not doc.official and doc.region is None for doc in parsed.documents)
    assert parsed.older == "https://t.me/s/kurgan_demo_gov?before=7301"


def test_older_pages_are_followed_while_the_window_reaches_back(load_page: Loader) -> None:
    page = load_page("telegram/channel.html", URL, HTML)
    reaching = ParseContext(SOURCE, since=date(2024, 9, 1))
    assert telegram.parse(page, reaching).follow == ["https://t.me/s/kurgan_demo_gov?before=7301"]
    # The window starts after the oldest post here: nothing older is needed.
    inside = ParseContext(SOURCE, since=date(2024, 10, 3))
    assert telegram.parse(page, inside).follow == []
    # The source's max_pages bounds the paging.
    last = ParseContext(SOURCE, since=date(2024, 9, 1), depth=2)
    assert telegram.parse(page, last).follow == []


def test_the_oldest_page_offers_nothing_older(load_page: Loader) -> None:
    url = f"{URL}?before=7301"
    page = load_page("telegram/channel-before-7301.html", url, HTML)
    parsed = telegram.parse(page, ParseContext(SOURCE, since=date(2022, 1, 1), depth=2))
    assert [doc.external_id for doc in parsed.documents] == ["kurgan_demo_gov/7102"]
    assert parsed.older is None and parsed.follow == []


def test_a_replayed_page_links_posts_on_its_own_host(load_page: Loader) -> None:
    page = load_page("telegram/channel.html", "http://127.0.0.1:8080/s/kurgan_demo_gov", HTML)
    parsed = telegram.parse(page)
    assert parsed.documents[0].url == "http://127.0.0.1:8080/kurgan_demo_gov/7301"
    assert parsed.older == "http://127.0.0.1:8080/s/kurgan_demo_gov?before=7301"


def test_a_channel_that_has_not_posted_is_expected_empty(load_page: Loader) -> None:
    parsed = telegram.parse(load_page("telegram/empty-channel.html", URL, HTML))
    assert parsed.expected_empty and parsed.documents == []


@pytest.mark.parametrize(
    ("fixture", "url", "reason"),
    [
        # Telegram redirects a channel without a preview to its contact card.
        (
            "telegram/contact.html",
            "https://t.me/kurgan_demo_gov",
            "no public preview: redirected to the channel's contact page",
        ),
        ("telegram/private.html", URL, "the channel is private: no public preview"),
        (
            "telegram/too-many-requests.html",
            URL,
            "Telegram is rate limiting this reader (Too many requests)",
        ),
    ],
)
def test_pages_without_a_preview_say_why(
    load_page: Loader, fixture: str, url: str, reason: str
) -> None:
    with pytest.raises(ParseError) as caught:
        telegram.parse(load_page(fixture, url, HTML))
    assert caught.value.reason == reason


def test_an_unknown_layout_is_an_error_not_silence(load_page: Loader) -> None:
    with pytest.raises(ParseError) as caught:
        telegram.parse(load_page("telegram/unknown-layout.html", URL, HTML))
    assert caught.value.reason.startswith("layout not recognised")


def test_plan_reads_the_channel_page_and_checks_options() -> None:
    assert telegram.plan(SOURCE, None, None) == [URL]
    named = Source("tg", "telegram", "https://t.me/", {"channel": "radiyhabirov"})
    assert telegram.plan(named, None, None) == ["https://t.me/s/radiyhabirov"]
    with pytest.raises(ValueError, match="max_pages"):
        telegram.plan(Source("tg", "telegram", URL, {"max_pages": 0}), None, None)
    with pytest.raises(ValueError, match="channel"):
        telegram.plan(Source("tg", "telegram", URL, {"channel": "no spaces!"}), None, None)

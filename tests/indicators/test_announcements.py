"""One announcement, one observation: a governor's post and the news about it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from mobwatch.indicators.extract.acts import merge
from mobwatch.indicators.extract.announcements import join_window, resolve
from mobwatch.indicators.extract.extraction import read_facts
from mobwatch.indicators.model import Confidence, Indicator
from mobwatch.parsers.base import Document, Source
from mobwatch.pipeline.stages import save_documents
from mobwatch.store.store import Store

POST = Document(
    url="https://t.me/kurgan_demo_gov/7301",
    title="С 7 октября увеличиваем выплату",
    text="С 7 октября увеличиваем выплату для заключивших контракт в Курганской области: "
    "из областного бюджета — 1,5 млн рублей.",
    published=date(2024, 10, 3),
    official=True,
    author="kurgan_demo_gov",
)
NEWS = Document(
    url="https://tass.example/obschestvo/1",
    title="Курганская область повысила выплату контрактникам до 1,5 млн рублей",
    text="Губернатор Курганской области сообщил, что с 7 октября областная выплата "
    "заключившим контракт вырастет с 650 тыс. до 1,5 млн рублей.",
    published=date(2024, 10, 4),
)
LATER = replace(NEWS, url="https://kommersant.example/doc/2", published=date(2024, 10, 5))


def test_a_post_and_its_news_are_one_observation_with_every_link() -> None:
    [observation] = read_facts([NEWS, LATER, POST], "mixed")
    assert observation.indicator is Indicator.REGIONAL_BONUS
    assert (observation.region, observation.value, observation.unit) == ("RU-KGN", 1_500_000, "RUB")
    assert observation.event_date == date(2024, 10, 3)  # the first report dates it
    assert observation.period_start == date(2024, 10, 7)
    assert observation.confidence is Confidence.OFFICIAL
    assert {link.url for link in observation.links} == {POST.url, NEWS.url, LATER.url}
    assert observation.key == "regional_bonus:RU-KGN:1500000:2024-10"
    assert observation.details["previous"] == 650_000


def test_reports_across_a_month_end_join_the_stored_announcement(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        july = replace(POST, url="https://t.me/a/1", published=date(2024, 7, 31))
        august = replace(NEWS, url="https://news.example/2", published=date(2024, 8, 1))
        for name, document in (("tg", july), ("news", august)):
            source = Source(name, "rss", "https://x.example/")
            save_documents([document], source, store)
        [stored] = store.observations(Indicator.REGIONAL_BONUS)
        assert stored.event_date == date(2024, 7, 31)
        assert {link.url for link in stored.links} == {july.url, august.url}
    finally:
        store.close()


def test_a_different_amount_or_a_later_month_is_another_announcement() -> None:
    [first] = read_facts([POST], "tg")
    next_day = replace(POST, url="https://t.me/a/8", published=date(2024, 10, 4))
    [raised] = read_facts([replace(next_day, text=POST.text.replace("1,5 млн", "1,6 млн"))], "tg")
    assert resolve(raised, [first]).key == "regional_bonus:RU-KGN:1600000:2024-10"
    [again] = read_facts([replace(POST, url="https://t.me/a/9", published=date(2025, 1, 20))], "tg")
    assert resolve(again, [first]).key == "regional_bonus:RU-KGN:1500000:2025-01"


def test_an_amount_a_text_states_beats_one_derived_from_a_total() -> None:
    [stated] = read_facts([NEWS], "news")
    derived = replace(
        stated,
        evidence="Общая сумма выплаты составит 1,9 млн рублей.",
        confidence=Confidence.OFFICIAL,
        details={**stated.details, "derived_from_total": True},
    )
    assert merge(derived, stated).evidence == stated.evidence
    assert merge(stated, derived).evidence == stated.evidence


def test_a_report_joins_across_the_join_window_and_not_beyond(tmp_path: Path) -> None:
    # Saving reads back only the stored payments of the days a report may join, however
    # long the history: one 14 days away still joins, one 15 days away is another.
    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        source = Source("news", "rss", "https://x.example/")
        first = replace(POST, url="https://t.me/a/1", published=date(2024, 7, 25))
        near = replace(NEWS, url="https://news.example/2", published=date(2024, 8, 8))
        far = replace(NEWS, url="https://news.example/3", published=date(2024, 8, 9))
        for document in (first, near, far):
            save_documents([document], source, store)
        stored = store.observations(Indicator.REGIONAL_BONUS)
        assert [sorted(link.url for link in obs.links) for obs in stored] == [
            sorted([first.url, near.url]),
            [far.url],
        ]
    finally:
        store.close()


def test_the_join_window_spans_the_payments_days_widened_by_the_join_days() -> None:
    early, late = (
        read_facts([replace(POST, published=date(2024, 10, 3))], "a"),
        read_facts([replace(NEWS, url="https://n.example/9", published=date(2024, 12, 20))], "b"),
    )
    assert join_window([*early, *late]) == (date(2024, 9, 19), date(2025, 1, 3))
    assert join_window([]) is None

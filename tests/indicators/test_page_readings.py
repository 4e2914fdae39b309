"""Facts read page by page, as a pass reads them, are the facts of the whole batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from mobwatch.indicators.extract.extraction import (
    Reading,
    fill_readings,
    merge,
    read_acts,
    read_facts,
    read_groups,
    read_page,
)
from mobwatch.parsers.base import Document
from mobwatch.parsers.duma_api import BILL

SOURCE = "news"
ARTICLE = Document(
    url="https://tass.example/obschestvo/1",
    title="Курганская область повысила выплату контрактникам до 1,5 млн рублей",
    text="Губернатор Курганской области сообщил, что с 7 октября областная выплата "
    "заключившим контракт вырастет с 650 тыс. до 1,5 млн рублей.",
    published=date(2024, 10, 4),
)
# The listing's item for the article: its headline and an earlier date, no text.
ITEM = replace(ARTICLE, text="", published=date(2024, 10, 3))
OTHER = replace(ARTICLE, url="https://tass.example/obschestvo/2", published=date(2024, 10, 6))


class Reader:
    """`merge`'s second reading of what the pages could not read, recorded."""

    def __init__(self) -> None:
        self.groups: list[Sequence[Document]] = []

    def __call__(self, groups: Sequence[Sequence[Document]]) -> list[Reading]:
        self.groups.extend(groups)
        return read_groups(groups, SOURCE)


def test_an_item_and_its_article_read_together_need_no_second_reading() -> None:
    listing = read_page([ITEM, OTHER], SOURCE, follow={ITEM.url})
    article = read_page([ARTICLE], SOURCE, earlier=[ITEM])
    reader = Reader()
    merged = merge([ITEM, OTHER, ARTICLE], [*listing, *article], reader)
    assert reader.groups == []
    assert merged == read_facts([ITEM, OTHER, ARTICLE], SOURCE)
    [observation] = merged  # the two addresses report one payment
    assert observation.event_date == date(2024, 10, 3)  # the item's date, the article's text


def test_an_address_read_in_part_is_read_again_whole() -> None:
    listing = read_page([ITEM, OTHER], SOURCE)  # the item read alone: it has no text
    article = read_page([ARTICLE], SOURCE)  # and the article without the item
    assert article[0].facts, "the article alone reads as a payment"
    reader = Reader()
    merged = merge([ITEM, OTHER, ARTICLE], [*listing, *article], reader)
    assert reader.groups == [[ITEM, ARTICLE]]
    assert merged == read_facts([ITEM, OTHER, ARTICLE], SOURCE)
    assert merged[0].event_date == date(2024, 10, 3)


def test_pages_parsed_but_not_read_are_read_when_merged() -> None:
    documents = [ITEM, OTHER, ARTICLE]
    readings = [None, None, *read_page([ARTICLE], SOURCE, earlier=[ITEM])]
    full = fill_readings(documents, readings, lambda unread: read_acts(unread, SOURCE))
    reader = Reader()
    assert merge(documents, full, reader) == read_facts(documents, SOURCE)
    assert reader.groups == [[OTHER]]  # the article's reading is of its item too


def test_an_address_that_shows_a_bill_is_not_read_as_an_announcement() -> None:
    bill = replace(ARTICLE, title="О внесении изменений", text="", act_type=BILL)
    readings = [*read_page([ARTICLE], SOURCE), *read_page([bill], SOURCE)]
    assert readings[0].facts and readings[1].act
    reader = Reader()
    assert merge([ARTICLE, bill], readings, reader) == read_facts([ARTICLE, bill], SOURCE) == []
    assert reader.groups == []

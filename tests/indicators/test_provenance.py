"""Seed and reading kept apart: a seeded figure stays marked until a document replaces it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from mobwatch.indicators.extract.merging import merge
from mobwatch.indicators.model import Confidence, Evidence, Indicator, Observation
from mobwatch.indicators.provenance import figure_source, provenance, rests_on_seed
from mobwatch.store.records import observation_to_record
from mobwatch.store.seed import load_seed_history

AUTUMN_2024 = next(obs for obs in load_seed_history() if obs.campaign == "2024-autumn")


def portal(value: int | None) -> Observation:
    """The legal portal's record of the same decree: its title, and a size only if read."""
    return Observation(
        indicator=Indicator.CALLUP_DECREE,
        event_date=date(2024, 9, 30),
        title="Указ Президента Российской Федерации от 30.09.2024 № 822 …",
        url="http://publication.example/document/0001202409300001",
        source="pravo-president",
        evidence="…",
        value=value,
        unit="persons" if value else None,
        period_start=date(2024, 10, 1),
        period_end=date(2024, 12, 31),
        document_number="822",
        confidence=Confidence.OFFICIAL,
        published=date(2024, 9, 30),
        links=[Evidence(url="http://publication.example/document/0001202409300001", quote="…")],
    )


def test_a_seeded_row_is_seed_until_a_document_reads_it() -> None:
    assert provenance(AUTUMN_2024) == "seed"
    assert rests_on_seed(AUTUMN_2024)
    record = observation_to_record(AUTUMN_2024)
    assert (record["provenance"], record["value_from"]) == ("seed", "seed")


def test_a_title_only_document_leaves_the_size_on_the_seed() -> None:
    merged = merge(AUTUMN_2024, portal(None))
    assert provenance(merged) == "seed+document"
    assert merged.value == 133_000 and figure_source(merged) == "seed"
    assert merged.confidence is Confidence.OFFICIAL  # the act is read; its size is not


def test_an_official_size_replaces_the_seeded_one() -> None:
    merged = merge(AUTUMN_2024, portal(134_000))
    assert merged.value == 134_000 and figure_source(merged) == "document"
    # Merging again keeps the document's figure, whichever order the reports come in.
    assert figure_source(merge(merged, AUTUMN_2024)) == "document"
    assert merge(merged, AUTUMN_2024).value == 134_000
    again = merge(replace(AUTUMN_2024, confidence=Confidence.UNVERIFIED), portal(134_000))
    assert figure_source(again) == "document"

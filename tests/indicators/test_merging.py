from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobwatch.indicators.extract.merging import merge
from mobwatch.indicators.model import Confidence, Evidence, Indicator, Observation
from mobwatch.store.records import observation_from_record, observation_to_record

TITLE = "О призыве в октябре - декабре 2022 г. граждан Российской Федерации на военную службу"
SENTENCE = "1. Осуществить с 1 ноября по 31 декабря 2022 г. призыв … в количестве 120 000 человек."


def callup(
    confidence: Confidence,
    url: str,
    *,
    value: int | None = None,
    evidence: str = TITLE,
    number: str | None = None,
    signed: date = date(2022, 9, 30),
    period: tuple[date, date] | None = None,
    from_title: bool = False,
    **details: object,
) -> Observation:
    if from_title:
        details["period_from_title"] = True
    return Observation(
        indicator=Indicator.CALLUP_DECREE,
        event_date=signed,
        title=TITLE,
        url=url,
        source=url.split("/")[2] if "//" in url else url,
        evidence=evidence,
        value=value,
        unit="persons" if value is not None else None,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        document_number=number,
        confidence=confidence,
        details=dict(details),
        links=[Evidence(url=url, quote=evidence)],
    )


OCT_DEC = (date(2022, 10, 1), date(2022, 12, 31))
NOV_DEC = (date(2022, 11, 1), date(2022, 12, 31))
SEED = callup(
    Confidence.UNVERIFIED,
    "seed",
    value=125_000,
    evidence="facts.md: autumn 2022",
    signed=date(2022, 9, 29),
    period=NOV_DEC,
    discharge_ordered=True,
)
PORTAL = callup(
    Confidence.OFFICIAL,
    "http://publication.pravo.gov.ru/document/1",
    number="691",
    period=OCT_DEC,
    from_title=True,
    discharge_ordered=True,
)
KREMLIN = callup(
    Confidence.OFFICIAL,
    "http://kremlin.ru/acts/bank/1",
    value=120_000,
    evidence=SENTENCE,
    number="691",
    period=NOV_DEC,
    discharge_ordered=True,
    age_from=18,
    age_to=27,
)
NEWS = callup(
    Confidence.REPORTED,
    "http://tass.ru/1",
    value=121_000,
    evidence="призваны 121 тыс. человек",
    number="690",
    signed=date(2022, 10, 1),
    period=OCT_DEC,
    discharge_ordered=None,
)


def test_official_overrides_unverified_field_by_field() -> None:
    merged = merge(SEED, PORTAL)
    assert merged.confidence is Confidence.OFFICIAL
    assert (merged.event_date, merged.document_number, merged.url) == (
        date(2022, 9, 30),
        "691",
        PORTAL.url,
    )
    # The portal has no figure: the seeded one stays, known to be unverified.
    assert (merged.value, merged.evidence) == (125_000, "facts.md: autumn 2022")
    # A stated period beats one derived from the title's months, whoever states it.
    assert (merged.period_start, merged.period_end) == NOV_DEC
    assert "period_from_title" not in merged.details
    assert merged.details["field_confidence"] == {"period": "unverified", "value": "unverified"}


def test_a_later_official_text_replaces_what_the_seed_left() -> None:
    merged = merge(merge(SEED, PORTAL), KREMLIN)
    assert (merged.value, merged.evidence) == (120_000, SENTENCE)
    assert "field_confidence" not in merged.details
    assert merged.details == {"discharge_ordered": True, "age_from": 18, "age_to": 27}


def test_reported_never_overrides_official() -> None:
    merged = merge(KREMLIN, NEWS)
    for field in ("value", "evidence", "event_date", "document_number", "url", "title"):
        assert getattr(merged, field) == getattr(KREMLIN, field)
    assert (merged.period_start, merged.period_end) == NOV_DEC
    assert merged.details["discharge_ordered"] is True
    assert merged.confidence is Confidence.OFFICIAL
    assert [link.url for link in merged.links] == [KREMLIN.url, NEWS.url]


def test_missing_fields_are_filled_whoever_reports_them() -> None:
    merged = merge(PORTAL, NEWS)
    assert (merged.value, merged.evidence) == (121_000, NEWS.evidence)
    assert merged.document_number == "691"
    assert merged.details["field_confidence"] == {"period": "reported", "value": "reported"}


def test_between_periods_from_titles_the_more_trusted_stays() -> None:
    news = replace(NEWS, period_start=NOV_DEC[0], details={"period_from_title": True})
    merged = merge(news, PORTAL)
    assert (merged.period_start, merged.period_end) == OCT_DEC
    assert merged.details["period_from_title"] is True


def test_the_value_carries_its_evidence() -> None:
    merged = merge(PORTAL, KREMLIN)
    assert (merged.value, merged.evidence, merged.url) == (120_000, SENTENCE, PORTAL.url)
    assert (merged.period_start, merged.period_end) == NOV_DEC


def test_links_are_united_once_each_in_order() -> None:
    merged = merge(merge(PORTAL, KREMLIN), PORTAL)
    assert [link.url for link in merged.links] == [PORTAL.url, KREMLIN.url]


def test_different_facts_do_not_merge() -> None:
    spring = replace(KREMLIN, period_start=date(2022, 4, 1), period_end=date(2022, 7, 15))
    with pytest.raises(ValueError, match="different facts"):
        merge(KREMLIN, spring)


# --- properties ----------------------------------------------------------------------

URLS = ["seed", "http://a/1", "http://b/2", "http://c/3"]


@st.composite
def reports(draw: st.DrawFn) -> Observation:
    """A report of the autumn 2022 call-up as any source might give it."""
    urls = draw(st.lists(st.sampled_from(URLS), min_size=1, max_size=3, unique=True))
    details = draw(
        st.dictionaries(
            st.sampled_from(["discharge_ordered", "age_from", "regime"]),
            st.one_of(st.none(), st.booleans(), st.integers(0, 40), st.sampled_from(["a", "b"])),
        )
    )
    observation = callup(
        draw(st.sampled_from(list(Confidence))),
        urls[0],
        value=draw(st.one_of(st.none(), st.integers(100_000, 200_000))),
        evidence=draw(st.sampled_from(["", TITLE, SENTENCE, "другое предложение"])),
        number=draw(st.sampled_from([None, "691", "692"])),
        signed=draw(st.sampled_from([date(2022, 9, 29), date(2022, 9, 30), date(2022, 10, 3)])),
        period=draw(st.sampled_from([None, OCT_DEC, NOV_DEC])),
        from_title=draw(st.booleans()),
        **details,
    )
    observation.links = [Evidence(url=url, quote=observation.evidence) for url in urls]
    return observation


@given(reports())
def test_merging_a_report_with_itself_changes_nothing(a: Observation) -> None:
    if a.period_start is None:
        a.details.pop("period_from_title", None)  # a flag with no period is never produced
    assert merge(a, a) == a


@given(reports(), reports())
def test_merge_is_idempotent(a: Observation, b: Observation) -> None:
    merged = merge(a, b)
    assert merge(merged, b) == merged
    assert merge(merged, a) == merged
    assert merge(merged, merged) == merged


@given(reports(), reports())
def test_merge_unites_links_whatever_the_order(a: Observation, b: Observation) -> None:
    forward, backward = merge(a, b), merge(b, a)
    urls = {link.url for link in forward.links}
    assert urls == {link.url for link in backward.links} == {link.url for link in a.links + b.links}
    assert len(forward.links) == len(urls)
    assert forward.confidence == backward.confidence


@given(reports(), reports())
def test_a_merged_observation_survives_the_store(a: Observation, b: Observation) -> None:
    merged = merge(a, b)
    stored = observation_from_record(observation_to_record(merged))
    assert stored == merged
    assert merge(stored, b) == merged


def test_provenance_moves_together() -> None:
    seed = replace(SEED, url="", source="seed:facts.md", confidence=Confidence.REPORTED)
    merged = merge(seed, NEWS)
    assert (merged.url, merged.source, merged.title) == (NEWS.url, NEWS.source, NEWS.title)

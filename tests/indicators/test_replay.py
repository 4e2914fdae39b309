"""The backtest as it was known: alerts fire on the first day their evidence was public."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from mobwatch.indicators.model import Indicator, Observation
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.indicators.rules.markers import evaluate
from mobwatch.indicators.rules.replay import Known, known_on, replay

CONFIG = load_marker_config()


def force_size(signed: date, servicemen: int, published: date | None) -> Observation:
    return Observation(
        indicator=Indicator.FORCE_SIZE_DECREE,
        event_date=signed,
        title="Об установлении штатной численности Вооружённых Сил Российской Федерации",
        url=f"http://example.test/force/{signed}",
        source="test",
        evidence="в том числе военнослужащих",
        value=servicemen,
        unit="persons",
        published=published,
    )


def callup(year: int, signed: date, published: date | None, size: int = 130_000) -> Observation:
    return Observation(
        indicator=Indicator.CALLUP_DECREE,
        event_date=signed,
        title="О призыве …",
        url=f"http://example.test/{year}-autumn",
        source="test",
        evidence=f"призвать {size} граждан",
        value=size,
        unit="persons",
        period_start=date(year, 10, 1),
        period_end=date(year, 12, 31),
        details={"discharge_ordered": True},
        published=published,
    )


def test_an_act_published_after_its_signing_fires_on_its_publication() -> None:
    earlier = force_size(date(2023, 12, 1), 1_320_000, date(2023, 12, 1))
    late = force_size(date(2024, 9, 16), 1_500_000, date(2024, 9, 23))
    known = [known_on(obs, None) for obs in (earlier, late)]
    fired = [
        r
        for r in replay(known, CONFIG, since=date(2024, 1, 1), until=date(2024, 12, 31))
        if r.marker == "force_size_increase"
    ]
    assert [(r.fired_on, r.event_on, r.approximate) for r in fired] == [
        (date(2024, 9, 23), date(2024, 9, 16), False)
    ]
    # The old replay of the final history dated it by the signing: a week too early.
    final = [a for a in evaluate([earlier, late], CONFIG, as_of=date(2024, 12, 31))]
    assert date(2024, 9, 16) in {a.fired_on for a in final if a.marker == "force_size_increase"}


def test_a_decree_signed_in_time_but_published_late_was_missing_meanwhile() -> None:
    """As known on 8 October, no autumn decree had been published: the warning fired then,
    though the decree, signed on 29 September, was found later."""
    history = [
        callup(2022, date(2022, 9, 30), date(2022, 9, 30)),
        callup(2023, date(2023, 9, 29), date(2023, 10, 20)),
    ]
    grace = timedelta(days=CONFIG.callup_timing_anomaly.missing_decree_grace_days)
    deadline = date(2023, 10, 1) + grace
    replayed = replay(
        [known_on(obs, None) for obs in history],
        CONFIG,
        since=date(2023, 1, 1),
        until=date(2023, 12, 31),
    )
    missing = [r for r in replayed if r.title.startswith("No decree for the autumn 2023")]
    assert [r.fired_on for r in missing] == [deadline]
    final = evaluate(history, CONFIG, as_of=date(2023, 12, 31))
    assert not [a for a in final if a.title.startswith("No decree for the autumn 2023")]


def test_no_alert_fires_before_any_of_its_evidence_was_public() -> None:
    history = [
        force_size(date(2017, 11, 17), 1_013_628, None),  # first seen: see below
        force_size(date(2022, 8, 25), 1_150_628, date(2022, 8, 26)),
        force_size(date(2023, 12, 1), 1_320_000, None),
    ]
    first_seen = {history[0].key: date(2018, 1, 10), history[2].key: date(2024, 2, 2)}
    known = [known_on(obs, first_seen.get(obs.key)) for obs in history]
    assert [k.on for k in known] == [date(2018, 1, 10), date(2022, 8, 26), date(2024, 2, 2)]
    replayed = replay(known, CONFIG, since=date(2017, 1, 1), until=date(2025, 1, 1))
    by_key = {k.observation.key: k.on for k in known}
    for item in replayed:
        if item.alert.observation_key:
            assert item.fired_on >= by_key[item.alert.observation_key] >= item.event_on


def test_seeded_rows_and_approximate_dates_are_marked() -> None:
    seeded = replace(force_size(date(2022, 8, 25), 1_150_628, None), source="seed:facts.md", url="")
    assert known_on(seeded, date(2026, 12, 1)) == Known(seeded, date(2022, 8, 25), True)
    noted = replace(
        force_size(date(2024, 9, 16), 1_500_000, date(2024, 9, 16)),
        details={"date_note": "approximate (September 2024)"},
    )
    assert known_on(noted, None).approximate
    replayed = replay(
        [known_on(seeded, None), known_on(noted, None)],
        CONFIG,
        since=date(2022, 1, 1),
        until=date(2024, 12, 31),
    )
    increase = [r for r in replayed if r.marker == "force_size_increase"]
    assert [(r.fired_on, r.approximate) for r in increase] == [(date(2024, 9, 16), True)]

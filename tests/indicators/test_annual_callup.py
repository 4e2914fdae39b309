"""Year-round conscription: the annual decree is a campaign of its own, compared like with
like, expected in late December, and the seasons it replaces are never missing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from mobwatch.indicators.extract.acts import read_act
from mobwatch.indicators.model import Indicator, Observation
from mobwatch.indicators.rules.board import board_notes, build_board
from mobwatch.indicators.rules.campaigns import baseline_for
from mobwatch.indicators.rules.config import (
    DEFAULT_MARKERS_FILE,
    MarkerConfig,
    load_marker_config,
)
from mobwatch.indicators.rules.markers.federal import callup_size_anomaly, callup_timing_anomaly
from mobwatch.indicators.rules.replay import known_on, replay
from mobwatch.parsers.base import Document
from mobwatch.store.seed import load_seed_history

CONFIG = load_marker_config()
SEED = load_seed_history()


def season(year: int, kind: str, size: int, signed: date | None = None) -> Observation:
    start, end = CONFIG.callup_timing_anomaly.usual_period(kind, year)
    return Observation(
        indicator=Indicator.CALLUP_DECREE,
        event_date=signed or start - timedelta(days=1),
        title="О призыве …",
        url=f"http://example.test/{year}-{kind}",
        source="test",
        evidence=f"{size} граждан",
        value=size,
        unit="persons",
        period_start=start,
        period_end=end,
        details={"discharge_ordered": True},
    )


def annual(year: int, size: int, signed: date) -> Observation:
    return Observation(
        indicator=Indicator.CALLUP_DECREE,
        event_date=signed,
        title=f"О призыве в {year} году граждан …",
        url=f"http://example.test/{year}",
        source="test",
        evidence=f"{size} граждан",
        value=size,
        unit="persons",
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        details={"discharge_ordered": True},
    )


def years(first: int, last: int, spring: int, autumn: int) -> list[Observation]:
    return [
        obs
        for year in range(first, last + 1)
        for obs in (season(year, "spring", spring), season(year, "autumn", autumn))
    ]


def test_the_annual_decree_is_a_campaign_of_its_own() -> None:
    decree = annual(2026, 261_000, date(2025, 12, 29))
    assert decree.campaign == "2026-year"
    assert decree.key == "callup_decree:2026-year"
    # It is not the autumn 2025 campaign, though signed in the autumn of 2025.
    assert decree.key != season(2025, "autumn", 135_000).key


def test_an_annual_decree_is_compared_with_yearly_totals() -> None:
    history = [*years(2016, 2025, 150_000, 130_000), annual(2026, 261_000, date(2025, 12, 29))]
    baseline = baseline_for(history[-1], history, CONFIG.callup_size_anomaly.lookback_years)
    assert baseline.largest is not None and baseline.largest.size == 280_000
    assert baseline.describe() == "years 2016–2025 (10 years)"
    # 261,000 is below any year's two campaigns together: nothing to report.
    assert not callup_size_anomaly(history, CONFIG, as_of=date(2026, 6, 1))
    larger = [*history[:-1], annual(2026, 300_000, date(2025, 12, 29))]
    [alert] = callup_size_anomaly(larger, CONFIG, as_of=date(2026, 6, 1))
    assert alert.title == (
        "2026 annual call-up of 300,000 exceeds the largest yearly total of 280,000 (2025) by "
        "7.1 %; baseline: years 2016–2025 (10 years)"
    )


def test_a_season_is_compared_with_the_same_season_only() -> None:
    history = [*years(2016, 2025, 150_000, 130_000), season(2026, "autumn", 140_000)]
    [alert] = callup_size_anomaly(history, CONFIG, as_of=date(2026, 12, 1))
    assert alert.title.startswith("Autumn 2026 call-up of 140,000 exceeds the autumn maximum")
    assert alert.title.endswith("baseline: autumn 2016–2025 (10 campaigns)")


def test_too_short_a_baseline_raises_nothing(tmp_path: Path) -> None:
    history = [*years(2022, 2025, 150_000, 130_000), season(2026, "autumn", 200_000)]
    assert not callup_size_anomaly(history, CONFIG, as_of=date(2026, 12, 1))  # 4 autumns
    text = DEFAULT_MARKERS_FILE.read_text("utf-8").replace("min_history = 5", "min_history = 4")
    (tmp_path / "markers.toml").write_text(text, "utf-8")
    relaxed = load_marker_config(tmp_path / "markers.toml")
    [alert] = callup_size_anomaly(history, relaxed, as_of=date(2026, 12, 1))
    assert alert.title.endswith("baseline: autumn 2022–2025 (4 campaigns)")


def test_a_year_an_annual_decree_covers_misses_no_season() -> None:
    history = [*years(2024, 2025, 150_000, 130_000), annual(2026, 261_000, date(2025, 12, 29))]
    assert not callup_timing_anomaly(history, CONFIG, as_of=date(2026, 12, 31))
    # Without it, the annual decree itself is what is missing, a week into January.
    [missing] = callup_timing_anomaly(history[:-1], CONFIG, as_of=date(2026, 12, 31))
    assert missing.fired_on == date(2026, 1, 8)
    assert missing.title.startswith("No decree for the 2026 annual call-up")


def test_the_annual_decree_is_expected_in_late_december() -> None:
    history = [*years(2024, 2025, 150_000, 130_000)]
    on_time = annual(2026, 261_000, date(2025, 12, 29))
    assert not callup_timing_anomaly([*history, on_time], CONFIG, as_of=date(2026, 3, 1))
    late = annual(2026, 261_000, date(2026, 2, 10))
    titles = [
        a.title for a in callup_timing_anomaly([*history, late], CONFIG, as_of=date(2026, 3, 1))
    ]
    assert titles == [
        "2026 annual call-up was signed on 10 Feb 2026, outside the usual window "
        "1 Dec – 31 Dec 2025"
    ]
    early = annual(2026, 261_000, date(2025, 10, 20))
    assert callup_timing_anomaly([*history, early], CONFIG, as_of=date(2026, 3, 1))


def test_the_seeded_history_replayed_gives_no_2026_call_up_warning() -> None:
    """The replay of a year with both campaigns (2025) and a year with one annual decree
    (2026): the 2025 spring exceeds its season, 2026 raises nothing."""
    known = [known_on(obs, None) for obs in SEED]
    replayed = replay(known, CONFIG, since=date(2025, 1, 1), until=date(2026, 12, 31))
    callup_alerts = [(r.marker, r.event_on) for r in replayed if r.marker.startswith("callup_")]
    assert callup_alerts == [("callup_size_anomaly", date(2025, 3, 31))]
    decree = next(obs for obs in SEED if obs.campaign == "2026-year")
    assert (decree.value, decree.event_date) == (261_000, date(2025, 12, 29))


def test_config_declares_the_annual_window() -> None:
    config: MarkerConfig = CONFIG
    timing = config.callup_timing_anomaly
    assert timing.annual_from_year == 2026
    assert timing.annual_window(2026) == (date(2025, 12, 1), date(2025, 12, 31))
    assert config.callup_size_anomaly.min_history == 5


def test_the_board_says_when_the_baseline_is_too_short() -> None:
    history = [*years(2023, 2025, 150_000, 130_000), season(2026, "autumn", 200_000)]
    assert board_notes(history, CONFIG) == {
        "callup_size_anomaly": "baseline too short: autumn 2023–2025 (3 campaigns), 5 needed"
    }
    board = build_board(
        [], CONFIG, as_of=date(2026, 12, 1), window_days=90, notes=board_notes(history, CONFIG)
    )
    [row] = [row for row in board.rows if row.marker == "callup_size_anomaly"]
    assert row.note.startswith("baseline too short")
    assert board_notes(SEED, CONFIG) == {}  # ten years of yearly totals before 2026


ANNUAL_NAME = (
    "О призыве в 2026 году граждан Российской Федерации на военную службу и об увольнении с "
    "военной службы граждан, проходящих военную службу по призыву"
)
# Modelled on the structure of the seasonal decrees' texts (see test_acts.py), for the whole
# year; the wording is ours.
ANNUAL_TEXT = (
    "В соответствии с федеральными законами от 31 мая 1996 г. № 61-ФЗ «Об обороне» и от 28 "
    "марта 1998 г. № 53-ФЗ «О воинской обязанности и военной службе» постановляю:\n"
    "1. Осуществить с 1 января по 31 декабря 2026 г. призыв на военную службу граждан "
    "Российской Федерации в возрасте от 18 до 30 лет, не пребывающих в запасе и подлежащих "
    "призыву на военную службу, в количестве 261 000 человек.\n"
    "2. Уволить с военной службы граждан, проходящих военную службу по призыву, срок военной "
    "службы по призыву которых истек.\n"
    "Президент Российской Федерации В.Путин\nМосква, Кремль\n29 декабря 2025 года"
)


def test_the_annual_decree_is_read_from_its_text_and_from_its_title_alone() -> None:
    kremlin = read_act(
        Document(url="k", title=f"Указ «{ANNUAL_NAME}»", text=ANNUAL_TEXT, official=True),
        "kremlin-acts",
    )
    assert kremlin is not None and kremlin.key == "callup_decree:2026-year"
    assert (kremlin.value, kremlin.event_date) == (261_000, date(2025, 12, 29))
    portal = read_act(
        Document(
            url="p",
            title=f'Указ Президента Российской Федерации от 29.12.2025 № 1\n "{ANNUAL_NAME}"',
            official=True,
        ),
        "pravo-president",
    )
    assert portal is not None and portal.key == kremlin.key  # one campaign, not autumn 2025
    assert (portal.period_start, portal.period_end) == (date(2026, 1, 1), date(2026, 12, 31))

"""The federal markers and the composite level, on the seeded history and small histories."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobwatch.indicators.model import Alert, Evidence, Indicator, Observation, Severity
from mobwatch.indicators.rules.config import DEFAULT_MARKERS_FILE, MarkerConfig, load_marker_config
from mobwatch.indicators.rules.markers import MARKERS, evaluate
from mobwatch.indicators.rules.markers.federal import (
    callup_size_anomaly,
    callup_timing_anomaly,
    discharge_withheld,
    force_size_increase,
    martial_law,
    mobilisation_declared,
)
from mobwatch.indicators.rules.risk import (
    RiskLevel,
    risk_level_at,
    risk_level_changes,
    risk_reading_at,
    risk_timeline,
)
from mobwatch.store.seed import load_seed_history

CONFIG = load_marker_config()
AS_OF = date(2026, 11, 25)
SEED = load_seed_history()


def callup(
    year: int,
    season: str,
    size: int | None,
    *,
    signed: date | None = None,
    period: tuple[date, date] | None = None,
    discharge: bool | None = True,
) -> Observation:
    usual = CONFIG.callup_timing_anomaly.usual_period(season, year)
    start, end = period or usual
    details = {} if discharge is None else {"discharge_ordered": discharge}
    return Observation(
        indicator=Indicator.CALLUP_DECREE,
        event_date=signed or usual[0] - timedelta(days=1),
        title="О призыве …",
        url=f"http://example.test/{year}-{season}",
        source="test",
        evidence=f"призвать {size} граждан",
        value=size,
        unit="persons",
        period_start=start,
        period_end=end,
        details=details,
    )


def force_size(
    signed: date, servicemen: int | None, details: dict[str, int] | None = None
) -> Observation:
    return Observation(
        indicator=Indicator.FORCE_SIZE_DECREE,
        event_date=signed,
        title="Об установлении штатной численности Вооружённых Сил Российской Федерации",
        url="http://example.test/force",
        source="test",
        evidence="в том числе военнослужащих",
        value=servicemen,
        unit="persons",
        details=details or {},
    )


def act(indicator: Indicator, signed: date, number: str, **details: object) -> Observation:
    return Observation(
        indicator=indicator,
        event_date=signed,
        title="Указ",
        url=f"http://example.test/{number}",
        source="test",
        evidence="…",
        document_number=number,
        details=dict(details),
    )


def fired(alerts: list[Alert]) -> list[tuple[str, Severity, date]]:
    return [(alert.marker, alert.severity, alert.fired_on) for alert in alerts]


def config_with(tmp_path: Path, old: str, new: str) -> MarkerConfig:
    text = DEFAULT_MARKERS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "markers.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_marker_config(path)


# The seeded history, end to end.

CRIT, WARN, INFO = Severity.CRITICAL, Severity.WARNING, Severity.INFO
SEED_ALERTS_SINCE_2022 = [
    ("force_size_increase", CRIT, date(2022, 8, 25)),
    ("risk_level_change", WARN, date(2022, 8, 25)),  # GREEN → RED
    ("mobilisation_declared", CRIT, date(2022, 9, 21)),
    ("callup_timing_anomaly", WARN, date(2022, 9, 30)),  # autumn 2022 moved to November
    ("martial_law", CRIT, date(2022, 10, 19)),
    ("martial_law", CRIT, date(2022, 10, 19)),
    ("risk_level_change", INFO, date(2023, 1, 17)),  # 90 days after the last critical
    ("service_term_change", WARN, date(2023, 4, 14)),  # electronic summonses, the register
    ("risk_level_change", WARN, date(2023, 8, 4)),  # GREEN → RED
    ("service_term_change", CRIT, date(2023, 8, 4)),  # conscription ages 18–27 → 18–30
    ("risk_level_change", INFO, date(2023, 11, 2)),
    ("force_size_increase", CRIT, date(2023, 12, 1)),
    ("risk_level_change", WARN, date(2023, 12, 1)),
    ("risk_level_change", INFO, date(2024, 2, 29)),
    ("force_size_increase", CRIT, date(2024, 9, 16)),
    ("risk_level_change", WARN, date(2024, 9, 16)),
    ("risk_level_change", INFO, date(2024, 12, 15)),
    ("callup_size_anomaly", WARN, date(2025, 3, 31)),
    ("reservist_callup", WARN, date(2025, 11, 4)),  # the special-assemblies law
    ("risk_level_change", WARN, date(2025, 11, 4)),  # GREEN → AMBER
    ("service_term_change", WARN, date(2025, 11, 4)),  # year-round call-up, 30 days to report
    ("reservist_callup", WARN, date(2025, 12, 30)),  # the first special assemblies, for 2026
    ("risk_level_change", INFO, date(2026, 1, 3)),
    ("force_size_increase", WARN, date(2026, 3, 4)),  # +2,640
    # 2026 is one annual campaign (261,000, signed 29 Dec 2025): no spring or autumn decree
    # is missing, and its size is below the 2025 total of 295,000.
]


@pytest.fixture(scope="module")
def seed_alerts() -> list[Alert]:
    return [
        alert for alert in evaluate(SEED, CONFIG, as_of=AS_OF) if alert.fired_on >= date(2022, 1, 1)
    ]


def test_seed_history_fires_what_the_report_describes(seed_alerts: list[Alert]) -> None:
    assert fired(seed_alerts) == SEED_ALERTS_SINCE_2022
    by_key = {(alert.marker, alert.observation_key): alert for alert in seed_alerts}
    august_2022 = by_key["force_size_increase", "force_size_decree:2022-08-25"]
    assert august_2022.title == "Force size raised by 137,000 to 1,150,628 servicemen (+13.5 %)"
    september_2024 = by_key["force_size_increase", "force_size_decree:2024-09-16"]
    assert september_2024.title == "Force size raised by 180,000 to 1,500,000 servicemen (+13.6 %)"
    spring_2025 = by_key["callup_size_anomaly", "callup_decree:2025-spring"]
    assert spring_2025.title == (
        "Spring 2025 call-up of 160,000 exceeds the spring maximum of 155,000 (2016) by 3.2 %; "
        "baseline: spring 2015–2024 (10 campaigns)"
    )
    assert ("callup_timing_anomaly", "callup_decree:2022-autumn") in by_key
    assert ("mobilisation_declared", "mobilisation_decree:647:2022-09-21") in by_key
    martial = {key for marker, key in by_key if marker == "martial_law"}
    assert martial == {"martial_law_decree:756:2022-10-19", "martial_law_decree:757:2022-10-19"}


def test_seed_alerts_carry_evidence_and_basis(seed_alerts: list[Alert]) -> None:
    for alert in seed_alerts:
        assert alert.basis
        assert len(alert.fingerprint) == 64
        assert "\n" not in alert.title
    decree_alerts = [alert for alert in seed_alerts if alert.observation_key]
    assert all(alert.evidence[0].quote.startswith("facts.md: ") for alert in decree_alerts)


def test_evaluation_is_stable_and_order_independent() -> None:
    first = evaluate(SEED, CONFIG, as_of=AS_OF)
    assert evaluate(list(reversed(SEED)), CONFIG, as_of=AS_OF) == first
    assert evaluate(SEED + SEED, CONFIG, as_of=AS_OF) == first  # one fact reported twice
    fingerprints = [alert.fingerprint for alert in first]
    assert len(set(fingerprints)) == len(fingerprints)
    assert first == sorted(
        first, key=lambda alert: (alert.fired_on, alert.marker, alert.fingerprint)
    )


@settings(max_examples=25, deadline=None)
@given(st.permutations(SEED))
def test_any_order_of_the_history_gives_the_same_alerts(history: list[Observation]) -> None:
    assert evaluate(history, CONFIG, as_of=AS_OF) == evaluate(SEED, CONFIG, as_of=AS_OF)


def test_an_earlier_as_of_replays_only_what_was_known() -> None:
    alerts = evaluate(SEED, CONFIG, as_of=date(2024, 9, 1))
    assert max(alert.fired_on for alert in alerts) <= date(2024, 9, 1)
    assert not [a for a in alerts if a.observation_key == "force_size_decree:2024-09-16"]
    # A fingerprint does not depend on when the evaluation ran.
    later = {alert.fingerprint for alert in evaluate(SEED, CONFIG, as_of=AS_OF)}
    assert {alert.fingerprint for alert in alerts} <= later


def test_thresholds_come_from_the_markers_file(tmp_path: Path) -> None:
    strict = config_with(tmp_path, "critical_excess = 0.15", "critical_excess = 0.02")
    spring_2025 = [
        alert
        for alert in evaluate(SEED, strict, as_of=AS_OF)
        if alert.observation_key == "callup_decree:2025-spring"
    ]
    assert [alert.severity for alert in spring_2025] == [Severity.CRITICAL]
    short = config_with(tmp_path, "red_days = 90", "red_days = 30")
    falls = [
        alert.fired_on
        for alert in evaluate(SEED, short, as_of=AS_OF)
        if alert.marker == "risk_level_change" and alert.severity is Severity.INFO
    ]
    assert date(2022, 11, 18) in falls  # 30 days after the martial-law decrees


def test_registry_lists_the_federal_and_money_markers() -> None:
    assert set(MARKERS) == {
        "mobilisation_declared",
        "martial_law",
        "callup_size_anomaly",
        "callup_timing_anomaly",
        "discharge_withheld",
        "force_size_increase",
        "service_term_change",
        "reservist_callup",
        "conscripts_in_combat",
        "federal_bonus_change",
        "regional_bonus_escalation",
        "regional_bonus_record",
        "regional_bonus_cut",
    }
    for marker_id, marker in MARKERS.items():
        assert {alert.marker for alert in marker(SEED, CONFIG, as_of=AS_OF)} <= {marker_id}


# One marker at a time, on small histories.


def spring_baseline() -> list[Observation]:
    """Spring 2015–2024 at 100,000, but 120,000 in 2019; a large autumn beside them."""
    history = [callup(year, "spring", 100_000) for year in range(2015, 2025) if year != 2019]
    return [*history, callup(2019, "spring", 120_000), callup(2024, "autumn", 500_000)]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (120_000, []),
        (120_001, [Severity.WARNING]),
        (137_999, [Severity.WARNING]),
        (138_000, [Severity.CRITICAL]),  # 15 % above the 2019 maximum
    ],
)
def test_callup_size_against_the_same_season(size: int, expected: list[Severity]) -> None:
    history = [*spring_baseline(), callup(2025, "spring", size)]
    alerts = [
        alert
        for alert in callup_size_anomaly(history, CONFIG, as_of=AS_OF)
        if alert.observation_key == "callup_decree:2025-spring"
    ]
    assert [alert.severity for alert in alerts] == expected
    if alerts:
        assert "spring maximum of 120,000 (2019)" in alerts[0].title
        assert alerts[0].fired_on == date(2025, 3, 31)


def test_callup_size_looks_back_ten_years_only() -> None:
    history = [callup(2014, "spring", 200_000), *spring_baseline(), callup(2025, "spring", 130_000)]
    alerts = callup_size_anomaly(history, CONFIG, as_of=AS_OF)
    # 2014 is outside the ten years before 2025, but inside those before 2019 and 2024.
    assert [alert.observation_key for alert in alerts] == ["callup_decree:2025-spring"]


def test_callup_size_needs_a_baseline() -> None:
    assert callup_size_anomaly([callup(2025, "spring", 900_000)], CONFIG, as_of=AS_OF) == []


def test_callup_timing_moved_period() -> None:
    moved = callup(2022, "autumn", 120_000, period=(date(2022, 11, 1), date(2022, 12, 31)))
    [alert] = callup_timing_anomaly([moved], CONFIG, as_of=date(2022, 12, 31))
    assert alert.severity is Severity.WARNING
    assert alert.fired_on == date(2022, 9, 30)
    assert "runs 1 Nov – 31 Dec 2022, not the usual 1 Oct – 31 Dec 2022" in alert.title


@pytest.mark.parametrize(
    ("signed", "late"), [(date(2021, 10, 1), False), (date(2021, 10, 2), False)]
)
def test_callup_timing_signed_on_time(signed: date, late: bool) -> None:
    history = [callup(2021, "autumn", 127_500, signed=signed)]
    assert callup_timing_anomaly(history, CONFIG, as_of=date(2021, 12, 31)) == []


def test_callup_timing_signed_late() -> None:
    history = [callup(2021, "autumn", 127_500, signed=date(2021, 10, 3))]
    [alert] = callup_timing_anomaly(history, CONFIG, as_of=date(2021, 10, 3))
    assert "was signed on 3 Oct 2021, after the usual start 1 Oct 2021" in alert.title


def test_missing_autumn_decree_by_8_october() -> None:
    history = [callup(2026, "spring", 150_000)]
    assert callup_timing_anomaly(history, CONFIG, as_of=date(2026, 10, 7)) == []
    [alert] = callup_timing_anomaly(history, CONFIG, as_of=date(2026, 10, 8))
    assert (alert.severity, alert.fired_on) == (Severity.WARNING, date(2026, 10, 8))
    assert alert.title.startswith("No decree for the autumn 2026 call-up by 8 Oct 2026")
    assert alert.observation_key is None


def test_a_decree_published_after_the_grace_still_leaves_the_gap_on_record() -> None:
    history = [
        callup(2026, "spring", 150_000),
        callup(2026, "autumn", 130_000, signed=date(2026, 10, 8)),
    ]
    alerts = callup_timing_anomaly(history, CONFIG, as_of=date(2026, 12, 31))
    assert sorted(alert.fired_on for alert in alerts) == [date(2026, 10, 8), date(2026, 10, 8)]
    assert (
        callup_timing_anomaly([*history[:1], callup(2026, "autumn", 1)], CONFIG, as_of=AS_OF) == []
    )


def test_missing_decrees_are_checked_from_the_first_campaign_only() -> None:
    history = [callup(2025, "autumn", 135_000)]
    alerts = callup_timing_anomaly(history, CONFIG, as_of=date(2026, 5, 1))
    # From 2026 the year's campaign is one annual decree, due by 1 January (+ grace).
    assert [(alert.fired_on, alert.title[:40]) for alert in alerts] == [
        (date(2026, 1, 8), "No decree for the 2026 annual call-up by")
    ]


def test_discharge_withheld() -> None:
    lacking = callup(2025, "autumn", 135_000, discharge=False)
    unknown = callup(2025, "spring", 160_000, discharge=None)
    suspended = act(Indicator.SERVICE_LAW, date(2025, 11, 1), "1-ФЗ", discharge_suspended=True)
    alerts = discharge_withheld([unknown, lacking, suspended], CONFIG, as_of=AS_OF)
    assert fired(alerts) == [
        ("discharge_withheld", Severity.CRITICAL, lacking.event_date),
        ("discharge_withheld", Severity.CRITICAL, date(2025, 11, 1)),
    ]
    assert "orders no discharge" in alerts[0].title
    assert "suspended by service law No. 1-ФЗ" in alerts[1].title


@pytest.mark.parametrize(
    ("servicemen", "expected"),
    [(1_100_000, Severity.CRITICAL), (1_099_999, Severity.WARNING), (1_000_001, Severity.WARNING)],
)
def test_force_size_increase(servicemen: int, expected: Severity) -> None:
    history = [force_size(date(2020, 1, 1), 1_000_000), force_size(date(2021, 1, 1), servicemen)]
    [alert] = force_size_increase(history, CONFIG, as_of=AS_OF)
    assert alert.severity is expected
    assert alert.fired_on == date(2021, 1, 1)


def test_force_size_compares_with_the_previous_decree_only() -> None:
    history = [
        force_size(date(2024, 9, 16), 1_500_000),
        force_size(date(2022, 8, 25), None, {"servicemen": 1_150_628}),
        force_size(date(2025, 1, 1), 1_400_000),  # a cut: no alert
        force_size(date(2023, 12, 1), 1_320_000),
    ]
    alerts = force_size_increase(history, CONFIG, as_of=AS_OF)
    assert [alert.title for alert in alerts] == [
        "Force size raised by 169,372 to 1,320,000 servicemen (+14.7 %)",
        "Force size raised by 180,000 to 1,500,000 servicemen (+13.6 %)",
    ]


def test_mobilisation_and_martial_law_are_always_critical() -> None:
    history = [
        act(Indicator.MOBILISATION_DECREE, date(2022, 9, 21), "647"),
        act(Indicator.MARTIAL_LAW_DECREE, date(2022, 10, 19), "756", regime="martial_law"),
        act(Indicator.SERVICE_LAW, date(2023, 4, 14), "127-ФЗ"),
    ]
    [mobilisation] = mobilisation_declared(history, CONFIG, as_of=AS_OF)
    assert mobilisation.title == "Mobilisation decree No. 647 of 21 Sep 2022"
    [martial] = martial_law(history, CONFIG, as_of=AS_OF)
    assert martial.title == "Martial law decree No. 756 of 19 Oct 2022: martial law"
    assert {mobilisation.severity, martial.severity} == {Severity.CRITICAL}
    assert martial.evidence == (
        Evidence(url="http://example.test/756", quote="…", source="test", title="Указ"),
    )


def test_fingerprint_is_the_fact_and_its_figure() -> None:
    base = [force_size(date(2020, 1, 1), 1_000_000)]
    [first] = force_size_increase(
        [*base, force_size(date(2021, 1, 1), 1_100_000)], CONFIG, as_of=AS_OF
    )
    reread = replace(force_size(date(2021, 1, 1), 1_100_000), source="another", url="http://x")
    [again] = force_size_increase([*base, reread], CONFIG, as_of=AS_OF)
    [corrected] = force_size_increase(
        [*base, force_size(date(2021, 1, 1), 1_200_000)], CONFIG, as_of=AS_OF
    )
    assert first.fingerprint == again.fingerprint != corrected.fingerprint


# The composite level.


def alert(marker: str, severity: Severity, fired_on: date, **extra: str) -> Alert:
    return Alert(
        marker=marker,
        severity=severity,
        title=marker,
        fingerprint=f"{marker}:{fired_on}",
        fired_on=fired_on,
        evidence=(Evidence(url=f"http://example.test/{marker}", quote="…"),),
        **extra,
    )


DAY = date(2025, 1, 1)


def days(n: int) -> date:
    return DAY + timedelta(days=n)


def test_red_lasts_red_days_after_the_last_critical() -> None:
    alerts = [alert("martial_law", CRIT, days(0)), alert("mobilisation_declared", CRIT, days(10))]
    assert risk_level_at(alerts, days(-1), CONFIG) is RiskLevel.GREEN
    assert risk_level_at(alerts, days(0), CONFIG) is RiskLevel.RED
    assert risk_level_at(alerts, days(99), CONFIG) is RiskLevel.RED
    assert risk_level_at(alerts, days(100), CONFIG) is RiskLevel.GREEN
    assert risk_timeline(alerts, days(365), CONFIG) == [
        (days(0), RiskLevel.RED),
        (days(100), RiskLevel.GREEN),
    ]


def test_amber_needs_two_warnings_within_amber_days() -> None:
    one = [alert("force_size_increase", WARN, days(0))]
    assert risk_timeline(one, days(365), CONFIG) == []
    apart = [*one, alert("callup_size_anomaly", WARN, days(60))]
    assert risk_timeline(apart, days(365), CONFIG) == []
    close = [*one, alert("callup_size_anomaly", WARN, days(59))]
    assert risk_timeline(close, days(365), CONFIG) == [
        (days(59), RiskLevel.AMBER),
        (days(60), RiskLevel.GREEN),
    ]


def test_red_decays_to_amber_then_green() -> None:
    alerts = [
        alert("martial_law", CRIT, days(0)),
        alert("callup_size_anomaly", WARN, days(50)),
        alert("callup_timing_anomaly", WARN, days(60)),
    ]
    assert risk_timeline(alerts, days(365), CONFIG) == [
        (days(0), RiskLevel.RED),
        (days(90), RiskLevel.AMBER),
        (days(110), RiskLevel.GREEN),
    ]
    reading = risk_reading_at(alerts, days(95), CONFIG)
    assert [item.marker for item in reading.behind] == [
        "callup_size_anomaly",
        "callup_timing_anomaly",
    ]
    changes = risk_level_changes(alerts, CONFIG, until=days(365))
    assert fired(changes) == [
        ("risk_level_change", WARN, days(0)),
        ("risk_level_change", INFO, days(90)),
        ("risk_level_change", INFO, days(110)),
    ]
    assert changes[0].title == (
        "Risk level RED (was GREEN): 1 critical alert in the last 90 days (martial_law)"
    )
    assert changes[0].evidence == alerts[0].evidence
    assert changes[1].title.startswith("Risk level AMBER (was RED): 2 warnings in the last 60 days")


def test_changes_stop_at_until_and_ignore_levels_and_operator_alerts() -> None:
    alerts = [
        alert("martial_law", CRIT, days(0)),
        alert("risk_level_change", CRIT, days(200)),
        alert("source_failing", CRIT, days(200), audience="operator"),
    ]
    assert fired(risk_level_changes(alerts, CONFIG, until=days(89))) == [
        ("risk_level_change", WARN, days(0))
    ]
    assert len(risk_level_changes(alerts, CONFIG, until=days(365))) == 2
    assert risk_level_at(alerts, days(200), CONFIG) is RiskLevel.GREEN

"""The seeded history: every fact of docs/facts.md the baselines start from, as observations."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from mobwatch.indicators.model import Confidence, Indicator, Observation
from mobwatch.store.seed import DEFAULT_HISTORY_FILE, SEED_SOURCE, SeedError, load_seed_history


@pytest.fixture(scope="module")
def seed() -> list[Observation]:
    return load_seed_history()


def callups(seed: list[Observation]) -> dict[str, Observation]:
    return {obs.campaign: obs for obs in seed if obs.indicator is Indicator.CALLUP_DECREE}


def test_every_fact_is_seeded_once(seed: list[Observation]) -> None:
    counts = Counter(obs.indicator for obs in seed)
    assert counts == {
        Indicator.CALLUP_DECREE: 25,  # spring and autumn 2014–2025, and the year 2026
        Indicator.FORCE_SIZE_DECREE: 6,
        Indicator.MOBILISATION_DECREE: 1,
        Indicator.MARTIAL_LAW_DECREE: 2,
        Indicator.SERVICE_LAW: 3,  # 2023-04-14, 2023-08-04, 2025-11-04
        Indicator.RESERVIST_CALLUP: 3,  # the 2025 law and decree, a training decree
    }
    # No two rows are the same real-world fact.
    assert len({obs.key for obs in seed}) == len(seed)


def test_seeded_rows_are_never_official(seed: list[Observation]) -> None:
    assert {obs.source for obs in seed} == {SEED_SOURCE}
    assert {obs.confidence for obs in seed} == {Confidence.REPORTED, Confidence.UNVERIFIED}
    assert all(obs.evidence.startswith("facts.md: ") for obs in seed)
    assert all(obs.url == "" for obs in seed)


def test_callup_campaigns(seed: list[Observation]) -> None:
    by_campaign = callups(seed)
    assert sorted(by_campaign) == [
        *(f"{year}-{season}" for year in range(2014, 2026) for season in ("autumn", "spring")),
        "2026-year",
    ]
    autumn_2024 = by_campaign["2024-autumn"]
    assert (autumn_2024.document_number, autumn_2024.value) == ("822", 133_000)
    assert autumn_2024.confidence is Confidence.REPORTED
    assert autumn_2024.event_date == date(2024, 9, 30)
    assert autumn_2024.title.startswith("О призыве в октябре – декабре 2024 г. граждан")
    # Decree numbers no report gives are left empty; dates marked "(check)" are unverified.
    spring_2025 = by_campaign["2025-spring"]
    assert spring_2025.document_number is None
    assert spring_2025.confidence is Confidence.REPORTED
    assert spring_2025.value == 160_000
    assert by_campaign["2024-spring"].confidence is Confidence.UNVERIFIED
    # The revision of December 2026: corrected sizes, dates and numbers.
    assert by_campaign["2014-spring"].value == 154_000
    assert by_campaign["2015-autumn"].value == 147_100
    assert by_campaign["2019-autumn"].value == 132_500
    assert by_campaign["2019-autumn"].confidence is Confidence.UNVERIFIED
    assert by_campaign["2017-spring"].event_date == date(2017, 3, 30)
    assert by_campaign["2017-autumn"].event_date == date(2017, 9, 27)
    assert by_campaign["2021-spring"].event_date == date(2021, 3, 29)
    assert by_campaign["2022-autumn"].document_number == "691"
    assert by_campaign["2025-autumn"].document_number == "690"
    assert (spring_2025.period_start, spring_2025.period_end) == (
        date(2025, 4, 1),
        date(2025, 7, 15),
    )
    assert all(obs.details == {"discharge_ordered": True} for obs in by_campaign.values())
    assert all(obs.unit == "persons" for obs in by_campaign.values())


def test_the_first_annual_call_up(seed: list[Observation]) -> None:
    annual = callups(seed)["2026-year"]
    assert (annual.event_date, annual.value) == (date(2025, 12, 29), 261_000)
    assert (annual.period_start, annual.period_end) == (date(2026, 1, 1), date(2026, 12, 31))


def test_autumn_2022_was_moved_to_november(seed: list[Observation]) -> None:
    autumn_2022 = callups(seed)["2022-autumn"]
    assert autumn_2022.value == 120_000
    assert (autumn_2022.period_start, autumn_2022.period_end) == (
        date(2022, 11, 1),
        date(2022, 12, 31),
    )


def test_the_ten_autumns_the_report_cites(seed: list[Observation]) -> None:
    """ "A minimum of 120,000 in 2022, a maximum of 152,000 in 2016" (the report)."""
    autumns = {
        int(campaign[:4]): obs.value
        for campaign, obs in callups(seed).items()
        if campaign.endswith("autumn") and 2014 <= int(campaign[:4]) <= 2023
    }
    assert len(autumns) == 10
    assert autumns[2016] == 152_000
    assert min(autumns.items(), key=lambda item: item[1]) == (2022, 120_000)
    assert max(size for year, size in autumns.items() if year != 2014) == 152_000
    # docs/facts.md confirms autumn 2014 at 154,100: above the report's range.
    autumn_2014 = callups(seed)["2014-autumn"]
    assert autumn_2014.value == 154_100
    assert autumn_2014.confidence is Confidence.REPORTED


def test_force_size_decrees(seed: list[Observation]) -> None:
    decrees = [obs for obs in seed if obs.indicator is Indicator.FORCE_SIZE_DECREE]
    assert [(obs.event_date, obs.value) for obs in decrees] == [
        (date(2017, 3, 28), 1_013_628),
        (date(2017, 11, 17), 1_013_628),
        (date(2022, 8, 25), 1_150_628),
        (date(2023, 12, 1), 1_320_000),
        (date(2024, 9, 16), 1_500_000),
        (date(2026, 3, 4), 1_502_640),
    ]
    decrees = decrees[1:]  # from November 2017
    august_2022 = decrees[1]
    assert august_2022.document_number == "575"
    assert august_2022.confidence is Confidence.UNVERIFIED  # the number is to be checked
    assert august_2022.period_start == date(2023, 1, 1)  # the effective date
    assert august_2022.details == {"total_strength": 2_039_758, "servicemen": 1_150_628}
    assert decrees[0].document_number == "555"
    assert decrees[0].confidence is Confidence.UNVERIFIED
    assert decrees[2].period_start == decrees[2].event_date  # "on signing"


def test_mobilisation_martial_law_and_service_laws(seed: list[Observation]) -> None:
    acts = {
        (obs.indicator, obs.document_number): obs
        for obs in seed
        if obs.indicator is not Indicator.CALLUP_DECREE
        and obs.indicator is not Indicator.FORCE_SIZE_DECREE
    }
    assert acts[(Indicator.MOBILISATION_DECREE, "647")].event_date == date(2022, 9, 21)
    martial = [acts[(Indicator.MARTIAL_LAW_DECREE, number)] for number in ("756", "757")]
    assert {obs.event_date for obs in martial} == {date(2022, 10, 19)}
    assert all(obs.details.get("regime") for obs in martial)
    laws = sorted(obs.event_date for obs in seed if obs.indicator is Indicator.SERVICE_LAW)
    assert laws == [date(2023, 4, 14), date(2023, 8, 4), date(2025, 11, 4)]
    response = acts[(Indicator.MARTIAL_LAW_DECREE, "757")].details
    assert response["regime"] == "response_levels"
    assert "Курская область" in response["levels"]["medium_response"]
    assert "Курская область" not in acts[(Indicator.MARTIAL_LAW_DECREE, "756")].details["regions"]


def test_service_laws_carry_what_they_change(seed: list[Observation]) -> None:
    kinds = {
        obs.event_date: {change["kind"]: change["widens"] for change in obs.details["changes"]}
        for obs in seed
        if obs.indicator is Indicator.SERVICE_LAW
    }
    assert kinds[date(2023, 4, 14)] == {"summons": False}
    assert kinds[date(2023, 8, 4)] == {"ages": True}
    assert kinds[date(2025, 11, 4)] == {"year_round": False, "reporting_time": False}


def test_reservist_assemblies(seed: list[Observation]) -> None:
    assemblies = {
        obs.event_date: obs.details["assembly"]
        for obs in seed
        if obs.indicator is Indicator.RESERVIST_CALLUP
    }
    assert assemblies == {
        date(2025, 1, 28): "training",
        date(2025, 11, 4): "law",
        date(2025, 12, 30): "special",
    }


def test_a_broken_row_names_the_file_and_line(tmp_path: Path) -> None:
    lines = DEFAULT_HISTORY_FILE.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "history.csv"
    broken.write_text("\n".join([lines[0], lines[1].replace("2014-03-31", "31.03.2014")]) + "\n")
    with pytest.raises(SeedError, match=r"history\.csv:2: "):
        load_seed_history(broken)


def test_a_missing_column_is_an_error(tmp_path: Path) -> None:
    lines = DEFAULT_HISTORY_FILE.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "history.csv"
    broken.write_text(lines[0].replace("discharge_ordered", "discharge") + "\n")
    with pytest.raises(SeedError, match="missing columns discharge_ordered"):
        load_seed_history(broken)

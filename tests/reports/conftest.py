"""The demo's history (the sample sources read into a store) and reports written from it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from mobwatch.demo.server import LoopbackServer
from mobwatch.fetching.client import HttpClient
from mobwatch.flows.demo import DEMO_SINCE, SAMPLES, write_demo_sources
from mobwatch.indicators.model import Confidence, Indicator, Observation
from mobwatch.indicators.rules.config import MarkerConfig, load_marker_config
from mobwatch.pipeline.settings import load_sources
from mobwatch.pipeline.stages import read_source
from mobwatch.reports.build import Report, build_report
from mobwatch.reports.files import ReportFiles, write_report
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store

AS_OF = date(2026, 6, 1)


@pytest.fixture(scope="session")
def demo_history(tmp_path_factory: pytest.TempPathFactory) -> list[Observation]:
    """What `mobwatch demo` stores: the seeded facts and the sample sources, read once."""
    root = tmp_path_factory.mktemp("demo")
    store = Store.open(f"sqlite:///{root / 'mobwatch.db'}")
    seed_store(store)
    with LoopbackServer.from_directory(SAMPLES) as server, HttpClient(validators=store) as client:
        for source in load_sources(write_demo_sources(server.url, root)):
            report = read_source(source, client=client, store=store, since=DEMO_SINCE)
            assert report.error is None, report.error
    history = store.observations()
    store.close()
    return history


PAYMENTS = (Indicator.FEDERAL_BONUS, Indicator.REGIONAL_BONUS)


def without_payments(history: list[Observation]) -> list[Observation]:
    """The history less its signing payments, for tests that bring their own."""
    return [obs for obs in history if obs.indicator not in PAYMENTS]


@pytest.fixture(scope="session")
def as_of() -> date:
    return AS_OF


@pytest.fixture(scope="session")
def config() -> MarkerConfig:
    return load_marker_config()


@pytest.fixture
def out(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "reports"


HOSTILE_TITLES = (
    '<script>alert("title")</script>Выплата',
    "<img src=x onerror=alert(1)>Выплата",
)


def payment(
    indicator: Indicator, day: date, value: int, region: str | None, title: str = "Выплата"
) -> Observation:
    return Observation(
        indicator=indicator,
        event_date=day,
        title=title,
        url=f"https://news.example/{region}/{day}",
        source="test",
        evidence=f"{value} рублей",
        value=value,
        unit="RUB",
        region=region,
        confidence=Confidence.REPORTED,
    )


def money_history() -> list[Observation]:
    start = date(2025, 1, 10)
    rows = [
        payment(Indicator.FEDERAL_BONUS, date(2022, 9, 21), 195_000, None),
        payment(Indicator.FEDERAL_BONUS, date(2024, 8, 1), 400_000, None),
        payment(Indicator.REGIONAL_BONUS, start, 100_000, "RU-BEL"),
        payment(Indicator.REGIONAL_BONUS, start + timedelta(days=100), 300_000, "RU-BEL"),
        payment(Indicator.REGIONAL_BONUS, start, 500_000, "RU-MOW"),
        payment(Indicator.REGIONAL_BONUS, start + timedelta(days=400), 1_900_000, "RU-MOW"),
        payment(Indicator.REGIONAL_BONUS, start + timedelta(days=30), 800_000, "RU-SPE"),
        payment(Indicator.REGIONAL_BONUS, start + timedelta(days=420), 600_000, "RU-SPE"),
    ]
    hostile = [
        payment(Indicator.REGIONAL_BONUS, start + timedelta(days=410), 250_000, "RU-KRS", title)
        for title in HOSTILE_TITLES[:1]
    ]
    hostile.append(
        Observation(
            indicator=Indicator.REGIONAL_BONUS,
            event_date=start + timedelta(days=411),
            title=HOSTILE_TITLES[1],
            url="javascript:alert(1)",
            source="test",
            evidence="",
            value=260_000,
            unit="RUB",
            region="RU-BRY",
        )
    )
    return rows + hostile


@pytest.fixture(scope="session")
def money_report(
    demo_history: list[Observation],
    config: MarkerConfig,
    as_of: date,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Report, ReportFiles]:
    """The demo history with payments (some titles hostile), written once for these tests."""
    report = build_report([*without_payments(demo_history), *money_history()], config, as_of=as_of)
    return report, write_report(report, tmp_path_factory.mktemp("money") / "reports")

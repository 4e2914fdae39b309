"""The history streamed: `each_observation` and `mobwatch export` read it a batch at a time."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest

from mobwatch.cli.json_array import write_json_array
from mobwatch.cli.main import main
from mobwatch.indicators.model import Confidence, Indicator, Observation
from mobwatch.store.records import observation_to_record
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store


def payment(day: int, region: str) -> Observation:
    moment = date(2020, 1, 1) + timedelta(days=day)
    return Observation(
        indicator=Indicator.REGIONAL_BONUS,
        event_date=moment,
        title=f"Выплата контрактникам, {region}\nвторая строка «в кавычках»",
        url=f"https://example.org/{region}/{moment}",
        source="test",
        evidence=f"{100_000 + day} рублей",
        value=100_000 + day,
        unit="RUB",
        region=region,
        confidence=Confidence.REPORTED,
    )


def test_each_observation_streams_what_observations_lists_in_order(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        seed_store(store)
        # More rows than one streamed batch holds, on days the seeded history also has.
        store.seed(
            [payment(day, region) for day in range(2_100) for region in ("RU-MOW", "RU-SPE")]
        )
        assert list(store.each_observation()) == store.observations()
        bonus = str(Indicator.REGIONAL_BONUS)
        assert list(store.each_observation(bonus)) == store.observations(bonus)
    finally:
        store.close()


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_streamed_array_is_the_text_json_dump_writes(count: int) -> None:
    records = [observation_to_record(payment(day, "RU-MOW")) for day in range(count)]
    streamed = io.StringIO()
    write_json_array(iter(records), streamed)
    assert streamed.getvalue() == json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def test_export_writes_every_stored_observation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    seed_store(store)
    store.seed([payment(day, "RU-TAT") for day in range(50)])
    expected = [observation_to_record(obs) for obs in store.observations()]
    store.close()
    out = io.StringIO()
    assert main(["export", "--home", str(tmp_path), "--format", "json"], out=out) == 0
    assert json.loads(out.getvalue()) == json.loads(json.dumps(expected, default=str))
    csv_out = io.StringIO()
    assert main(["export", "--home", str(tmp_path), "--format", "csv"], out=csv_out) == 0
    rows = list(csv.DictReader(io.StringIO(csv_out.getvalue())))
    assert [row["url"] for row in rows] == [record["url"] for record in expected]

"""The seeded record of signing payments (docs/bonuses.md), the money markers' baselines."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mobwatch.indicators.model import Confidence, Indicator
from mobwatch.store.bonus_seed import DEFAULT_BONUS_FILE, load_bonus_seed
from mobwatch.store.seed import SEED_SOURCE, load_seed_history, seed_store
from mobwatch.store.store import Store


def test_every_payment_row_is_one_observation() -> None:
    seed = load_bonus_seed()
    counts = Counter(obs.indicator for obs in seed)
    assert counts[Indicator.FEDERAL_BONUS] == 2
    assert counts[Indicator.REGIONAL_BONUS] >= 80
    assert len({obs.key for obs in seed}) == len(seed)
    assert {obs.source for obs in seed} == {SEED_SOURCE}
    assert all(obs.unit == "RUB" and obs.value for obs in seed)
    regional = [obs for obs in seed if obs.indicator is Indicator.REGIONAL_BONUS]
    assert all(obs.region and obs.region.startswith("RU-") for obs in regional)
    assert all(obs.url.startswith("http") for obs in regional)


def test_weak_rows_are_unverified_and_the_federal_payments_are_facts_md() -> None:
    seed = load_bonus_seed()
    by_key = {obs.key: obs for obs in seed}
    # A B-quality row of docs/bonuses.md (Moscow oblast, mid-2024, iStories data).
    assert by_key["regional_bonus:RU-MOS:1700000:2024-07"].confidence is Confidence.UNVERIFIED
    assert by_key["regional_bonus:RU-KGN:1500000:2024-10"].confidence is Confidence.REPORTED
    belgorod = by_key["regional_bonus:RU-BEL:2600000:2024-10"]
    assert belgorod.details["derived_from_total"] and belgorod.details["total"] == 3_000_000
    decree = by_key["federal_bonus:RU:2024-07-31"]
    assert (decree.value, decree.document_number) == (400_000, "644")
    first = by_key["federal_bonus:RU:2022-11-03"]  # facts.md's revision: Decree No. 787
    assert (first.value, first.document_number) == (195_000, "787")
    assert first.confidence is Confidence.REPORTED


def test_the_store_is_seeded_with_the_payments_too(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        added = seed_store(store)
        assert added == len(load_seed_history()) + len(load_bonus_seed(DEFAULT_BONUS_FILE))
        assert len(store.observations(Indicator.REGIONAL_BONUS)) >= 80
        assert seed_store(store) == 0
    finally:
        store.close()

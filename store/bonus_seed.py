"""The seeded record of signing payments: the baselines the money markers start from.

`data/bonuses.csv` holds the federal payment (docs/facts.md) and the regional announcements of
2023–2026 that `docs/bonuses.md` gives with a regional amount (its rows without one, and the
aggregate-only rows of quality C, are left out; Belgorod's 2024 total is kept with its
regional part derived). Rows of quality A are `reported`, rows of quality B and dates
marked approximate are `unverified`: any fetched report of the same announcement wins.
Each row links the first source docs/bonuses.md cites.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from mobwatch.indicators.extract.announcements import ANNOUNCEMENT, announcement_id
from mobwatch.indicators.extract.merging import DERIVED_FROM_TOTAL
from mobwatch.indicators.model import Confidence, Evidence, Indicator, Observation

DEFAULT_BONUS_FILE = Path(__file__).resolve().parents[1] / "indicators" / "data" / "bonuses.csv"
# Seeded rows share one source name, so every reader tells the baseline from news alike
# (the digest, for one, does not count them as new); the evidence names docs/bonuses.md's row.
BONUS_SEED_SOURCE = "seed:facts.md"
RUB = "RUB"


def load_bonus_seed(path: Path | None = None) -> list[Observation]:
    """Every row of the payments seed as an observation, in file order."""
    path = path or DEFAULT_BONUS_FILE
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        rows = list(reader)
    observations = []
    for number, row in enumerate(rows, start=2):
        try:
            observations.append(_observation(row))
        except (KeyError, ValueError) as error:
            raise ValueError(f"{path}:{number}: {error}") from error
    return observations


def _observation(row: dict[str, str]) -> Observation:
    indicator = Indicator(row["indicator"])
    event_date = date.fromisoformat(row["event_date"])
    value = int(row["value"])
    region = row["region"] or None
    confidence = Confidence(row["confidence"])
    details: dict[str, Any] = {"payment": "signing"}
    if indicator is Indicator.REGIONAL_BONUS:
        if region is None:
            raise ValueError("a regional payment needs a region")
        details[ANNOUNCEMENT] = announcement_id(region, value, event_date)
    for key in ("total", "previous"):
        if row[key]:
            details[key] = int(row[key])
    if row["change"]:
        details["change"] = row["change"]
    if row["derived"] == "true":
        details[DERIVED_FROM_TOTAL] = True
    if row["date_note"]:
        details["date_note"] = row["date_note"]
    links = [Evidence(url=row["url"], quote=row["evidence"], source=BONUS_SEED_SOURCE)]
    return Observation(
        indicator=indicator,
        event_date=event_date,
        title=row["title"],
        url=row["url"],
        source=BONUS_SEED_SOURCE,
        evidence=row["evidence"],
        value=value,
        unit=RUB,
        region=region,
        period_start=_day(row["effective"]),
        period_end=_day(row["until"]),
        document_number=row["document_number"] or None,
        confidence=confidence,
        details=details,
        links=links if row["url"] else [],
    )


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None

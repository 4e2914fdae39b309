"""The seeded history: the facts the baselines start from, before any source is read.

`data/history.csv` holds the project's collected facts (call-up campaigns 2014–2025, the
force-size decrees, the mobilisation and martial-law decrees, the service laws, reservists
called to assemblies), one row per act; `data/bonuses.csv` the signing payments
(`mobwatch.store.bonus_seed`). Seeded rows are not fetched documents: they are `reported`,
or `unverified` where a figure or number could not be confirmed, so any official document
read later wins.
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from mobwatch.indicators.extract.law_changes import read_changes
from mobwatch.indicators.extract.reservists import read_reservist_callup
from mobwatch.indicators.model import Confidence, Indicator, Observation
from mobwatch.store.bonus_seed import DEFAULT_BONUS_FILE, load_bonus_seed
from mobwatch.store.store import Store

DEFAULT_HISTORY_FILE = Path(__file__).resolve().parents[1] / "indicators" / "data" / "history.csv"
SEED_SOURCE = "seed:facts.md"

COLUMNS = (
    "indicator",
    "event_date",
    "document_number",
    "period_start",
    "period_end",
    "value",
    "unit",
    "total_strength",
    "discharge_ordered",
    "regime",
    "regions",
    "confidence",
    "title",
    "evidence",
    "url",
)


class SeedError(ValueError):
    """A row of the seed file cannot be read as an observation."""


def seed_digest(path: Path | None = None, bonuses: Path | None = DEFAULT_BONUS_FILE) -> str:
    """A hash of the seed files: the store re-seeds only when one has changed."""
    digest = hashlib.sha256((path or DEFAULT_HISTORY_FILE).read_bytes())
    if bonuses is not None:
        digest.update(bonuses.read_bytes())
    return digest.hexdigest()


def seed_store(
    store: Store, path: Path | None = None, bonuses: Path | None = DEFAULT_BONUS_FILE
) -> int:
    """Add the seeded facts the store lacks, once per version of the seed files.

    `bonuses` is the signing-payments seed (`mobwatch.store.bonus_seed`); None leaves it out.
    """
    digest = seed_digest(path, bonuses)
    if store.meta("seed_digest") == digest:
        return 0
    history = load_seed_history(path)
    if bonuses is not None:
        history += load_bonus_seed(bonuses)
    added = store.seed(history)
    store.set_meta("seed_digest", digest)
    return added


def load_seed_history(path: Path | None = None) -> list[Observation]:
    """Every row of the seed file as an `Observation`, in file order."""
    path = path or DEFAULT_HISTORY_FILE
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise SeedError(f"{path}: missing columns {', '.join(missing)}")
        observations = []
        for row in reader:
            try:
                observations.append(_observation_from_row(row))
            except ValueError as error:
                raise SeedError(f"{path}:{reader.line_num}: {error}") from error
    return observations


def _observation_from_row(row: dict[str, str]) -> Observation:
    event_date = _day(row["event_date"])
    if event_date is None:
        raise ValueError("event_date is empty")
    return Observation(
        indicator=Indicator(row["indicator"]),
        event_date=event_date,
        title=row["title"],
        url=row["url"],
        source=SEED_SOURCE,
        evidence=row["evidence"],
        value=_number(row["value"]),
        unit=row["unit"] or None,
        period_start=_day(row["period_start"]),
        period_end=_day(row["period_end"]),
        document_number=row["document_number"] or None,
        confidence=Confidence(row["confidence"]),
        details=_details(row),
    )


def _details(row: dict[str, str]) -> dict[str, Any]:
    """The facts beside the headline value, named as the extraction names them."""
    details: dict[str, Any] = {}
    if row["discharge_ordered"]:
        details["discharge_ordered"] = _flag(row["discharge_ordered"])
    if row["indicator"] == Indicator.FORCE_SIZE_DECREE:
        details["total_strength"] = _number(row["total_strength"])
        details["servicemen"] = _number(row["value"])
    if row["regime"]:
        details["regime"] = row["regime"]
    if row["regions"]:
        details |= _regions(row["regime"], row["regions"])
    # What a law changes, or which assembly a decree calls, is read from the Russian words
    # the row quotes, as it would be from the act itself.
    if row["indicator"] == Indicator.SERVICE_LAW:
        changes = read_changes(row["title"], row["evidence"])
        details["changes"] = [change.as_dict() for change in changes]
    if row["indicator"] == Indicator.RESERVIST_CALLUP:
        law = "закон" in row["title"].lower()
        details |= read_reservist_callup(row["title"], row["evidence"], law=law).details
    return details


def _regions(regime: str, text: str) -> dict[str, Any]:
    """`martial_law=A|B` or `maximum_response=A|B;medium_response=C;…`: the regions an act
    names for each regime or response level, as the act reader stores them."""
    levels: dict[str, list[str]] = {}
    for part in text.split(";"):
        level, _, names = part.partition("=")
        if not level.strip():
            raise ValueError(f"regions: expected level=Region|Region, got {part!r}")
        levels[level.strip()] = [name.strip() for name in names.split("|") if name.strip()]
    named = [name for names in levels.values() for name in names]
    if regime == "martial_law":
        return {"regions": named}
    return {"regions": named, "levels": levels}


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _number(text: str) -> int | None:
    return int(text) if text else None


def _flag(text: str) -> bool:
    if text not in ("true", "false"):
        raise ValueError(f"expected true or false, got {text!r}")
    return text == "true"

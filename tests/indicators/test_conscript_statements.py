"""Statements on conscripts in combat: the labelled set's accuracy, and the observations.

`fixtures/statements/conscripts.csv` holds statements written for this project in the
manner of public reporting (each row names the page that inspired it): affirmations,
denials and unrelated uses of the words, split into a development part (the reader was
tuned on it) and a held-out part (only measured). Accuracy is printed for both.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from mobwatch.indicators.extract.statements import Stance, read_statement, statement_observation
from mobwatch.indicators.model import Confidence, Indicator
from mobwatch.parsers.base import Document

LABELLED = Path(__file__).parents[1] / "fixtures" / "statements" / "conscripts.csv"
LABELS = ("affirms", "denies", "none")
MIN_ACCURACY = 0.95


def rows(split: str) -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as file:
        return [row for row in csv.DictReader(file) if row["split"] == split]


def test_the_set_is_large_varied_and_sourced() -> None:
    every = rows("dev") + rows("heldout")
    assert len(every) >= 60
    assert {row["label"] for row in every} == set(LABELS)
    assert all(row["inspired_by"].startswith(("http://", "https://")) for row in every)
    assert len({row["text"] for row in every}) == len(every)


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_accuracy(split: str) -> None:
    labelled = rows(split)
    wrong = []
    for row in labelled:
        statement = read_statement(row["text"])
        got = str(statement.stance) if statement else "none"
        if got != row["label"]:
            wrong.append(f"  expected {row['label']}, read {got}: {row['text']}")
    right = len(labelled) - len(wrong)
    accuracy = right / len(labelled)
    print(f"\nconscripts_in_combat {split}: {accuracy:.1%} ({right}/{len(labelled)})")
    print("\n".join(wrong))
    assert accuracy >= MIN_ACCURACY


def test_a_ministry_statement_is_an_official_affirmation() -> None:
    doc = Document(
        url="https://t.me/mod_russia/50001",
        title="",
        text=(
            "Военнослужащие по призыву несут службу по охране государственной границы в "
            "Курской области, где продолжаются бои с подразделениями ВСУ."
        ),
        published=date(2024, 8, 10),
        official=True,
    )
    obs = statement_observation(doc, "tg-mod-russia")
    assert obs is not None and obs.indicator is Indicator.CONSCRIPTS_IN_COMBAT
    assert obs.details == {"stance": "affirms", "official": True, "regions": ["Курская область"]}
    assert obs.confidence is Confidence.OFFICIAL
    assert obs.evidence.startswith("Военнослужащие по призыву несут службу")


def test_a_denial_is_stored_as_a_denial() -> None:
    doc = Document(
        url="https://example.org/news/1",
        title=(
            "В Кремле назвали искажением реальности сообщения об отправке срочников в зону "
            "боевых действий"
        ),
        published=date(2024, 8, 28),
    )
    obs = statement_observation(doc, "news")
    assert obs is not None and obs.details["stance"] == str(Stance.DENIES)


def test_the_headline_decides_over_background() -> None:
    statement = read_statement(
        "Песков назвал ложными сообщения об отправке призывников в зону боевых действий",
        "Ранее сообщалось, что среди вернувшихся из плена были срочники.",
    )
    assert statement is not None and statement.stance is Stance.DENIES

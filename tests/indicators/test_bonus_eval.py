"""Field accuracy of the payment reading on a labelled set of announcements and distractors.

`data/bonus_eval.jsonl` holds realistic announcements written from the facts in
docs/bonuses.md (in our own words) and distractors: monthly pay, family payments, death and
wound compensation, recruiters' fees, other countries' money, programme budgets, news
without a payment. Each item says what a reader should take from it: the kind of payment,
the subject (ISO 3166-2), the amount in roubles (the regional part, or the federal
payment) and the date it applies from (null when the text states none). Items whose id
starts with `h-` or `x-` were written after the reader, as held-out batches.

Run with `pytest -s` to see the figures.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from mobwatch.indicators.extract.bonuses import PaymentKind, read_bonus
from mobwatch.indicators.regions import default_gazetteer
from mobwatch.parsers.base import Document

EVAL_FILE = Path(__file__).parent / "data" / "bonus_eval.jsonl"
FIELDS = ("kind", "region", "amount", "date")
THRESHOLD = 0.95
SIGNING = (PaymentKind.REGIONAL, PaymentKind.FEDERAL)


def load_items() -> list[dict]:
    with EVAL_FILE.open(encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def predict(item: dict) -> dict[str, object]:
    document = Document(
        url=f"https://example.org/{item['id']}",
        title=item["title"],
        text=item["text"],
        published=date.fromisoformat(item["published"]),
        author=item.get("channel"),
    )
    reading = read_bonus(document, default_gazetteer())
    if reading is None:
        return {"kind": "none", "region": None, "amount": None, "date": None}
    signing = reading.kind in SIGNING
    return {
        "kind": str(reading.kind),
        "region": reading.region,
        "amount": reading.amount if signing else None,
        "date": reading.effective.isoformat() if signing and reading.effective else None,
    }


def batch_of(item: dict) -> str:
    return {"h": "held-out 1", "x": "held-out 2"}.get(item["id"].split("-")[0], "development")


def test_the_set_is_large_and_varied() -> None:
    items = load_items()
    kinds = Counter(item["expected"]["kind"] for item in items)
    assert len(items) >= 80
    assert len({item["id"] for item in items}) == len(items)
    assert kinds["regional"] >= 60 and sum(kinds.values()) - kinds["regional"] >= 20
    assert {"monthly", "family", "compensation", "recruiter", "foreign", "other"} <= set(kinds)


def test_field_accuracy_is_at_least_95_percent() -> None:
    items = load_items()
    correct: Counter[tuple[str, str]] = Counter()
    counted: Counter[str] = Counter()
    misses = []
    for item in items:
        got, expected = predict(item), item["expected"]
        batch = batch_of(item)
        counted[batch] += 1
        for field in FIELDS:
            if got[field] == expected[field]:
                correct[(batch, field)] += 1
                correct[("all", field)] += 1
            else:
                wrong = f"{field} {got[field]!r}, expected {expected[field]!r}"
                misses.append(f"  {item['id']}: {wrong}")
    counted["all"] = len(items)
    print(f"\nPayment reading on {len(items)} labelled items:")
    for batch in ("development", "held-out 1", "held-out 2", "all"):
        if not counted[batch]:
            continue
        shares = {field: correct[(batch, field)] / counted[batch] for field in FIELDS}
        overall = sum(correct[(batch, field)] for field in FIELDS) / (4 * counted[batch])
        figures = ", ".join(f"{field} {share:.1%}" for field, share in shares.items())
        print(f"  {batch:<12} ({counted[batch]:>3} items): {figures}; all fields {overall:.1%}")
    if misses:
        print("Misses:\n" + "\n".join(misses))
    overall = sum(correct[("all", field)] for field in FIELDS) / (4 * len(items))
    assert overall >= THRESHOLD
    for field in FIELDS:
        assert correct[("all", field)] / len(items) >= 0.9, field


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Участникам СВО, заключившим контракт, выплачивают 50 тыс. рублей ежемесячно.", "monthly"),
        ("За каждого приведенного добровольца житель получит 30 тыс. рублей.", "recruiter"),
    ],
)
def test_distractors_make_no_regional_payment(text: str, kind: str) -> None:
    item = {"id": "t", "title": "", "text": text, "published": "2025-01-01"}
    assert predict(item)["kind"] == kind

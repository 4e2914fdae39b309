"""The payment reader's own sums and subjects against natasha's, on the press-style set.

natasha (named entities, `MoneyExtractor`) is not a dependency: this script measures
whether it should become one. For each announcement of
`tests/indicators/data/bonus_press_eval.jsonl` it asks:

* sums: is the expected amount among the rouble sums found (`extract.money.read_money`
  versus natasha's `MoneyExtractor`)? Amounts the text never states (a total less its parts,
  a multiple of the old amount) are misses for both: they are derived later.
* subject: is the subject right (`extract.subjects.find_subject` versus natasha's first
  location that the gazetteer knows, else its first person the heads table knows)?

Run in an environment with both installed, e.g.:

    python3 -m venv /tmp/nlp && /tmp/nlp/bin/pip install natasha -e .
    /tmp/nlp/bin/python bench/natasha_compare.py
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from mobwatch.indicators.extract.money import RUB, read_money
from mobwatch.indicators.extract.subjects import default_heads, find_subject, head_in
from mobwatch.indicators.regions import Gazetteer, default_gazetteer
from mobwatch.indicators.russian import split_sentences
from mobwatch.parsers.base import Document

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests/indicators/data/bonus_press_eval.jsonl"


def main() -> None:
    try:
        from natasha import (  # optional: measured here, never a dependency
            Doc,
            MoneyExtractor,
            MorphVocab,
            NewsEmbedding,
            NewsNERTagger,
            Segmenter,
        )
    except ImportError:
        raise SystemExit("natasha is not installed here: see the module docstring") from None
    started = time.perf_counter()
    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())
    money = MoneyExtractor(MorphVocab())
    print(f"natasha loaded in {time.perf_counter() - started:.1f} s")
    gazetteer = default_gazetteer()
    scores: Counter[tuple[str, str]] = Counter()
    spent: Counter[str] = Counter()
    for line in EVAL_FILE.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        expected = item["expected"]
        if expected["kind"] != "regional":
            continue
        split = "held-out" if hashlib.sha256(item["id"].encode()).digest()[0] % 3 == 0 else "dev"
        day = date.fromisoformat(item["published"])
        text = f"{item['title']}\n{item['text']}".strip()
        document = Document(
            url=item["id"],
            title=item["title"],
            text=item["text"],
            published=day,
            author=item.get("channel"),
            author_title=item.get("channel_title"),
        )

        started = time.perf_counter()
        ours = {m.value for s in split_sentences(text) for m in read_money(s) if m.currency == RUB}
        subject = find_subject(document, None, gazetteer)
        spent["ours"] += time.perf_counter() - started

        started = time.perf_counter()
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        theirs = {int(m.fact.amount) for m in money(text) if m.fact.currency == RUB}
        region = _natasha_region(doc.spans, day, gazetteer)
        spent["natasha"] += time.perf_counter() - started

        scores[(split, "items")] += 1
        scores[(split, "sum: reader")] += expected["amount"] in ours
        scores[(split, "sum: natasha")] += expected["amount"] in theirs
        found = subject.region.code if subject else None
        scores[(split, "subject: reader")] += found == expected["region"]
        scores[(split, "subject: natasha")] += region == expected["region"]
    for split in ("dev", "held-out"):
        n = scores[(split, "items")]
        figures = ", ".join(
            f"{name} {scores[(split, name)]}/{n}"
            for name in ("sum: reader", "sum: natasha", "subject: reader", "subject: natasha")
        )
        print(f"{split:<9} ({n} announcements): {figures}")
    print(f"time: reader {spent['ours']:.2f} s, natasha {spent['natasha']:.2f} s")


def _natasha_region(spans: list[Any], day: date, gazetteer: Gazetteer) -> str | None:
    for span in spans:
        if span.type == "LOC" and (found := gazetteer.find(span.text)):
            return found[0].region.code
    for span in spans:
        if span.type == "PER" and (head := head_in(span.text, day, default_heads())):
            return head[0].region
    return None


if __name__ == "__main__":
    main()

"""Every fact a batch of documents states, one observation per real-world fact.

One extractor per kind of fact, shared by every parser: federal acts (`extract.acts`),
bills in the Duma (`extract.bills`), regional payments for signing a contract
(`extract.bonus_reports`) and statements on conscripts in combat (`extract.statements`).
A document that is an act or a bill is not read again as an announcement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from mobwatch.indicators.extract.act_identity import resolve_act
from mobwatch.indicators.extract.acts import merge, read_act
from mobwatch.indicators.extract.bills import is_bill, read_bill
from mobwatch.indicators.extract.bonus_reports import bonus_observation, by_address
from mobwatch.indicators.extract.statements import statement_observation
from mobwatch.indicators.model import Observation
from mobwatch.indicators.regions import Gazetteer, default_gazetteer
from mobwatch.parsers.base import Document


def read_facts(
    documents: Iterable[Document], source: str, gazetteer: Gazetteer | None = None
) -> list[Observation]:
    """Documents to observations; reports of one fact within the batch merged (an act
    reported with and without its number included: `extract.act_identity`)."""
    documents = list(documents)
    if not documents:
        return []  # a pass that read nothing new does not load the dictionaries (~40 MB)
    gazetteer = gazetteer or default_gazetteer()
    by_key: dict[str, Observation] = {}
    acts: set[str] = set()

    def add(observation: Observation) -> None:
        observation = resolve_act(observation, by_key.values())
        known = by_key.get(observation.key)
        by_key[observation.key] = merge(known, observation) if known else observation

    for document in documents:
        if is_bill(document):
            acts.add(document.url)
            if (bill := read_bill(document, source)) is not None:
                add(published_by(bill, document))
            continue
        if (act := read_act(document, source)) is not None:
            acts.add(document.url)
            add(act)
    for document in by_address(doc for doc in documents if doc.url not in acts):
        if (bonus := bonus_observation(document, source, gazetteer)) is not None:
            add(bonus)
        if (statement := statement_observation(document, source)) is not None:
            add(published_by(statement, document))
    return list(by_key.values())


def published_by(observation: Observation, document: Document) -> Observation:
    """The observation, public from the day its document was (what the backtest fires on),
    when its extractor did not say."""
    if observation.published is not None or document.published is None:
        return observation
    return replace(observation, published=document.published)

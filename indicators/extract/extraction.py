"""Every fact a batch of documents states, one observation per real-world fact.

One extractor per kind of fact, shared by every parser: federal acts (`extract.acts`),
bills in the Duma (`extract.bills`), regional payments for signing a contract
(`extract.bonus_reports`) and statements on conscripts in combat (`extract.statements`).
A document that is an act or a bill is not read again as an announcement.

Reading is in two steps, so a pass can read each page as it arrives, on any process
(`read_page`), and keep the merge, which depends on the order, in one place (`merge`):
each document is read on its own, or with the documents at its address read before it;
the merge reads again only the addresses whose documents were not all read together.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from mobwatch.indicators.extract.act_identity import resolve_act
from mobwatch.indicators.extract.acts import merge as merge_observations
from mobwatch.indicators.extract.acts import read_act
from mobwatch.indicators.extract.bills import is_bill, read_bill
from mobwatch.indicators.extract.bonus_reports import bonus_observation, by_address
from mobwatch.indicators.extract.statements import statement_observation
from mobwatch.indicators.model import Observation
from mobwatch.indicators.regions import Gazetteer, default_gazetteer
from mobwatch.parsers.base import Document


@dataclass(frozen=True)
class Reading:
    """What one document states, in the observations it makes."""

    act: bool  # an act or a bill: its address is not read as an announcement
    facts: tuple[Observation, ...]
    # An announcement's reading is of every document at its address up to this one
    # (`by_address`), `parts` of them; 0 when it was left for the merge.
    parts: int = 0


ReadGroups = Callable[[Sequence[Sequence[Document]]], list[Reading]]


def read_facts(
    documents: Iterable[Document], source: str, gazetteer: Gazetteer | None = None
) -> list[Observation]:
    """Documents to observations; reports of one fact within the batch merged (an act
    reported with and without its number included: `extract.act_identity`)."""
    documents = list(documents)
    if not documents:
        return []  # a pass that read nothing new does not load the dictionaries (~40 MB)
    return merge(
        documents,
        read_acts(documents, source),
        lambda groups: read_groups(groups, source, gazetteer),
    )


def read_acts(documents: Sequence[Document], source: str) -> list[Reading]:
    """The acts and bills among the documents read; every announcement left for the merge."""
    return [_act_reading(document, source) or _LEFT for document in documents]


def read_page(
    documents: Sequence[Document],
    source: str,
    *,
    follow: Collection[str] = (),
    earlier: Sequence[Document] = (),
    gazetteer: Gazetteer | None = None,
) -> list[Reading]:
    """Each of a page's documents read: an act on its own; an announcement with `earlier`
    (the documents at the page's address from pages read before) and the page's own
    documents at its address, once, at the last of them. One whose address the page links
    to is left for the merge: its own page, read later, brings the rest of it."""
    at_address: dict[str, list[Document]] = {}
    if earlier:
        at_address[earlier[0].url] = list(earlier)
    for document in documents:
        at_address.setdefault(document.url, []).append(document)
    last = {document.url: index for index, document in enumerate(documents)}
    readings = []
    for index, document in enumerate(documents):
        reading = _act_reading(document, source)
        if reading is None and last[document.url] == index and document.url not in follow:
            group = at_address[document.url]
            reading = read_announcement(group, source, gazetteer or default_gazetteer())
        readings.append(reading or _LEFT)
    return readings


def read_groups(
    groups: Sequence[Sequence[Document]], source: str, gazetteer: Gazetteer | None = None
) -> list[Reading]:
    """Each group, the documents at one address, read as one announcement."""
    if not groups:
        return []
    gazetteer = gazetteer or default_gazetteer()
    return [read_announcement(group, source, gazetteer) for group in groups]


def read_announcement(group: Sequence[Document], source: str, gazetteer: Gazetteer) -> Reading:
    """The documents at one address, as one document, read as a payment and a statement."""
    [document] = by_address(group)
    facts = []
    if (bonus := bonus_observation(document, source, gazetteer)) is not None:
        facts.append(bonus)
    if (statement := statement_observation(document, source)) is not None:
        facts.append(published_by(statement, document))
    return Reading(act=False, facts=tuple(facts), parts=len(group))


def fill_readings(
    documents: Sequence[Document],
    readings: Sequence[Reading | None],
    read: Callable[[list[Document]], list[Reading]],
) -> list[Reading]:
    """The readings, with those of the documents not read yet (None) made by `read`, in
    one call."""
    unread = [index for index, reading in enumerate(readings) if reading is None]
    done = dict(zip(unread, read([documents[index] for index in unread]), strict=True))
    return [done[index] if reading is None else reading for index, reading in enumerate(readings)]


def merge(
    documents: Sequence[Document], readings: Sequence[Reading], read_again: ReadGroups
) -> list[Observation]:
    """The readings of a batch's documents as observations: acts first, in the documents'
    order, then one announcement per address. An address whose reading is not of all its
    documents is read again, with the others needing it in one call of `read_again`."""
    by_key: dict[str, Observation] = {}

    def add(observation: Observation) -> None:
        observation = resolve_act(observation, by_key.values())
        known = by_key.get(observation.key)
        by_key[observation.key] = merge_observations(known, observation) if known else observation

    pairs = list(zip(documents, readings, strict=True))
    acts = {document.url for document, reading in pairs if reading.act}
    groups: dict[str, list[int]] = {}
    for index, (document, reading) in enumerate(pairs):
        if reading.act:
            for fact in reading.facts:
                add(fact)
        elif document.url not in acts:
            groups.setdefault(document.url, []).append(index)
    stale = [url for url, group in groups.items() if readings[group[-1]].parts != len(group)]
    again = read_again([[documents[index] for index in groups[url]] for url in stale])
    fresh = dict(zip(stale, again, strict=True))
    for url, group in groups.items():
        for fact in (fresh.get(url) or readings[group[-1]]).facts:
            add(fact)
    return list(by_key.values())


def _act_reading(document: Document, source: str) -> Reading | None:
    """The document as an act or a bill; None when it is neither."""
    if is_bill(document):
        bill = read_bill(document, source)
        return Reading(act=True, facts=() if bill is None else (published_by(bill, document),))
    if (act := read_act(document, source)) is not None:
        return Reading(act=True, facts=(act,))
    return None


_LEFT = Reading(act=False, facts=())  # an announcement left for the merge to read


def published_by(observation: Observation, document: Document) -> Observation:
    """The observation, public from the day its document was (what the backtest fires on),
    when its extractor did not say."""
    if observation.published is not None or document.published is None:
        return observation
    return replace(observation, published=document.published)

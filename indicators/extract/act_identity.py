"""One act, however many sources publish it: the identity of acts known by their number.

The legal portal lists an act with its number; the Kremlin's feed entry of the same act
often carries none (the number is on the act page it links to), and a report may come
first or last. Two reports are the same act when they are of one kind and signed the same
day, and either both give the same number, or one lacks it and their titles agree (the
title less its heading «Указ Президента … от … № …»; a title that is a bare heading says
nothing against it). The later report then takes the identity the first one was stored
under (`details["act_key"]`), so it merges into it instead of becoming a second act, and
a marker that fired on the act does not fire again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace

from mobwatch.indicators.model import ACT_KEY, Confidence, Indicator, Observation
from mobwatch.indicators.provenance import is_seed_source
from mobwatch.indicators.russian import fold

# The kinds of act whose identity rests on their number (the others: `Observation.key`).
NUMBERED = frozenset(
    {Indicator.MOBILISATION_DECREE, Indicator.MARTIAL_LAW_DECREE, Indicator.SERVICE_LAW}
)
_HEADING = re.compile(
    r"^\s*(?:указ|распоряжени\w*|постановлени\w*|федеральн\w*\s+(?:конституционн\w*\s+)?закон)"
    r"\b[^\"«“]*?(?:(?:№|n)\s*[\w-]+|(?=[\"«“])|$)",
    re.IGNORECASE,
)
_ACT_WORD = re.compile(r"^\s*(?:указ|федеральн\w*\s+закон)\b", re.IGNORECASE)
_WORD = re.compile(r"[а-яa-z0-9]+")
_NOISE = frozenset({"г", "года", "год"})  # «2022 г.» and «2022 года» are one date


def title_words(title: str) -> str:
    """The act's name without its heading, quotes or punctuation, lower case, ё as е."""
    text = fold(title).lower()
    text = _ACT_WORD.sub("", _HEADING.sub("", text, count=1), count=1)
    return " ".join(word for word in _WORD.findall(text) if word not in _NOISE)


def same_act(first: Observation, second: Observation) -> bool:
    """Whether two reports of a numbered kind of act may be one act (see the module notes)."""
    return _match(first, second) is not None


def _match(first: Observation, second: Observation) -> bool | None:
    """True: surely the same act (one number, or one name); False: possibly (a bare heading
    against a name, no numbers to tell); None: not the same."""
    if first.indicator is not second.indicator or first.event_date != second.event_date:
        return None
    if first.document_number and second.document_number:
        return True if first.document_number == second.document_number else None
    names = title_words(first.title), title_words(second.title)
    if names[0] and names[0] == names[1]:
        return True
    if _headline(first) or _headline(second):
        return False  # a news headline is not the act's name: it neither matches nor differs
    return False if not names[0] or not names[1] else None


def _headline(obs: Observation) -> bool:
    """Whether the title is a news report's headline, not an act's name."""
    return obs.confidence is not Confidence.OFFICIAL and not is_seed_source(obs.source)


def with_identity(obs: Observation) -> Observation:
    """An act reported without its number, known by its kind, day and name: two acts of one
    day (Decrees № 756 and № 757, both from the feed) stay two."""
    if obs.indicator not in NUMBERED or obs.document_number or ACT_KEY in obs.details:
        return obs
    name = hashlib.sha256(title_words(obs.title).encode()).hexdigest()[:16]
    key = f"{obs.indicator}::{obs.event_date.isoformat()}:{name}"
    return replace(obs, details={**obs.details, ACT_KEY: key})


def resolve_act(obs: Observation, known: Iterable[Observation]) -> Observation:
    """`obs` under the identity of the known report of the same act, if there is one: a
    sure match, else the only possible one (a bare heading matches one act of its day,
    never one of several)."""
    if obs.indicator not in NUMBERED:
        return obs
    obs = with_identity(obs)
    sure, possible = [], []
    for other in known:
        if other.key == obs.key:
            return obs  # already known under its own identity
        found = _match(obs, other)
        if found is True:
            sure.append(other)
        elif found is False:
            possible.append(other)
    match = sure[0] if sure else possible[0] if len(possible) == 1 else None
    if match is None:
        return obs
    return replace(obs, details={**obs.details, ACT_KEY: match.key})

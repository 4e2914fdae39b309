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

import re
from collections.abc import Iterable
from dataclasses import replace

from mobwatch.indicators.model import ACT_KEY, Indicator, Observation
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
    """Whether two reports of a numbered kind of act are one act (see the module notes)."""
    if first.indicator is not second.indicator or first.event_date != second.event_date:
        return False
    if first.document_number and second.document_number:
        return first.document_number == second.document_number
    names = title_words(first.title), title_words(second.title)
    return names[0] == names[1] or not names[0] or not names[1]


def resolve_act(obs: Observation, known: Iterable[Observation]) -> Observation:
    """`obs` under the identity of the known report of the same act, if there is one."""
    if obs.indicator not in NUMBERED:
        return obs
    for other in known:
        if other.key != obs.key and same_act(obs, other):
            return replace(obs, details={**obs.details, ACT_KEY: other.key})
    return obs

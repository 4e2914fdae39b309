"""The federal subjects as Russian sources name them, found in text in any grammatical case.

`data/regions.csv` lists the 89 subjects Russian sources count (the 85 of 2014 and the four
annexed in 2022), each with its code and the names sources use: the official name, short
forms («Свердловская обл.»), and colloquial ones («Свердловщина», «Кузбасс», «Югра»,
«Северная столица»). Codes are ISO 3166-2:RU where ISO has one; ISO lists Crimea and
Sevastopol under Ukraine and has nothing for the 2022 annexations, so for those six the
project chose `RU-CR`, `RU-SEV`, `RU-DPR`, `RU-LPR`, `RU-ZAP`, `RU-KHE` (`code_status`
`project` in the file). They are the names the sources use, not a position on status.

Matching is by lemma: every word of a name and of the text is reduced to its dictionary
forms with pymorphy3, and a name is found where the text's words carry its lemmas in order,
so «в Свердловской области», «Свердловскую область» and «Свердловщине» all read as
RU-SVE. Adjectives sharing one noun are read too («в Курганской и Тюменской областях»).
Names written in capitals (ХМАО, ЯНАО, ДНР) match only in capitals. A subject's capital
(«в Омске») is a separate, weaker lookup (`first_capital`): a city's payment is not the
region's, so callers use it only when no subject is named. Capitals that are also common
words or names (Владимир, Киров, Орёл) are left out.

`data/channels.csv` maps governors' and regional governments' Telegram channels to their
subjects (docs/sources.md §3, docs/bonuses.md); `status` says how far each was checked.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pymorphy3

DATA = Path(__file__).resolve().parent / "data"
REGIONS_FILE = DATA / "regions.csv"
CHANNELS_FILE = DATA / "channels.csv"

_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+(?:-[А-Яа-яЁёA-Za-z]+)*")
_JOINING = re.compile(r"^[\s,]*$")  # what may stand between coordinated adjectives
# Abbreviations read as the word they shorten.
_ABBREVIATIONS = {"обл": "область", "респ": "республика"}
# The nouns an adjective may share with others: «Курганской и Тюменской областях».
_SHARED_NOUNS = (("область",), ("край",), ("автономный", "округ"))
_FIRSTS_KEPT = 256  # texts whose first subject is remembered (a few documents' worth)
# Nouns after which a region's adjective names the region: «курганский губернатор»,
# «свердловские власти».
_AUTHORITIES = frozenset(
    {"губернатор", "власть", "правительство", "парламент", "депутат", "оперштаб", "минтруд"}
)


@dataclass(frozen=True)
class Region:
    code: str  # ISO 3166-2 (`RU-SVE`), or the project's code for the six ISO lacks
    name: str  # the official Russian name, nominative
    kind: str  # republic, krai, oblast, federal city, autonomous oblast, autonomous okrug
    code_status: str  # "iso" or "project"


@dataclass(frozen=True)
class RegionMention:
    region: Region
    start: int  # where the name starts in the text
    end: int
    written: str  # the name as the text writes it
    alias: str = ""  # the name in the regions table it matched («омичи», «Курултай»)


class _Token(NamedTuple):  # made for every word of every text read: a light record
    lemmas: frozenset[str]
    start: int
    end: int
    capitals: bool  # written in capitals (an abbreviation)
    upper_first: bool


@dataclass(frozen=True)
class _Alias:
    lemmas: tuple[frozenset[str], ...]
    capitals: tuple[bool, ...]  # per word: must the text write it in capitals
    upper_first: tuple[bool, ...]  # per word: must the text capitalise it
    region: Region
    name: str  # as the regions table writes it


class Gazetteer:
    """Finds federal subjects in Russian text. Build once (`default_gazetteer`) and pass
    it around: it holds the morphological analyser and a cache of the words it has read."""

    def __init__(
        self,
        regions: Iterable[tuple[Region, Iterable[str], Iterable[str]]],
        channels: dict[str, str],
        analyser: pymorphy3.MorphAnalyzer,
    ) -> None:
        self._analyser = analyser
        self._lemma_cache: dict[str, frozenset[str]] = {}
        self._firsts: dict[tuple[str, bool], Region | None] = {}  # recent texts: `_first`
        self._by_code: dict[str, Region] = {}
        self._aliases: dict[str, list[_Alias]] = {}  # first lemma → aliases starting so
        self._capitals: dict[str, list[_Alias]] = {}
        self._shared: dict[str, list[tuple[tuple[str, ...], Region]]] = {}
        for region, names, capitals in regions:
            self._by_code[region.code] = region
            for name in {region.name, *names}:
                self._add_alias(name, region, self._aliases, shared=True)
            for capital in capitals:
                self._add_alias(capital, region, self._capitals, shared=False)
        self._channels = {name.lower(): code for name, code in channels.items()}

    # --- lookups ---------------------------------------------------------------------

    @property
    def regions(self) -> list[Region]:
        return list(self._by_code.values())

    def region(self, code: str) -> Region | None:
        return self._by_code.get(code)

    def channel_region(self, channel: str | None) -> Region | None:
        """The subject a governor's or regional government's channel speaks for."""
        code = self._channels.get((channel or "").lower())
        return self._by_code.get(code) if code else None

    def find(self, text: str, *, capitals: bool = False) -> list[RegionMention]:
        """Every subject named in `text`, in order; overlapping names give the longest.

        With `capitals`, the subjects whose capital city the text names instead.
        """
        tokens = self._tokens(text)
        found: list[RegionMention] = []
        aliases = self._capitals if capitals else self._aliases
        index = 0
        while index < len(tokens):
            match = self._match_at(tokens, index, text, aliases, shared=not capitals)
            if match is None:
                index += 1
                continue
            mention, width = match
            found.append(mention)
            index += width
        return found

    def first(self, text: str) -> Region | None:
        return self._first(text, capitals=False)

    def first_capital(self, text: str) -> Region | None:
        """The subject of the first capital city named in `text` («в Омске» → RU-OMS)."""
        return self._first(text, capitals=True)

    def _first(self, text: str, *, capitals: bool) -> Region | None:
        # One announcement asks about its title and text several times (the subject it
        # speaks for, then the one of the sentence it was read from): read each once.
        # Threads share the gazetteer; a lookup lost to another's `clear` is redone.
        key = (text, capitals)
        try:
            return self._firsts[key]
        except KeyError:
            pass
        mentions = self.find(text, capitals=capitals)
        region = mentions[0].region if mentions else None
        if len(self._firsts) >= _FIRSTS_KEPT:
            self._firsts.clear()
        self._firsts[key] = region
        return region

    # --- matching --------------------------------------------------------------------

    def _match_at(
        self,
        tokens: list[_Token],
        index: int,
        text: str,
        aliases: dict[str, list[_Alias]],
        *,
        shared: bool,
    ) -> tuple[RegionMention, int] | None:
        token = tokens[index]
        best: tuple[_Alias, int] | None = None
        for lemma in token.lemmas:
            for alias in aliases.get(lemma, ()):
                width = len(alias.lemmas)
                if (best is None or width > len(best[0].lemmas)) and _fits(
                    alias, tokens[index : index + width]
                ):
                    best = (alias, width)
        if best is not None:
            alias, width = best
            end = tokens[index + width - 1].end
            written = text[token.start : end]
            return RegionMention(alias.region, token.start, end, written, alias.name), width
        coordinated = self._shared_noun_match(tokens, index, text) if shared else None
        return (coordinated, 1) if coordinated else None

    def _shared_noun_match(
        self, tokens: list[_Token], index: int, text: str
    ) -> RegionMention | None:
        """«Курганской» in «Курганской и Тюменской областях»: the adjective, whose noun
        comes after other adjectives of the same kind; or the adjective of an authority
        («курганский губернатор», «свердловские власти»), written in lower case."""
        token = tokens[index]
        candidates = [
            (noun, region) for lemma in token.lemmas for noun, region in self._shared.get(lemma, ())
        ]
        if not candidates:
            return None
        written = text[token.start : token.end]
        if index + 1 < len(tokens) and tokens[index + 1].lemmas & _AUTHORITIES:
            return RegionMention(candidates[0][1], token.start, token.end, written)
        if not token.upper_first:
            return None  # a lower-case adjective before a noun is no subject's name
        position = index + 1
        while position < len(tokens):
            gap = text[tokens[position - 1].end : tokens[position].start]
            if not _JOINING.match(gap):
                return None
            following = tokens[position]
            for noun, region in candidates:
                words = tokens[position : position + len(noun)]
                if len(words) == len(noun) and all(
                    lemma in word.lemmas for lemma, word in zip(noun, words, strict=True)
                ):
                    return RegionMention(
                        region, token.start, token.end, text[token.start : token.end]
                    )
            if "и" in following.lemmas or following.lemmas & self._shared.keys():
                position += 1
                continue
            return None
        return None

    # --- building --------------------------------------------------------------------

    def _add_alias(
        self, name: str, region: Region, index: dict[str, list[_Alias]], *, shared: bool
    ) -> None:
        words = [match.group() for match in _WORD.finditer(name)]
        if not words:
            return
        lemmas = tuple(self._lemmas(word) for word in words)
        alias = _Alias(
            lemmas=lemmas,
            capitals=tuple(len(word) > 1 and word.isupper() for word in words),
            upper_first=tuple(word[:1].isupper() for word in words),
            region=region,
            name=name,
        )
        for lemma in lemmas[0]:
            index.setdefault(lemma, []).append(alias)
        if not shared:
            return
        for noun in _SHARED_NOUNS:
            if len(words) == 1 + len(noun) and all(
                lemma in word_lemmas for lemma, word_lemmas in zip(noun, lemmas[1:], strict=True)
            ):
                for lemma in lemmas[0]:
                    self._shared.setdefault(lemma, []).append((noun, region))

    def _tokens(self, text: str) -> list[_Token]:
        tokens = []
        for match in _WORD.finditer(text):
            word = match.group()
            tokens.append(
                _Token(
                    lemmas=self._lemmas(word),
                    start=match.start(),
                    end=match.end(),
                    capitals=len(word) > 1 and word.isupper(),
                    upper_first=word[:1].isupper(),
                )
            )
        return tokens

    def _lemmas(self, word: str) -> frozenset[str]:
        """The word's dictionary forms (lower case, `е` for `ё`), and the word itself."""
        key = word.lower().replace("ё", "е")
        cached = self._lemma_cache.get(key)
        if cached is not None:
            return cached
        if key in _ABBREVIATIONS:
            lemmas = frozenset({_ABBREVIATIONS[key]})
        else:
            forms = {parse.normal_form.replace("ё", "е") for parse in self._analyser.parse(key)}
            lemmas = frozenset({key, *forms})
        self._lemma_cache[key] = lemmas
        return lemmas


def _fits(alias: _Alias, words: list[_Token]) -> bool:
    if len(words) != len(alias.lemmas):
        return False
    for lemmas, capitals, upper_first, word in zip(
        alias.lemmas, alias.capitals, alias.upper_first, words, strict=True
    ):
        if capitals and not word.capitals:
            return False
        if upper_first and not word.upper_first:
            return False
        if not lemmas & word.lemmas:
            return False
    return True


def load_regions(path: Path = REGIONS_FILE) -> list[tuple[Region, list[str], list[str]]]:
    """The regions file: each subject with the names it goes by, and its capital."""
    with path.open(encoding="utf-8", newline="") as file:
        return [
            (
                Region(row["code"], row["name"], row["kind"], row["code_status"]),
                [name.strip() for name in row["aliases"].split("|") if name.strip()],
                [row["capital"].strip()] if row["capital"].strip() else [],
            )
            for row in csv.DictReader(file)
        ]


def load_channels(path: Path = CHANNELS_FILE) -> dict[str, str]:
    """Telegram channel username → the subject's code."""
    with path.open(encoding="utf-8", newline="") as file:
        return {row["channel"]: row["region"] for row in csv.DictReader(file)}


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The project's gazetteer, built once per process.

    Building it loads the morphological dictionaries and lemmatises every name (a fraction
    of a second); the cache keeps one instance for the process. Tests that need another
    build their own `Gazetteer`; `default_gazetteer.cache_clear()` drops this one.
    """
    return Gazetteer(load_regions(), load_channels(), pymorphy3.MorphAnalyzer())


@lru_cache(maxsize=1)
def region_names() -> dict[str, str]:
    """Code → official Russian name, for alert titles (the file read once per process)."""
    return {region.code: region.name for region, _, _ in load_regions()}

"""The plain CSS selectors sources configure, matched on lxml trees as soupsieve matches them.

Sources name an article's text with selectors like `div.article__body`; matching them on
an lxml tree (`mobwatch.parsers.tree`) spares building bs4's. Only a plain subset is taken: type
selectors, `*`, `.class`, `#id`, `[attribute]`, the descendant and child combinators and
`,` lists. Anything else (attribute values, pseudo-classes, escapes) gets None from
`compile_plain`, and the caller asks soupsieve on a bs4 tree instead, so no selector ever
means something else here. Matching follows soupsieve on HTML: names compared in ASCII
lower case, classes split on whitespace, the contents of a `template` outside the
document (not searched, and an ancestor walk stops at one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import soupsieve

from mobwatch.parsers.tree import Element, has_class, tag_of

_IDENT = r"-?[A-Za-z_][A-Za-z0-9_-]*"
_COMPOUND = re.compile(
    rf"(?P<name>{_IDENT}|\*)?(?P<parts>(?:\.{_IDENT}|#{_IDENT}|\[\s*{_IDENT}\s*\])*)"
)
_PART = re.compile(rf"([.#])({_IDENT})|\[\s*({_IDENT})\s*\]")
_COMBINATOR = re.compile(r"\s*>\s*|\s+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Compound:
    name: str | None  # ASCII lower case; None for any element
    classes: tuple[str, ...]
    ids: tuple[str, ...]
    attributes: tuple[str, ...]  # present, whatever their value

    def matches(self, node: Element) -> bool:
        tag = tag_of(node)
        return (
            tag is not None
            and (self.name is None or tag.translate(_ASCII_LOWER) == self.name)
            and all(has_class(node, name) for name in self.classes)
            and all(node.get("id", "") == name for name in self.ids)
            and all(node.get(name) is not None for name in self.attributes)
        )


@dataclass(frozen=True)
class Selector:
    """One complex selector: compounds left to right, each combinator between two."""

    compounds: tuple[Compound, ...]
    combinators: tuple[str, ...]  # " " (descendant) or ">" (child)

    def matches(self, node: Element, index: int | None = None) -> bool:
        index = len(self.compounds) - 1 if index is None else index
        if not self.compounds[index].matches(node):
            return False
        if index == 0:
            return True
        parent = select_parent(node)
        if self.combinators[index - 1] == ">":
            return parent is not None and self.matches(parent, index - 1)
        while parent is not None:
            if self.matches(parent, index - 1):
                return True
            parent = select_parent(parent)
        return False


@lru_cache(maxsize=64)
def compile_plain(selector: str) -> tuple[Selector, ...] | None:
    """The selector list, or None when it is not plain (see the module docstring).

    A selector soupsieve rejects raises its error here, as `select_one` would.
    """
    soupsieve.compile(selector)
    selectors = []
    for member in selector.split(","):
        parsed = _complex(member.strip())
        if parsed is None:
            return None
        selectors.append(parsed)
    return tuple(selectors)


def _complex(text: str) -> Selector | None:
    compounds: list[Compound] = []
    combinators: list[str] = []
    position = 0
    while True:
        match = _COMPOUND.match(text, position)
        if match is None or match.end() == position:
            return None
        compounds.append(_compound(match))
        position = match.end()
        if position == len(text):
            return Selector(tuple(compounds), tuple(combinators))
        joint = _COMBINATOR.match(text, position)
        if joint is None:
            return None
        combinators.append(">" if ">" in joint.group() else " ")
        position = joint.end()


def _compound(match: re.Match[str]) -> Compound:
    name = match.group("name")
    classes, ids, attributes = [], [], []
    for part in _PART.finditer(match.group("parts")):
        if part.group(1) == ".":
            classes.append(part.group(2))
        elif part.group(1) == "#":
            ids.append(part.group(2))
        else:
            attributes.append(part.group(3).translate(_ASCII_LOWER))
    return Compound(
        name=None if name in (None, "*") else name.translate(_ASCII_LOWER),
        classes=tuple(classes),
        ids=tuple(ids),
        attributes=tuple(attributes),
    )


def select_parent(node: Element) -> Element | None:
    """The parent an ancestor walk goes to: none above the document or a `template`."""
    parent = node.getparent()
    return None if parent is None or tag_of(parent) == "template" else parent


def searched(roots: Iterable[Element]) -> Iterator[Element]:
    """The elements `select` visits, in document order: `roots` and what they hold, without
    going into a `template` (the `template` itself is visited)."""
    stack = list(roots)[::-1]
    while stack:
        node = stack.pop()
        if tag_of(node) is None:
            continue
        yield node
        if tag_of(node) != "template":
            stack.extend(reversed(node))


def select(roots: Iterable[Element], selectors: tuple[Selector, ...]) -> Iterator[Element]:
    return (node for node in searched(roots) if any(s.matches(node) for s in selectors))

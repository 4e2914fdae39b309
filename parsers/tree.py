"""HTML read with lxml's own tree: the strings BeautifulSoup would give, at a fraction of
the cost.

BeautifulSoup's "lxml" builder drives the same libxml2 parser but makes a Python object of
every node, which costs about 25 times the parse itself; on news pages it was most of the
parsers' time. Here the parsers that need no configurable CSS read lxml's tree directly,
and `strings` yields exactly what `Tag.get_text` would:

* text inside `script`, `style`, `template`, `rt` and `rp` is read only by that element
  itself (bs4 keeps it in string types other elements' `get_text` skips), comments never;
* a string of ASCII whitespace only reads as one space, or one newline if it has one,
  except inside `pre` and `textarea` (bs4 collapses them as it builds the tree);
* subtrees the bs4 code decomposed are skipped, their tails kept; with `lines`, `<br>` and
  the block elements read as the line breaks `mobwatch.parsers.text.element_text` inserts.

A document is its root and whatever libxml2 put beside it: content after `</html>` goes
into a second `html` element at the top, as in bs4's tree (`top_level`). One difference
is left, on broken markup only: a DOCTYPE in mid-page splits the text around it into two
strings in bs4's tree and not in lxml's, so `get_text(" ")` there reads one space more. Class and
attribute tests follow bs4 and soupsieve: `class` is split on any whitespace,
multi-valued attributes (`rel`) are compared joined by single spaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from typing import TypeAlias

from lxml import etree

Element: TypeAlias = etree._Element

BLOCKS = frozenset(
    {"p", "div", "li", "tr", "table", "ul", "ol", "blockquote", "pre", "section", "article"}
    | {f"h{level}" for level in range(1, 7)}
)
# bs4 keeps the text inside these in string types of their own (`strings`).
UNREAD = frozenset({"script", "style", "template", "rt", "rp"})
_PRESERVED = frozenset({"pre", "textarea"})  # whitespace kept as written
_ASCII_SPACES = frozenset("\x20\x0a\x09\x0c\x0d")


def html_tree(html: str) -> Element:
    """The document's root element, read leniently as browsers do (and as `html_soup`).

    Fed to the parser as bs4 feeds it, so an XML declaration or a stray encoding label in
    a decoded page is handled the same way. An empty document is an empty `html` element.
    """
    parser = etree.HTMLParser(no_network=True)
    parser.feed(html.removeprefix("\ufeff"))  # as bs4 does: lxml would read a BOM as text
    try:
        root = parser.close()
    except etree.XMLSyntaxError:  # nothing to parse: libxml2 reports an empty document
        root = None
    return root if root is not None else etree.Element("html")


def top_level(root: Element) -> list[Element]:
    """The document's top-level nodes in order: the root and its siblings."""
    before = list(root.itersiblings(preceding=True))[::-1]
    return [*before, root, *root.itersiblings()]


def tag_of(node: Element) -> str | None:
    """The element's name; None for comments and processing instructions."""
    return node.tag if isinstance(node.tag, str) else None


def has_class(node: Element, name: str) -> bool:
    return name in (node.get("class") or "").split()


def joined(node: Element, attribute: str) -> str | None:
    """A multi-valued attribute as bs4 and soupsieve compare it: tokens joined by a space."""
    value = node.get(attribute)
    return " ".join(value.split()) if value is not None else None


def elements(roots: Iterable[Element], *names: str) -> Iterator[Element]:
    """The elements in and under `roots`, in document order (optionally by name)."""
    for node in chain.from_iterable(root.iter(*names) for root in roots):
        if tag_of(node) is not None:
            yield node


def first(roots: Iterable[Element], name: str) -> Element | None:
    return next(elements(roots, name), None)


def inside(node: Element, names: frozenset[str]) -> bool:
    """Whether an ancestor of `node` has one of `names`."""
    return any(tag_of(parent) in names for parent in node.iterancestors())


def _as_read(text: str, preserved: bool) -> str:
    if preserved or not all(char in _ASCII_SPACES for char in text):
        return text
    return "\n" if "\n" in text else " "


def _container(node: Element) -> str | None:
    """The kind of string `node`'s own text is: its innermost `UNREAD` element, if any."""
    tag = tag_of(node)
    if tag in UNREAD:
        return tag
    return next((tag_of(up) for up in node.iterancestors() if tag_of(up) in UNREAD), None)


def strings(
    element: Element, *, dropped: frozenset[str] = frozenset(), lines: bool = False
) -> Iterator[str]:
    """The strings of `element` in document order, as bs4's `get_text` reads them.

    bs4 gives each string a kind by its innermost `UNREAD` element (a plain string outside
    any), and an element reads the strings of its own kind: a `template` its template's
    text, any other element the plain strings. Descendants named in `dropped` are left out
    with their content (bs4's `decompose`); with `lines`, a `<br>` reads as "\n" and a
    block element has "\n" on either side (plain strings, as `element_text` inserts
    them). The element's own tail is not part of it.
    """
    tag = tag_of(element)
    wanted = tag if tag in UNREAD else None
    kind = _container(element)
    kept = inside(element, _PRESERVED) or tag in _PRESERVED
    if tag is not None and kind == wanted and element.text:
        yield _as_read(element.text, kept)
    # (opening?, node, the kind of its parent's strings, whether it keeps whitespace)
    stack = [(True, child, kind, kept) for child in reversed(element)]
    inserted = wanted is None  # the line breaks `element_text` inserts are plain strings
    while stack:
        opening, node, outer, preserved = stack.pop()
        tag = tag_of(node)
        if opening and tag in dropped:
            pass
        elif opening and lines and tag == "br":
            if inserted:
                yield "\n"
        elif opening:
            if lines and inserted and tag in BLOCKS:
                yield "\n"
            inner = tag if tag in UNREAD else outer
            inner_kept = preserved or tag in _PRESERVED
            if tag is not None and inner == wanted and node.text:
                yield _as_read(node.text, inner_kept)
            stack.append((False, node, outer, preserved))
            stack.extend((True, child, inner, inner_kept) for child in reversed(node))
            continue
        elif lines and inserted and tag in BLOCKS:
            yield "\n"
        if outer == wanted and node.tail:
            yield _as_read(node.tail, preserved)


def document_strings(
    root: Element, *, dropped: frozenset[str] = frozenset(), lines: bool = False
) -> Iterator[str]:
    """`strings` of the whole document (the top-level nodes in turn)."""
    for node in top_level(root):
        if tag_of(node) is not None and tag_of(node) not in dropped:
            yield from strings(node, dropped=dropped, lines=lines)


def stripped_length(element: Element, dropped: frozenset[str] = frozenset()) -> int:
    """`len(tag.get_text(strip=True))`: each string stripped, empty ones left out."""
    return sum(len(text.strip()) for text in strings(element, dropped=dropped))

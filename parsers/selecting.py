"""A page read by the CSS selectors a sources file gives: on lxml's tree when it can be.

A regional site's list page is read with its source's selectors (`html_list`). When every
selector is in the plain subset `mobwatch.parsers.css` matches (`div.news-item`, `a[href]`,
`span.date`), the page is read on lxml's tree, which spares building bs4's (most of a
page's cost); any other selector is soupsieve's to answer, on a bs4 tree. Both readings
give the same elements and the same strings (`mobwatch.parsers.tree`), so the code that reads a
list does not know which one it has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from bs4 import Tag

from mobwatch.parsers.css import compile_plain, select
from mobwatch.parsers.text import element_text, html_soup, one_line, tree_text
from mobwatch.parsers.tree import Element, first, html_tree, strings, tag_of, top_level


class Selecting(Protocol):
    """One page, and the elements selectors find in it. Nodes are opaque to the caller."""

    def select(self, selector: str, scope: Any = None) -> list[Any]:
        """The elements matching `selector` in document order: in the page, or under
        `scope` (its descendants, as `Tag.select`)."""
        ...

    def name(self, node: Any) -> str | None: ...

    def attribute(self, node: Any, name: str) -> str | None: ...

    def line(self, node: Any) -> str:
        """The node's text on one line (`get_text(" ")`, whitespace collapsed)."""
        ...

    def text(self, node: Any) -> str:
        """The node's text with its paragraphs and line breaks (`element_text`)."""
        ...

    def title(self) -> str | None:
        """The text of the page's `<title>`, if it has one."""
        ...


def selecting(html: str, selectors: Iterable[str | None]) -> Selecting:
    """The page read on lxml's tree when every selector given is plain, else on bs4's."""
    if all(compile_plain(selector) is not None for selector in selectors if selector):
        return TreeSelecting(html)
    return SoupSelecting(html)


class TreeSelecting:
    def __init__(self, html: str) -> None:
        self._tops = top_level(html_tree(html))

    def select(self, selector: str, scope: Element | None = None) -> list[Element]:
        compiled = compile_plain(selector)
        if compiled is None:
            raise ValueError(f"not a plain selector: {selector!r}")
        return list(select(self._tops if scope is None else scope.iterchildren(), compiled))

    def name(self, node: Element) -> str | None:
        return tag_of(node)

    def attribute(self, node: Element, name: str) -> str | None:
        value = node.get(name)
        return str(value) if value is not None else None

    def line(self, node: Element) -> str:
        return one_line(" ".join(strings(node)))

    def text(self, node: Element) -> str:
        return tree_text(node)

    def title(self) -> str | None:
        found = first(self._tops, "title")
        return self.line(found) if found is not None else None


class SoupSelecting:
    def __init__(self, html: str) -> None:
        self._soup = html_soup(html)

    def select(self, selector: str, scope: Tag | None = None) -> list[Tag]:
        return list((self._soup if scope is None else scope).select(selector))

    def name(self, node: Tag) -> str | None:
        return node.name

    def attribute(self, node: Tag, name: str) -> str | None:
        value = node.get(name)
        if value is None:
            return None
        return " ".join(value) if isinstance(value, list) else str(value)

    def line(self, node: Tag) -> str:
        return one_line(node.get_text(" "))

    def text(self, node: Tag) -> str:
        return element_text(node)

    def title(self) -> str | None:
        return self.line(self._soup.title) if self._soup.title else None

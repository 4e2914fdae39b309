"""Scraped text made inert for Slack, HTML, markdown and mail headers, whatever it holds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobwatch.alerts.escape import (
    header_text,
    html_link,
    html_text,
    markdown_text,
    safe_url,
    slack_link,
    slack_text,
)

HOSTILE = st.text(
    alphabet=st.sampled_from(list("<>&|!@#\"'`*_[]()\r\n\t\x00\x1b\u2028\u202e aZя:/.")),
    max_size=60,
)


@given(HOSTILE)
def test_slack_text_has_no_control_characters_of_slack(text: str) -> None:
    escaped = slack_text(text)
    assert "<" not in escaped and ">" not in escaped
    assert re.sub(r"&(amp|lt|gt);", "", escaped).count("&") == 0


@given(HOSTILE, HOSTILE)
def test_a_slack_link_is_one_link_or_none(url: str, label: str) -> None:
    link = slack_link("http://example.org/" + url, label)
    if link.startswith("<"):
        # Slack splits at the first `|`: the URL holds none, the label holds no `<` or `>`.
        assert re.fullmatch(r"<http://example\.org/[^|<>\s]*\|[^<>]*>", link)
    else:  # the URL was dropped: the label alone, escaped
        assert "<" not in link and ">" not in link


@given(HOSTILE)
def test_html_text_opens_no_tag_and_no_attribute(text: str) -> None:
    escaped = html_text(text)
    assert not set(escaped) & set("<>\"'")


@given(HOSTILE)
def test_header_text_is_one_line(text: str) -> None:
    value = header_text(text)
    assert value == value.strip() and not re.search(r"[\x00-\x1f\x7f\u2028\u2029]", value)


@given(HOSTILE)
def test_markdown_text_escapes_every_markup_character(text: str) -> None:
    assert not re.search(r"(?<!\\)[\[\]()<>*_`|]", markdown_text(text).replace("\\\\", ""))


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("http://kremlin.ru/acts/bank/48430", "http://kremlin.ru/acts/bank/48430"),
        ("HTTPS://Example.org/a?b=1&c=2#d", "HTTPS://Example.org/a?b=1&c=2#d"),
        ('http://example.org/a|b>c<d"e', "http://example.org/a%7Cb%3Ec%3Cd%22e"),
        ("http://example.org/путь", "http://example.org/%D0%BF%D1%83%D1%82%D1%8C"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("ftp://example.org/x", None),
        ("//example.org/x", None),
        ("http:///nohost", None),
        ("http://example.org/\r\nX: y", None),
        ("http://[::1", None),
    ],
)
def test_only_http_links_survive(url: str, safe: str | None) -> None:
    assert safe_url(url) == safe


def test_a_dropped_link_leaves_its_label_and_never_its_url() -> None:
    assert slack_link("javascript:alert(1)", "Decree") == "Decree"
    assert slack_link("javascript:alert(1)", "") == ""
    assert html_link("javascript:alert(1)", "<b>") == "&lt;b&gt;"
    assert html_link("http://example.org/", "") == (
        '<a href="http://example.org/">http://example.org/</a>'
    )


def test_length_is_bounded() -> None:
    assert len(slack_text("я" * 10_000, 300)) == 300
    assert len(header_text("x" * 10_000)) == 200

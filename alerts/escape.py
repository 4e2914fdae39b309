"""Scraped text is untrusted: make it inert for each place it lands.

- Slack mrkdwn: `&`, `<` and `>` are the only control characters of Slack's message text
  (its formatting reference); as entities, `<!channel>`, `<@U123>` and `<http://evil|click>`
  arrive as the characters they are, not as a mention or a link.
- Links: only http and https, percent-encoded so that no `|`, `<`, `>` or quote ends them early.
- HTML: `html.escape` with quotes, for email bodies and attributes.
- Markdown (Prefect artifacts): punctuation backslash-escaped, so a title cannot make a
  link, an image or a table cell of its own.
- Mail headers: one line, no CR, LF or other controls, so no text can start a header.

Every function also bounds the length: a scraped title may be a whole page.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

from mobwatch.alerts.text import one_line

_MARKDOWN = re.compile(r"[\\`*_{}\[\]()<>#+\-.!|~]")
_SLACK_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Kept as they are in a URL; everything else (`|`, `<`, `>`, `"`, spaces, non-ASCII) is encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def safe_url(url: str) -> str | None:
    """The URL if it is an absolute http(s) URL, encoded to stay one token; else None."""
    text = url.strip()
    if text != one_line(text, limit=2000):
        return None  # controls or inner whitespace: not a link we will write out
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(text, safe=_URL_SAFE)


def slack_text(text: str, limit: int = 300) -> str:
    """One line of scraped text for a mrkdwn field."""
    return one_line(text, limit).translate(_SLACK_ENTITIES)


def slack_link(url: str, label: str, limit: int = 120) -> str:
    """`<url|label>` for an http(s) URL; for anything else the label alone, maybe empty.

    Without a label, the link shows its (safe) URL; a dropped URL is never shown as text.
    """
    target = safe_url(url)
    text = slack_text(label or target or "", limit)
    if target is None:
        return text
    return f"<{target.translate(_SLACK_ENTITIES)}|{text}>"


def html_text(text: str, limit: int = 300) -> str:
    """One line of scraped text for an HTML body."""
    return html.escape(one_line(text, limit), quote=True)


def html_link(url: str, label: str, limit: int = 120) -> str:
    """An `<a>` for an http(s) URL; for anything else the label alone, maybe empty."""
    target = safe_url(url)
    text = html_text(label or target or "", limit)
    if target is None:
        return text
    return f'<a href="{html.escape(target, quote=True)}">{text}</a>'


def markdown_text(text: str, limit: int = 300) -> str:
    """One line of scraped text for markdown, every markup character escaped."""
    return _MARKDOWN.sub(r"\\\g<0>", one_line(text, limit))


def header_text(text: str, limit: int = 200) -> str:
    """A mail header value: one line, no controls (no header injection), bounded."""
    return one_line(text, limit)

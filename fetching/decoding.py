"""Turning response bytes into text the way Russian sites need.

Order of trust: the HTTP charset, then the document's own declaration (`<meta charset>`,
`<?xml encoding?>`), then strict UTF-8, then windows-1251, the usual legacy encoding of
Russian government sites. A declared charset that fails to decode the body strictly is
ignored: sites do send windows-1251 under a UTF-8 header.
"""

from __future__ import annotations

import codecs
import re

_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_DOC_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
_SNIFF_BYTES = 4096


def charset_from_content_type(content_type: str) -> str | None:
    match = _HTTP_CHARSET.search(content_type or "")
    return _known(match.group(1)) if match else None


def charset_from_document(body: bytes) -> str | None:
    match = _DOC_CHARSET.search(body[:_SNIFF_BYTES])
    if not match:
        return None
    raw = match.group(1) or match.group(2)
    return _known(raw.decode("ascii", "ignore"))


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def detect_charset(body: bytes, content_type: str = "") -> str:
    """The charset that decodes `body` strictly, by the order of trust above."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for candidate in (charset_from_content_type(content_type), charset_from_document(body)):
        if candidate and _decodes(body, candidate):
            return candidate
    return "utf-8" if _decodes(body, "utf-8") else "cp1251"


def _decodes(body: bytes, charset: str) -> bool:
    try:
        body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def decode_body(body: bytes, content_type: str = "") -> str:
    # cp1251 maps almost every byte, so the last resort still never raises.
    return body.decode(detect_charset(body, content_type), errors="replace")

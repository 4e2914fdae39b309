from __future__ import annotations

import codecs

from mobwatch.fetching.decoding import decode_body, detect_charset
from mobwatch.fetching.page import Page

TEXT = "Указ Президента Российской Федерации «О призыве граждан на военную службу»"
CP1251 = TEXT.encode("cp1251")


def test_windows_1251_declared_in_the_header() -> None:
    assert detect_charset(CP1251, "text/html; charset=windows-1251") == "cp1251"
    assert decode_body(CP1251, "text/html; charset=windows-1251") == TEXT


def test_windows_1251_under_a_wrong_utf8_header_falls_back() -> None:
    assert decode_body(CP1251, "text/html; charset=utf-8") == TEXT


def test_meta_charset_alone() -> None:
    page = f'<html><head><meta charset="windows-1251"></head><body>{TEXT}</body></html>'
    assert detect_charset(page.encode("cp1251"), "text/html") == "cp1251"
    assert decode_body(page.encode("cp1251"), "text/html") == page


def test_http_equiv_meta_charset() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    assert detect_charset(f"{meta}<p>{TEXT}</p>".encode("cp1251")) == "cp1251"


def test_xml_declaration_encoding() -> None:
    feed = f'<?xml version="1.0" encoding="windows-1251"?><rss><title>{TEXT}</title></rss>'
    assert detect_charset(feed.encode("cp1251"), "application/rss+xml") == "cp1251"
    assert TEXT in decode_body(feed.encode("cp1251"), "application/rss+xml")


def test_no_charset_anywhere_with_cp1251_bytes() -> None:
    assert detect_charset(CP1251) == "cp1251"
    assert Page(url="http://k/1", body=CP1251).text == TEXT


def test_no_charset_anywhere_with_utf8_bytes() -> None:
    assert detect_charset(TEXT.encode()) == "utf-8"


def test_utf8_bom_wins_and_is_stripped() -> None:
    body = codecs.BOM_UTF8 + TEXT.encode()
    assert detect_charset(body, "text/html; charset=windows-1251") == "utf-8-sig"
    assert decode_body(body) == TEXT

import pytest

from mobwatch import parsers
from mobwatch.parsers import PARSERS, UnknownParserError, get_parser, kremlin_feed, pravo_api


def test_each_kind_names_its_module() -> None:
    assert sorted(PARSERS) == [
        "duma_api",
        "html_list",
        "kremlin_feed",
        "pravo_api",
        "rss",
        "telegram",
    ]
    assert PARSERS["pravo_api"] is pravo_api
    for kind, module in PARSERS.items():
        assert kind == module.KIND
        assert callable(module.plan) and callable(module.parse)


def test_get_parser_returns_the_module() -> None:
    assert get_parser("kremlin_feed") is kremlin_feed


def test_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(UnknownParserError) as caught:
        get_parser("telegramm")
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == (
        "unknown parser kind 'telegramm'; known kinds: "
        "duma_api, html_list, kremlin_feed, pravo_api, rss, telegram"
    )
    assert caught.value.kind == "telegramm"
    assert parsers.get_parser is get_parser

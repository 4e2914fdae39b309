import json
from collections.abc import Callable
from datetime import date
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobwatch.fetching.page import Page
from mobwatch.parsers import pravo_api
from mobwatch.parsers.base import Parsed, ParseError, Source

LoadPage = Callable[..., Page]  # the `load_page` fixture (conftest.py)

API = "http://publication.pravo.gov.ru/api/Documents"
PRESIDENT = "225698f1-cfbc-4e42-9caa-32f9f7403211"
UKAZ = "0790e34b-784b-4372-884e-3282622a24bd"
FZ = "82a8bf1c-3bc7-47ed-827f-7affd43a7f27"
JSON = "application/json; charset=utf-8"
PAGE1 = (
    f"{API}?SignatoryAuthorityId={PRESIDENT}&DocumentTypes={UKAZ}&DocumentTypes={FZ}"
    "&SortedBy=4&PageSize=10&Index=1"
)


def source(**options: object) -> Source:
    return Source(name="pravo-president", parser="pravo_api", url=API, options=dict(options))


def query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


# --- plan --------------------------------------------------------------------------------


def test_plan_builds_the_search_with_repeated_types_and_portal_dates() -> None:
    urls = pravo_api.plan(
        source(signatory_authority=PRESIDENT, document_types=[UKAZ, FZ], page_size=100),
        since=date(2024, 9, 1),
        until=date(2024, 9, 30),
    )
    assert urls == [
        f"{API}?SignatoryAuthorityId={PRESIDENT}&DocumentTypes={UKAZ}&DocumentTypes={FZ}"
        "&PublishDateFrom=01.09.2024&PublishDateTo=30.09.2024&SortedBy=4&PageSize=100&Index=1"
    ]


def test_plan_defaults_to_200_per_page_and_no_date_filter() -> None:
    [url] = pravo_api.plan(source(block="president", document_types=UKAZ), None, None)
    assert query(url) == [
        ("DocumentTypes", UKAZ),
        ("Block", "president"),
        ("SortedBy", "4"),
        ("PageSize", "200"),
        ("Index", "1"),
    ]


def test_plan_sends_only_the_bound_given() -> None:
    [url] = pravo_api.plan(source(), date(2022, 9, 21), None)
    params = parse_qs(urlsplit(url).query)
    assert params["PublishDateFrom"] == ["21.09.2022"]
    assert "PublishDateTo" not in params


@pytest.mark.parametrize("size", [5, 20, 0, "200", True, None])
def test_plan_rejects_page_sizes_the_portal_refuses(size: object) -> None:
    with pytest.raises(ValueError, match="page_size"):
        pravo_api.plan(source(page_size=size), None, None)


@pytest.mark.parametrize(
    "options",
    [
        {"signatory_authority": "president"},
        {"document_types": ["not-a-guid"]},
        {"document_types": 7},
    ],
)
def test_plan_rejects_malformed_options(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        pravo_api.plan(source(**options), None, None)


def test_plan_rejects_an_inverted_window() -> None:
    with pytest.raises(ValueError, match="after"):
        pravo_api.plan(source(), date(2024, 10, 1), date(2024, 9, 1))


# --- parse: pages --------------------------------------------------------------------------


def test_first_page_reads_every_item_and_lists_the_other_pages(load_page: LoadPage) -> None:
    parsed = pravo_api.parse(load_page("pravo_api/documents_page1.json", PAGE1, JSON))
    assert len(parsed.documents) == 10
    assert not parsed.expected_empty
    [next_page] = parsed.follow
    assert query(next_page) == [*query(PAGE1)[:-1], ("Index", "2")]


def test_call_up_decree_item(load_page: LoadPage) -> None:
    parsed = pravo_api.parse(load_page("pravo_api/documents_page1.json", PAGE1, JSON))
    [doc] = [d for d in parsed.documents if d.act_number == "822"]
    assert doc.url == "http://publication.pravo.gov.ru/document/0001202409300004"
    assert doc.links == ("http://publication.pravo.gov.ru/file/pdf?eoNumber=0001202409300004",)
    assert doc.title == (
        'Указ Президента Российской Федерации от 30.09.2024 № 822 "О призыве в октябре - декабре '
        "2024 г. граждан Российской Федерации на военную службу и об увольнении с военной службы "
        'граждан, проходящих военную службу по призыву"'
    )
    assert doc.text == ""
    assert doc.act_type == "Указ"
    assert doc.act_date == date(2024, 9, 30)
    assert doc.published == date(2024, 9, 30)
    assert doc.external_id == "0001202409300004"
    assert doc.official


def test_titles_are_one_clean_line(load_page: LoadPage) -> None:
    parsed = pravo_api.parse(load_page("pravo_api/documents_page1.json", PAGE1, JSON))
    for doc in parsed.documents:
        assert "\n" not in doc.title and "\r" not in doc.title and "\xa0" not in doc.title
        assert "<br" not in doc.title and "  " not in doc.title
    law = next(d for d in parsed.documents if d.act_number == "280-ФЗ")
    assert law.act_type == "Федеральный закон"
    assert law.title.endswith('"О ежемесячных выплатах семьям, имеющим детей""')


def test_publication_and_signing_dates_are_kept_apart(load_page: LoadPage) -> None:
    parsed = pravo_api.parse(load_page("pravo_api/documents_page1.json", PAGE1, JSON))
    award = next(d for d in parsed.documents if d.act_number == "824")
    assert (award.act_date, award.published) == (date(2024, 9, 30), date(2024, 10, 1))


def test_window_is_reapplied_to_items_the_server_let_through(load_page: LoadPage) -> None:
    url = (
        f"{API}?PublishDateFrom=01.09.2024&PublishDateTo=30.09.2024&SortedBy=4&PageSize=10&Index=1"
    )
    parsed = pravo_api.parse(load_page("pravo_api/documents_page1.json", url, JSON))
    assert [d.act_number for d in parsed.documents] == ["822", "801", "790", "280-ФЗ", "770"]
    assert all(date(2024, 9, 1) <= d.published <= date(2024, 9, 30) for d in parsed.documents)


def test_window_with_nothing_inside_is_an_expected_empty_result(load_page: LoadPage) -> None:
    url = f"{API}?PublishDateFrom=01.01.2025&PageSize=10&Index=1"
    parsed = pravo_api.parse(load_page("pravo_api/documents_page1.json", url, JSON))
    assert parsed.documents == [] and parsed.expected_empty


def test_later_pages_list_no_pages(load_page: LoadPage) -> None:
    url = PAGE1.replace("Index=1", "Index=2")
    parsed = pravo_api.parse(load_page("pravo_api/documents_page2.json", url, JSON))
    assert [d.act_number for d in parsed.documents] == ["222", "58", "30"]
    assert parsed.follow == []


def test_every_page_is_listed_once_and_capped() -> None:
    body = json.dumps(
        {
            "items": [_item()],
            "itemsTotalCount": 10**6,
            "itemsPerPage": 200,
            "currentPage": 1,
            "pagesTotalCount": 5000,
        }
    )
    parsed = pravo_api.parse(Page(url=PAGE1, body=body.encode(), content_type=JSON))
    indexes = [dict(query(url))["Index"] for url in parsed.follow]
    assert indexes == [str(n) for n in range(2, pravo_api.MAX_PAGES + 1)]


def test_empty_page_is_expected_empty(load_page: LoadPage) -> None:
    parsed = pravo_api.parse(load_page("pravo_api/documents_empty.json", PAGE1, JSON))
    assert parsed == Parsed(expected_empty=True)


def test_replayed_pages_link_to_the_replaying_host(load_page: LoadPage) -> None:
    url = "http://127.0.0.1:8765/api/Documents?PageSize=10&Index=1"
    parsed = pravo_api.parse(load_page("pravo_api/documents_page1.json", url, JSON))
    assert parsed.documents[0].url == "http://127.0.0.1:8765/document/0001202410070002"
    assert parsed.follow == ["http://127.0.0.1:8765/api/Documents?PageSize=10&Index=2"]


def test_portal_pages_fetched_over_https_keep_the_canonical_http_links(load_page: LoadPage) -> None:
    url = PAGE1.replace("http://", "https://")
    parsed = pravo_api.parse(load_page("pravo_api/documents_page1.json", url, JSON))
    assert parsed.documents[0].url.startswith("http://publication.pravo.gov.ru/document/")


# --- parse: errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type", "status", "reason"),
    [
        (
            "pravo_api/error_400.json",
            "application/problem+json; charset=utf-8",
            400,
            "PageSize: The value '5' is invalid.",
        ),
        ("pravo_api/error_500.json", JSON, 500, "Внутренняя ошибка сервера"),
        ("pravo_api/not_found.html", "text/html; charset=utf-8", 404, "Страница не найдена"),
        ("pravo_api/not_found.html", "text/html; charset=utf-8", 200, "HTML page instead of JSON"),
        ("pravo_api/not_found.html", "", 200, "Страница не найдена"),
        ("pravo_api/documents_truncated.json", JSON, 200, "invalid JSON"),
        ("pravo_api/documents_page1.json", "application/pdf", 200, "expected JSON"),
    ],
)
def test_error_pages_raise_with_the_servers_words(
    load_page: LoadPage, path: str, content_type: str, status: int, reason: str
) -> None:
    with pytest.raises(ParseError, match=reason) as caught:
        pravo_api.parse(load_page(path, PAGE1, content_type, status))
    assert caught.value.url == PAGE1


@pytest.mark.parametrize(
    "data",
    [
        {"data": []},
        {"items": {}},
        [],
        {"items": ["x"], "currentPage": 1, "pagesTotalCount": 1},
        {"items": [{"eoNumber": "123"}], "currentPage": 1, "pagesTotalCount": 1},
        {"items": [{"eoNumber": 1}], "currentPage": 1, "pagesTotalCount": 1},
        {
            "items": [{"eoNumber": "0001202409300004", "complexName": "Указ"}],
            "currentPage": 1,
            "pagesTotalCount": 1,
        },
        {
            "items": [
                {
                    "eoNumber": "0001202409300004",
                    "complexName": "Указ",
                    "publishDateShort": "30.09.2024",
                }
            ],
            "currentPage": 1,
            "pagesTotalCount": 1,
        },
        {
            "items": [
                {
                    "eoNumber": "0001202409300004",
                    "complexName": "Указ",
                    "publishDateShort": "2024-09-30T00:00:00",
                }
            ],
            "currentPage": "1",
            "pagesTotalCount": 1,
        },
    ],
)
def test_changed_layouts_raise(data: object) -> None:
    page = Page(url=PAGE1, body=json.dumps(data).encode(), content_type=JSON)
    with pytest.raises(ParseError):
        pravo_api.parse(page)


def _item() -> dict[str, object]:
    return {
        "eoNumber": "0001202409300004",
        "complexName": 'Указ Президента Российской Федерации от 30.09.2024 № 822\n "О призыве"',
        "publishDateShort": "2024-09-30T00:00:00",
        "documentDate": "2024-09-30T00:00:00",
        "number": "822",
    }


# --- robustness --------------------------------------------------------------------------

CONTENT_TYPES = st.sampled_from([JSON, "application/problem+json", "text/html", "", "text/plain"])
FAST = settings(max_examples=200, deadline=500, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(
    body=st.binary(max_size=2000),
    content_type=CONTENT_TYPES,
    status=st.sampled_from([200, 400, 500]),
)
def test_any_bytes_give_a_result_or_a_parse_error(
    body: bytes, content_type: str, status: int
) -> None:
    _parse_or_parse_error(Page(url=PAGE1, body=body, content_type=content_type, status=status))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
item_values = st.fixed_dictionaries(
    {},
    optional={key: json_values | st.just(_item()[key]) for key in _item()},
)


@FAST
@given(
    items=st.lists(item_values | json_values, max_size=4),
    current=json_values | st.integers(0, 3),
    total=json_values | st.integers(0, 3),
)
def test_any_json_shape_gives_a_result_or_a_parse_error(
    items: list[object], current: object, total: object
) -> None:
    body = json.dumps({"items": items, "currentPage": current, "pagesTotalCount": total})
    _parse_or_parse_error(Page(url=PAGE1, body=body.encode(), content_type=JSON))


def _parse_or_parse_error(page: Page) -> None:
    try:
        result = pravo_api.parse(page)
    except ParseError:
        return
    assert isinstance(result, Parsed)

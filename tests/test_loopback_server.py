from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from mobwatch.demo.server import LoopbackServer, Reply, Request

JSON = "application/json; charset=utf-8"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def get(server: LoopbackServer, path: str, **headers: str) -> httpx.Response:
    return httpx.get(server.url + path, headers=headers)


def test_listens_on_loopback_on_an_ephemeral_port(server: LoopbackServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert int(server.url.rsplit(":", 1)[1]) > 0


def test_serves_a_static_route_with_content_type_from_the_suffix(server: LoopbackServer) -> None:
    server.add("/feed.atom", b"<feed/>")
    response = get(server, "/feed.atom")
    assert response.status_code == 200
    assert response.content == b"<feed/>"
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"


def test_unmatched_path_is_an_html_404(server: LoopbackServer) -> None:
    response = get(server, "/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert b"/nowhere" in response.content


def test_routes_match_query_parameters_in_any_order(server: LoopbackServer) -> None:
    server.add("/api/Documents", b'{"page": 0}', content_type=JSON)
    server.add("/api/Documents", b'{"page": 1}', content_type=JSON, query={"Index": "1"})
    server.add(
        "/api/Documents",
        b'{"page": 2}',
        content_type=JSON,
        query={"Index": "2", "DocumentTypes": ["b", "a"]},
    )
    assert get(server, "/api/Documents?PageSize=200&Index=1").json() == {"page": 1}
    both_types = "/api/Documents?DocumentTypes=a&Index=2&DocumentTypes=b"
    assert get(server, both_types).json() == {"page": 2}
    assert get(server, "/api/Documents?Index=2&DocumentTypes=a").json() == {"page": 0}
    assert get(server, "/api/Documents").json() == {"page": 0}


def test_static_routes_answer_304_to_their_validators(server: LoopbackServer) -> None:
    modified = datetime(2022, 9, 21, 7, 0, tzinfo=UTC)
    server.add("/page.html", b"<p>1</p>", modified=modified)
    first = get(server, "/page.html")
    etag = first.headers["etag"]
    assert first.headers["last-modified"] == "Wed, 21 Sep 2022 07:00:00 GMT"

    assert get(server, "/page.html", **{"If-None-Match": etag}).status_code == 304
    assert get(server, "/page.html", **{"If-None-Match": f"W/{etag}"}).status_code == 304
    assert get(server, "/page.html", **{"If-None-Match": '"other"'}).status_code == 200
    same_time = format_datetime(modified, usegmt=True)
    assert get(server, "/page.html", **{"If-Modified-Since": same_time}).status_code == 304
    earlier = format_datetime(modified - timedelta(seconds=1), usegmt=True)
    assert get(server, "/page.html", **{"If-Modified-Since": earlier}).status_code == 200


def test_error_routes_carry_no_validators(server: LoopbackServer) -> None:
    server.add("/down", b"busy", status=503, headers={"Retry-After": "3"})
    response = get(server, "/down")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "3"
    assert "etag" not in response.headers


def test_records_requests_with_query_and_headers(server: LoopbackServer) -> None:
    server.add("/a", b"x")
    get(server, "/a?x=1&x=2", **{"X-Probe": "yes"})
    httpx.post(server.url + "/hook", content=b'{"text": "alert"}')
    first, second = server.requests
    assert (first.method, first.path, first.headers["x-probe"]) == ("GET", "/a?x=1&x=2", "yes")
    assert first.query == {"x": ["1", "2"]}
    assert (second.method, second.route, second.body) == ("POST", "/hook", b'{"text": "alert"}')


def test_handlers_reply_chunked(server: LoopbackServer) -> None:
    server.add_handler("/drip", lambda request, raw: Reply(body=b"abcdefghij", chunk_size=3))
    response = get(server, "/drip")
    assert response.headers["transfer-encoding"] == "chunked"
    assert response.content == b"abcdefghij"


def test_a_handler_may_drop_the_connection(server: LoopbackServer) -> None:
    def reset(request: Request, raw: BaseHTTPRequestHandler) -> None:
        raw.connection.shutdown(socket.SHUT_RDWR)

    server.add_handler("/reset", reset)
    with pytest.raises(httpx.RemoteProtocolError):
        get(server, "/reset")


def test_from_directory_serves_files_and_manifest_routes(tmp_path: Path) -> None:
    (tmp_path / "kremlin").mkdir()
    (tmp_path / "kremlin" / "acts.xml").write_bytes(b"<feed/>")
    (tmp_path / "pravo-2.json").write_bytes(b'{"items": []}')
    (tmp_path / "legacy.txt").write_bytes("Указ".encode("cp1251"))
    (tmp_path / "manifest.toml").write_text(
        """
[[route]]
path = "/api/Documents"
query = { Index = "2", DocumentTypes = ["a", "b"] }
file = "pravo-2.json"

[[route]]
path = "/api/Documents"
query = { Index = 3 }
file = "pravo-2.json"

[[route]]
path = "/ips/doc"
file = "legacy.txt"
content_type = "text/html; charset=windows-1251"
headers = { "X-Source" = "sample" }
""",
        encoding="utf-8",
    )
    with LoopbackServer.from_directory(tmp_path) as server:
        feed = get(server, "/kremlin/acts.xml")
        assert (feed.content, feed.headers["content-type"]) == (
            b"<feed/>",
            "application/atom+xml; charset=utf-8",
        )
        api = get(server, "/api/Documents?DocumentTypes=b&DocumentTypes=a&Index=2")
        assert api.json() == {"items": []}
        assert api.headers["content-type"] == JSON
        assert get(server, "/api/Documents?Index=3").status_code == 200
        legacy = get(server, "/ips/doc")
        assert legacy.headers["content-type"] == "text/html; charset=windows-1251"
        assert legacy.headers["x-source"] == "sample"
        assert get(server, "/manifest.toml").status_code == 404


def test_manifest_route_without_file_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text('[[route]]\npath = "/x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="route 1"):
        LoopbackServer.from_directory(tmp_path)

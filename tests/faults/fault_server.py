"""The fault server: any source made to fail the way government sites fail (docs/sources.md §7).

A parser kind's healthy sample pages (`SampleSet`) are served by a `FaultServer`, a
`LoopbackServer` whose every route can be switched to one of the `FAULTS` at once:

    bench.faulty.serve("http_503")   # every page of the faulty source now answers 503
    bench.faulty.serve(None)         # healthy again

Each `Fault` says what the server does, what mobwatch must do about it (`outcome`) and the
words the recorded reason must hold. Big bodies are generated while they are sent, never
held whole, so the server's own memory stays small while a client is fed 50 MB.

A kind's healthy pages come from the demo (a `[[sources]]` entry of that kind in
`demo/sources.toml`, served from `demo/samples`) or from `tests/fixtures/<kind>/`, when
that directory holds a `source.toml` with one `[[sources]]` entry whose `url` starts with
`{base}` (its files are served at `/<name>`, plus the routes of an optional
`manifest.toml`, as `LoopbackServer.from_directory` does). A kind with neither is skipped.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import struct
import threading
import tomllib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from mobwatch.demo.server import MANIFEST, LoopbackServer, Reply, Request, content_type_for
from mobwatch.parsers.base import Source

ROOT = Path(__file__).resolve().parents[2]
DEMO_SAMPLES = ROOT / "demo" / "samples"
DEMO_SOURCES = ROOT / "demo" / "sources.toml"
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE_TIME = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)  # Last-Modified of healthy pages

MiB = 1024 * 1024
HUGE_BODY = 50 * MiB
BOMB_INFLATED = 100 * MiB
HANG_SECONDS = 2.0  # far past the suite's read timeout; released early when the server stops
DRIP_DELAY = 0.01  # between pieces, well within the read timeout; a page takes 1 s in all
DRIP_PIECES = 100

# How a pass must come out of a fault.
FAILS = "fails"  # the source fails with `reason`; source_failing after 3 runs
FAILS_OR_DRIFTS = "fails or drifts"  # a parse failure, or nothing parsed: parser_drift
# ... or, from what is left of a page, fewer documents, none of them wrong.
FAILS_DRIFTS_OR_FEWER = "fails, drifts or reads fewer"
READS = "reads"  # the source is read as if healthy: same documents, same Russian text

ERROR_PAGE_TITLE = "Технические работы"
ERROR_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'>"
    f"<title>{ERROR_PAGE_TITLE}</title></head><body><h1>Сайт временно недоступен</h1>"
    "<p>Ведутся технические работы. Зайдите позже.</p></body></html>"
).encode()
BLOCK_PAGE = (
    b"<!DOCTYPE html><html><head><title>Access denied</title></head><body>"
    b"<h1>StormWall</h1><p>Checking your browser. Please prove you are not a bot.</p>"
    b"</body></html>"
)
BROKEN_JSON = b'{"items": [{"eoNumber": "0001202409300001", "complexName": "\xd0\xa3\xd0\xba'


# --- healthy pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One healthy page: where it is served and what it holds."""

    path: str
    body: bytes
    content_type: str
    query: dict[str, list[str]] | None = None


@dataclass(frozen=True)
class SampleSet:
    """A parser kind's healthy pages and the source entry that reads them."""

    kind: str
    root: Path
    sources_file: Path  # holds a [[sources]] entry of this kind; URLs start with {base}
    routes: tuple[Route, ...]

    def source(self, base: str, name: str) -> Source:
        text = self.sources_file.read_text("utf-8").replace("{base}", base)
        entries = tomllib.loads(text)["sources"]
        entry = next(entry for entry in entries if entry["parser"] == self.kind)
        options = {k: v for k, v in entry.items() if k not in ("name", "parser", "url")}
        return Source(name, self.kind, entry["url"], options)


def routes_of(root: Path) -> tuple[Route, ...]:
    """The routes `LoopbackServer.add_directory(root)` serves, as data."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)
    routes = [
        Route(
            "/" + file.relative_to(root).as_posix(), file.read_bytes(), content_type_for(file.name)
        )
        for file in files
    ]
    manifest = root / MANIFEST
    if manifest.is_file():
        for entry in tomllib.loads(manifest.read_text("utf-8")).get("route", []):
            file = root / entry["file"]
            query = {
                key: [str(v) for v in value] if isinstance(value, list) else [str(value)]
                for key, value in entry.get("query", {}).items()
            }
            content_type = entry.get("content_type") or content_type_for(file.name)
            routes.append(Route(entry["path"], file.read_bytes(), content_type, query or None))
    return tuple(routes)


@cache
def sample_set(kind: str) -> SampleSet | None:
    """The kind's healthy pages: the demo's, else `tests/fixtures/<kind>/source.toml`'s."""
    demo = tomllib.loads(DEMO_SOURCES.read_text("utf-8"))["sources"]
    if kind in {entry["parser"] for entry in demo}:
        return SampleSet(kind, DEMO_SAMPLES, DEMO_SOURCES, routes_of(DEMO_SAMPLES))
    own = FIXTURES / kind / "source.toml"
    if own.is_file():
        return SampleSet(kind, own.parent, own, routes_of(own.parent))
    return None


def no_sample_reason(kind: str) -> str:
    return (
        f"parser kind {kind!r} has no healthy sample pages yet: add a [[sources]] entry of "
        f"that kind to demo/sources.toml, or tests/fixtures/{kind}/source.toml (url = "
        '"{base}/…") beside its fixture pages'
    )


# --- the faults --------------------------------------------------------------------------


Handler = Callable[[Request, BaseHTTPRequestHandler], Reply | None]


@dataclass(frozen=True)
class Fault:
    name: str
    does: str  # what the server does, for RELIABILITY.md
    outcome: str  # FAILS, FAILS_OR_DRIFTS or READS
    reason: str  # words the recorded reason holds (FAILS)
    handles: str  # what mobwatch does about it, for RELIABILITY.md
    make: Callable[[Route, FaultServer], Handler]


def _reply(reply: Reply) -> Callable[[Route, FaultServer], Handler]:
    return lambda route, server: lambda request, raw: reply


def _hang(route: Route, server: FaultServer) -> Handler:
    def handler(request: Request, raw: BaseHTTPRequestHandler) -> None:
        server.released.wait(HANG_SECONDS)  # then hang up without a word

    return handler


def _reset(route: Route, server: FaultServer) -> Handler:
    def handler(request: Request, raw: BaseHTTPRequestHandler) -> None:
        # A zero linger turns close into a TCP reset, as a middlebox dropping the flow does.
        raw.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        raw.connection.close()

    return handler


def _truncated(route: Route, server: FaultServer) -> Handler:
    def handler(request: Request, raw: BaseHTTPRequestHandler) -> None:
        raw.send_response(200)
        raw.send_header("Content-Type", route.content_type)
        raw.send_header("Content-Length", str(len(route.body) + 4096))  # promises more
        raw.end_headers()
        raw.wfile.write(route.body)  # and hangs up after what it has

    return handler


def _huge(route: Route, server: FaultServer) -> Handler:
    """50 MB of plausible text, chunked, without a Content-Length: only the cap stops it."""
    block = ("Указ Президента Российской Федерации о призыве граждан. " * 1200).encode()[:65536]

    def handler(request: Request, raw: BaseHTTPRequestHandler) -> None:
        raw.send_response(200)
        raw.send_header("Content-Type", route.content_type)
        raw.send_header("Transfer-Encoding", "chunked")
        raw.end_headers()
        sent = 0
        try:
            while sent < HUGE_BODY:
                raw.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
                sent += len(block)
            raw.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client hung up: the point
        finally:
            server.huge_sent.append(sent)

    return handler


@cache
def gzip_bomb() -> bytes:
    """100 MiB of zeros gzipped into about 100 kB, compressed a mebibyte at a time."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(MiB)
    parts = [compressor.compress(zeros) for _ in range(BOMB_INFLATED // MiB)]
    return b"".join([*parts, compressor.flush()])


def _bomb(route: Route, server: FaultServer) -> Handler:
    reply = Reply(200, gzip_bomb(), route.content_type, headers={"Content-Encoding": "gzip"})
    return lambda request, raw: reply


def _redirect_loop(route: Route, server: FaultServer) -> Handler:
    def handler(request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        path = request.path
        if "&hop=1" in path or "?hop=1" in path:
            back = path.replace("&hop=1", "").replace("?hop=1", "")
        else:
            back = path + ("&" if "?" in path else "?") + "hop=1"
        return Reply(302, headers={"Location": back})

    return handler


def _redirect_away(route: Route, server: FaultServer) -> Handler:
    def handler(request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        # The same server under another name: a request arriving there would show it.
        return Reply(302, headers={"Location": f"http://localhost:{server.port}{request.path}"})

    return handler


def _drip(route: Route, server: FaultServer) -> Handler:
    piece = max(1, len(route.body) // DRIP_PIECES)  # whatever its size, the page takes 1 s
    reply = Reply(200, route.body, route.content_type, chunk_size=piece, chunk_delay=DRIP_DELAY)
    return lambda request, raw: reply


def _changed_layout(route: Route, server: FaultServer) -> Handler:
    reply = Reply(200, changed_layout(route.body, route.content_type), route.content_type)
    return lambda request, raw: reply


def _half(route: Route, server: FaultServer) -> Handler:
    reply = Reply(200, route.body[: len(route.body) // 2], route.content_type)
    return lambda request, raw: reply


def _empty(route: Route, server: FaultServer) -> Handler:
    reply = Reply(200, b"", route.content_type)
    return lambda request, raw: reply


def _wrong_charset(route: Route, server: FaultServer) -> Handler:
    # The header (and any declaration in the page) still says UTF-8.
    reply = Reply(200, to_cp1251(route.body, route.content_type), route.content_type)
    return lambda request, raw: reply


def _missing_charset(route: Route, server: FaultServer) -> Handler:
    body = to_cp1251(strip_declarations(route.body), route.content_type)
    bare = route.content_type.split(";", 1)[0]
    reply = Reply(200, body, bare)
    return lambda request, raw: reply


def _healthy(route: Route, server: FaultServer) -> Handler:
    """The page as a well-behaved site serves it: ETag, Last-Modified, 304 when unchanged."""
    etag = '"' + hashlib.sha256(route.body).hexdigest()[:20] + '"'
    headers = {"ETag": etag, "Last-Modified": format_datetime(SAMPLE_TIME, usegmt=True)}

    def handler(request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        if request.headers.get("if-none-match") == etag:
            return Reply(304, content_type=None, headers=headers)
        if server.drip is None:
            return Reply(200, route.body, route.content_type, headers)
        size, delay = server.drip
        return Reply(200, route.body, route.content_type, headers, size, delay)

    return handler


def _no_delay(handler: Handler) -> Handler:
    """Headers and body leave at once: no Nagle pause between the two writes of a reply."""

    def wrapped(request: Request, raw: BaseHTTPRequestHandler) -> Reply | None:
        raw.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return handler(request, raw)

    return wrapped


HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"

FAULTS: dict[str, Fault] = {
    fault.name: fault
    for fault in (
        Fault(
            "hang",
            "accepts the request, then sends nothing",
            FAILS,
            "timed out after 0.1 s without data",
            "read timeout; retried once; failure recorded",
            _hang,
        ),
        Fault(
            "connection_reset",
            "resets the TCP connection (RST) instead of answering",
            FAILS,
            "connection reset",
            "retried once; failure recorded",
            _reset,
        ),
        Fault(
            "http_500",
            "500 Internal Server Error",
            FAILS,
            "HTTP 500 after 2 attempts",
            "retried with backoff; failure recorded",
            _reply(Reply(500, b"<h1>Internal Server Error</h1>", HTML)),
        ),
        Fault(
            "http_502",
            "502 Bad Gateway from the front proxy",
            FAILS,
            "HTTP 502 after 2 attempts",
            "retried with backoff; failure recorded",
            _reply(Reply(502, b"<h1>502 Bad Gateway</h1>", HTML)),
        ),
        Fault(
            "http_503",
            "503 Service Unavailable (maintenance)",
            FAILS,
            "HTTP 503 after 2 attempts",
            "retried with backoff; failure recorded",
            _reply(Reply(503, ERROR_PAGE, HTML)),
        ),
        Fault(
            "http_429",
            "429 Too Many Requests with `Retry-After: 1`",
            FAILS,
            "HTTP 429 after 2 attempts",
            "waits the Retry-After, retries once; failure recorded",
            _reply(Reply(429, b"Too Many Requests", headers={"Retry-After": "1"})),
        ),
        Fault(
            "http_429_long_wait",
            "429 with `Retry-After: 86400` (come back tomorrow)",
            FAILS,
            "Retry-After 86400 s is over the 120 s cap",
            "does not wait a day: fails at once, failure recorded",
            _reply(Reply(429, b"Too Many Requests", headers={"Retry-After": "86400"})),
        ),
        Fault(
            "blocked_403",
            "403 with an HTML anti-bot block page (StormWall, Qrator)",
            FAILS,
            "HTTP 403 (blocked)",
            "not retried; named as a block; failure recorded",
            _reply(Reply(403, BLOCK_PAGE, HTML)),
        ),
        Fault(
            "error_page_200",
            "200 OK with an HTML maintenance page instead of the data",
            FAILS_OR_DRIFTS,
            "",
            "parse error naming the page (never an empty result); failure recorded",
            _reply(Reply(200, ERROR_PAGE, HTML)),
        ),
        Fault(
            "empty_body_200",
            "200 OK with an empty body",
            FAILS_OR_DRIFTS,
            "",
            "parse error; failure recorded",
            _empty,
        ),
        Fault(
            "truncated_body",
            "sends the page with a Content-Length 4 KiB larger, then hangs up",
            FAILS,
            "connection failed: peer closed connection without sending complete message body",
            "incomplete body detected, retried once; failure recorded, nothing half-parsed",
            _truncated,
        ),
        Fault(
            "invalid_json",
            "200 OK, `application/json`, with JSON cut off mid-string",
            FAILS_OR_DRIFTS,
            "",
            "parse error; failure recorded",
            _reply(Reply(200, BROKEN_JSON, JSON)),
        ),
        Fault(
            "cut_document",
            "200 OK with the real page cut in half (a complete response)",
            FAILS_DRIFTS_OR_FEWER,
            "",
            "a parse error, or what the half page still holds: fewer documents, none wrong",
            _half,
        ),
        Fault(
            "changed_layout",
            "200 OK with the same data in a new layout (JSON keys, feed elements and CSS "
            "classes renamed)",
            FAILS_DRIFTS_OR_FEWER,
            "",
            "a layout the parser cannot read is a parse error; one that reads as empty fires "
            "parser_drift",
            _changed_layout,
        ),
        Fault(
            "wrong_charset",
            "windows-1251 bytes under `charset=utf-8` (and a UTF-8 declaration)",
            READS,
            "",
            "strict decoding fails, falls back to windows-1251: the Russian text is right",
            _wrong_charset,
        ),
        Fault(
            "missing_charset",
            "windows-1251 bytes with no charset in the header or the document",
            READS,
            "",
            "UTF-8 fails strictly, windows-1251 is used: the Russian text is right",
            _missing_charset,
        ),
        Fault(
            "huge_body",
            "a 50 MB body, chunked, no Content-Length (generated as it is sent)",
            FAILS,
            "body larger than 10 MiB",
            "stopped at the size cap while streaming; memory stays far below the body size",
            _huge,
        ),
        Fault(
            "gzip_bomb",
            "100 kB of gzip that inflates to 100 MiB",
            FAILS,
            "body larger than 10 MiB",
            "inflated in bounded steps and stopped at the cap; memory stays bounded",
            _bomb,
        ),
        Fault(
            "redirect_loop",
            "302 to itself with `?hop=1` and back, forever",
            FAILS,
            "redirect loop",
            "loop detected on the second hop; failure recorded",
            _redirect_loop,
        ),
        Fault(
            "redirect_other_host",
            "302 to the same path on another host",
            FAILS,
            "redirect to another host: localhost",
            "not followed (sources read their own host only); failure recorded",
            _redirect_away,
        ),
        Fault(
            "redirect_non_http",
            "302 to `file:///etc/passwd`",
            FAILS,
            "redirect to a disallowed scheme: file",
            "not followed (http and https only); failure recorded",
            _reply(Reply(302, headers={"Location": "file:///etc/passwd"})),
        ),
        Fault(
            "slow_drip",
            "the real page in 100 pieces, 10 ms apart: each read in time, the whole never",
            FAILS,
            "timed out after 0.15 s for the whole request",
            "the whole-request deadline stops it; retried once; failure recorded",
            _drip,
        ),
    )
}


# --- body transformations ----------------------------------------------------------------


def _is_json(body: bytes, content_type: str) -> bool:
    return "json" in content_type or body.lstrip()[:1] in (b"{", b"[")


def changed_layout(body: bytes, content_type: str) -> bytes:
    """The same data in a redesign: JSON keys renamed; feed items and CSS classes renamed."""
    if _is_json(body, content_type):
        try:
            data = json.loads(body)
        except ValueError:
            return body
        return json.dumps(_renamed(data), ensure_ascii=False).encode()
    text = body.decode("utf-8", "replace")
    text = re.sub(r"<(/?)(entry|item|article)\b", r"<\1record", text)
    text = re.sub(r"""\bclass=(["'])""", r"class=\1v2-", text)
    return text.encode()


def _renamed(data: object) -> object:
    if isinstance(data, dict):
        return {f"{key}V2": _renamed(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_renamed(item) for item in data]
    return data


def to_cp1251(body: bytes, content_type: str) -> bytes:
    """The page's text in windows-1251; characters it lacks written as escapes the format
    reads back (JSON `\\uXXXX`, markup character references)."""
    text = body.decode("utf-8")
    json_format = _is_json(body, content_type)
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1251"))
        except UnicodeEncodeError:
            if json_format:
                escaped = json.dumps(char)[1:-1]  # surrogate pairs for astral characters
                out.append(escaped.encode("ascii"))
            else:
                out.append(f"&#{ord(char)};".encode("ascii"))
    return b"".join(out)


_XML_ENCODING = re.compile(rb"""(<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta\s+charset\s*=\s*["']?[\w.:-]+["']?\s*/?>""", re.IGNORECASE)
_META_CONTENT_CHARSET = re.compile(rb""";\s*charset\s*=\s*[\w.:-]+""", re.IGNORECASE)


def strip_declarations(body: bytes) -> bytes:
    """The page without `<?xml encoding?>` or `<meta charset>`: it names no charset at all."""
    body = _XML_ENCODING.sub(rb"\1", body)
    body = _META_CHARSET.sub(b"", body)
    return _META_CONTENT_CHARSET.sub(b"", body)


# --- the server ------------------------------------------------------------------------


class FaultServer:
    """A `LoopbackServer` serving a sample set, healthy or with every route made faulty."""

    def __init__(self, routes: tuple[Route, ...], drip: tuple[int, float] | None = None) -> None:
        self.routes = routes
        self.drip = drip  # healthy pages in pieces of this size, this many seconds apart
        self.server = LoopbackServer()
        self.released = threading.Event()  # ends hangs when the server stops
        self.huge_sent: list[int] = []  # bytes of each huge body written before the hang-up
        self.fault: str | None = None
        self.serve(None)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def port(self) -> int:
        return int(self.server.url.rsplit(":", 1)[1])

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def serve(self, fault: str | None) -> None:
        """Every route healthy (None) or answering with `fault`."""
        self.fault = fault
        for route in self.routes:
            make = _healthy if fault is None else FAULTS[fault].make
            self.server.add_handler(route.path, _no_delay(make(route, self)), query=route.query)

    def start(self) -> FaultServer:
        self.server.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self.server.stop()


@dataclass
class Bench:
    """A kind's healthy source and faulty source, each on its own loopback server."""

    kind: str
    samples: SampleSet
    healthy_server: FaultServer
    faulty: FaultServer
    healthy: Source = field(init=False)
    faulty_source: Source = field(init=False)

    def __post_init__(self) -> None:
        self.healthy = self.samples.source(self.healthy_server.url, f"{self.kind}-healthy")
        self.faulty_source = self.samples.source(self.faulty.url, f"{self.kind}-faulty")

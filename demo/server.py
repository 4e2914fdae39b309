"""A loopback HTTP server for the tests, the offline demo and fault injection.

`LoopbackServer` listens on 127.0.0.1 on an ephemeral port, in a daemon thread:

    with LoopbackServer() as server:
        server.add("/feed.atom", atom_bytes)  # content type from the suffix
        server.add("/api/Documents", page_2, content_type=JSON, query={"Index": "2"})
        server.add_handler("/slow", slow)  # slow(request, raw) -> Reply | None
        client.get(server.url + "/feed.atom")
        server.requests  # what it received, in order

Routes match on the URL path. A route given `query` also needs those parameters with those
values (in any order; a list for a repeated key; other parameters may be present); of the
routes that match, the one naming the most parameters wins, so a route without `query` is
the fallback for its path. Anything unmatched gets a 404 HTML page.

Static routes (`add`) carry an ETag (a hash of the body) and a Last-Modified, and answer
304 to a matching If-None-Match or a not-older If-Modified-Since, as well-behaved sites do.
A handler (`add_handler`) gets the `Request` and the raw `BaseHTTPRequestHandler`; it
returns a `Reply`, or None after writing to (or dropping) `raw.wfile` / `raw.connection`
itself, which is how hangs, resets and malformed responses are made.

`LoopbackServer.from_directory(root)` serves each file `root/<path>` at `/<path>`, its
content type from the suffix (.json, .xml/.atom, .rss, .html/.htm, .txt). An optional
`root/manifest.toml` adds routes that file paths cannot express, such as API queries:

    [[route]]
    path = "/api/Documents"                               # the URL path
    query = { Index = "2", DocumentTypes = ["a", "b"] }   # optional
    file = "pravo/documents-2.json"                       # relative to root
    content_type = "application/json; charset=utf-8"      # optional, else from the suffix
    status = 200                                          # optional
    headers = { "X-Source" = "sample" }                   # optional
"""

from __future__ import annotations

import hashlib
import html
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from socketserver import TCPServer
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

MANIFEST = "manifest.toml"
_TYPES = {
    ".json": "application/json; charset=utf-8",
    ".xml": "application/atom+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
_NO_BODY = frozenset({204, 304})

QueryMatch = Mapping[str, str | Sequence[str]]
_QueryKey = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # as sent: percent-encoded, query string included
    headers: dict[str, str]  # names lower-case
    body: bytes = b""

    @property
    def route(self) -> str:
        return unquote(urlsplit(self.path).path)

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/plain; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    chunk_size: int | None = None  # send chunked, in pieces of this many bytes
    chunk_delay: float = 0.0  # pause before each piece: a slow drip


Handler = Callable[[Request, BaseHTTPRequestHandler], Reply | None]


def content_type_for(name: str) -> str:
    return _TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


class LoopbackServer:
    """An HTTP server on 127.0.0.1 that answers from routes; see the module docstring."""

    def __init__(self) -> None:
        # Bound at once, so `url` is known before the server starts.
        self._http = _HTTPServer(("127.0.0.1", 0), _RequestHandler)
        self._http.loopback = self
        self._thread: threading.Thread | None = None
        # By path first: a request is matched against its path's routes only, not all.
        self._routes: dict[str, dict[_QueryKey, Handler]] = {}
        self._received: list[Request] = []
        self._lock = threading.Lock()

    @classmethod
    def from_directory(cls, root: Path) -> LoopbackServer:
        server = cls()
        try:
            server.add_directory(root)
        except (OSError, ValueError):  # a bad manifest: release the bound port before failing
            server.stop()
            raise
        return server

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[Request]:
        """A copy of the requests received so far, oldest first."""
        with self._lock:
            return list(self._received)

    def add(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str | None = None,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        query: QueryMatch | None = None,
        modified: datetime | None = None,
    ) -> None:
        """Serve fixed bytes.

        `content_type` defaults to one guessed from the path's suffix; `modified` (default:
        now) is the Last-Modified.
        """
        static = _Static(
            body=body,
            content_type=content_type or content_type_for(path),
            status=status,
            headers=dict(headers or {}),
            etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
            # HTTP dates have whole seconds; a finer time would never compare as unchanged.
            modified=(modified or datetime.now(UTC)).replace(microsecond=0),
        )
        self.add_handler(path, static, query=query)

    def add_handler(self, path: str, fn: Handler, *, query: QueryMatch | None = None) -> None:
        with self._lock:
            self._routes.setdefault(path, {})[_normalise(query or {})] = fn

    def add_directory(self, root: Path) -> None:
        """Serve a directory tree and its manifest, as the module docstring describes."""
        for file in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST):
            url_path = "/" + file.relative_to(root).as_posix()
            self.add(url_path, file.read_bytes(), modified=_mtime(file))
        manifest = root / MANIFEST
        if not manifest.is_file():
            return
        for number, entry in enumerate(tomllib.loads(manifest.read_text("utf-8")).get("route", [])):
            if "path" not in entry or "file" not in entry:
                raise ValueError(f"{manifest}: route {number + 1} needs 'path' and 'file'")
            file = root / entry["file"]
            self.add(
                entry["path"],
                file.read_bytes(),
                content_type=entry.get("content_type") or content_type_for(file.name),
                status=entry.get("status", 200),
                headers=entry.get("headers"),
                query=_manifest_query(entry.get("query", {})),
                modified=_mtime(file),
            )

    def start(self) -> LoopbackServer:
        # A short poll interval keeps stop() quick; tests start and stop many servers.
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._http.shutdown()
            self._thread.join()
            self._thread = None
        self._http.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _receive(self, request: Request) -> Handler | None:
        """Record the request and find its route."""
        query = request.query
        with self._lock:
            self._received.append(request)
            matching = [
                (len(wanted), fn)
                for wanted, fn in self._routes.get(request.route, {}).items()
                if all(sorted(query.get(k, [])) == list(v) for k, v in wanted)
            ]
        # max() keeps the first of equals: of equally specific routes, the one added first.
        return max(matching, key=lambda item: item[0], default=(0, None))[1]


@dataclass(frozen=True)
class _Static:
    body: bytes
    content_type: str
    status: int
    headers: dict[str, str]
    etag: str
    modified: datetime

    def __call__(self, request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        if self.status != 200:
            return Reply(self.status, self.body, self.content_type, self.headers)
        headers = {"ETag": self.etag, "Last-Modified": format_datetime(self.modified, usegmt=True)}
        headers.update(self.headers)
        if self._unchanged(request):
            return Reply(304, content_type=None, headers=headers)
        return Reply(200, self.body, self.content_type, headers)

    def _unchanged(self, request: Request) -> bool:
        if_none_match = request.headers.get("if-none-match")
        if if_none_match is not None:  # takes precedence over If-Modified-Since (RFC 9110)
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or self.etag in tags
        if_modified_since = request.headers.get("if-modified-since")
        if if_modified_since is None:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and self.modified <= since


class _HTTPServer(ThreadingHTTPServer):
    loopback: LoopbackServer
    request_queue_size = 64  # fault tests open many connections at once

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks for the host's FQDN, a name lookup this server never needs.
        TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up early (a size cap, a timeout) is expected, not an error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked replies, like real sites
    # Headers and body go out in separate writes; with Nagle's algorithm on, the body waits
    # for the client's delayed ACK of the headers: ~40 ms a response on loopback.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def log_message(self, format: str, *args: object) -> None:
        """Silent: tests and the demo read `LoopbackServer.requests` instead."""

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        fn = self.server.loopback._receive(request)
        reply = fn(request, self) if fn is not None else _not_found(request)
        if reply is None:
            self.close_connection = True
        else:
            self._send(reply)

    do_POST = do_GET  # alert channels (webhooks) post to the server in their tests

    def _send(self, reply: Reply) -> None:
        given = {name.lower() for name in reply.headers}
        self.send_response(reply.status)
        if reply.content_type is not None and "content-type" not in given:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.status in _NO_BODY:
            self.end_headers()
        elif reply.chunk_size is None:
            if "content-length" not in given:  # a handler may lie about the length
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        else:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(reply.body), reply.chunk_size):
                time.sleep(reply.chunk_delay)
                piece = reply.body[start : start + reply.chunk_size]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")


def _normalise(query: QueryMatch) -> _QueryKey:
    """A route's query as a hashable, order-free key."""
    return tuple(
        sorted((key, tuple(sorted([v] if isinstance(v, str) else v))) for key, v in query.items())
    )


def _manifest_query(raw: dict[str, object]) -> dict[str, list[str]]:
    """TOML gives numbers for `Index = 2`; a URL query has only strings."""
    return {
        name: [str(item) for item in value] if isinstance(value, list) else [str(value)]
        for name, value in raw.items()
    }


def _mtime(file: Path) -> datetime:
    return datetime.fromtimestamp(file.stat().st_mtime, UTC)


def _not_found(request: Request) -> Reply:
    body = (
        "<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
        f"<body><h1>Not Found</h1><p>No route for {html.escape(request.route)}</p></body></html>"
    )
    return Reply(404, body.encode(), "text/html; charset=utf-8")

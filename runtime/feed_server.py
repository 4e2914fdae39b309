"""The alert feeds over HTTP on loopback, for a feed reader on the same machine.

`mobwatch serve --feeds-port N` serves `<home>/feeds/<route>.atom` and `<route>.json`
(`alerts/feeds.py`) at `http://127.0.0.1:N/<route>.atom`, read-only, in a thread beside the
runs. Only those files are served: no listing, no other path. Bound to 127.0.0.1 only; a
reader elsewhere goes through a proxy the operator chooses.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from mobwatch.alerts.feeds import ROUTES

_TYPES = {".atom": "application/atom+xml; charset=utf-8", ".json": "application/feed+json"}
FEED_FILES = frozenset(f"{route}{suffix}" for route in ROUTES for suffix in _TYPES)


def _handler(directory: Path) -> type[BaseHTTPRequestHandler]:
    class FeedHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            name = self.path.split("?", 1)[0].lstrip("/")
            path = directory / name
            if name not in FEED_FILES or not path.is_file():
                self.send_error(404, "no such feed")
                return
            body = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", _TYPES[path.suffix])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # a feed reader polls: its requests are not news

    return FeedHandler


@contextmanager
def serving_feeds(home: Path, port: int) -> Iterator[str]:
    """Serve the feeds under `home` on 127.0.0.1:`port` (0: any free port); yields the URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(home / "feeds"))
    thread = threading.Thread(target=server.serve_forever, name="mobwatch-feeds", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

"""The benchmark corpus served on 127.0.0.1 by `mobwatch.demo.server.LoopbackServer`, in a process
of its own.

A separate process keeps the server's work (and its few hundred megabytes of pages) out of
the measured process's time, memory and interpreter lock: a benchmark measures mobwatch,
not the server. Static routes carry an ETag and a Last-Modified, so a pass that finds
nothing changed is answered 304.

    with CorpusServer(spec, windows=[since]) as server:
        sources = server.write_sources(directory, since)   # a sources.toml for a pass
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType

from corpus import CorpusSpec, SourcePlan, plan_sources, sources_toml
from corpus_routes import corpus_routes

from mobwatch.demo.server import LoopbackServer

MODIFIED = datetime(2026, 1, 1, tzinfo=UTC)  # every page's Last-Modified: nothing changes
STARTUP_SECONDS = 600


class CorpusServer:
    """Starts the server process, knows its address, stops it on exit."""

    def __init__(self, spec: CorpusSpec, windows: list[date]) -> None:
        self.spec = spec
        self.plans: list[SourcePlan] = plan_sources(spec)
        self._windows = windows
        self._process: subprocess.Popen[str] | None = None
        self.url = ""
        self.routes = 0
        self.bytes = 0

    def __enter__(self) -> CorpusServer:
        command = [sys.executable, __file__, "--spec", json.dumps(asdict(self.spec))]
        command += [f"--window={day.isoformat()}" for day in self._windows]
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        ready = self._process.stdout.readline()  # blocks until the corpus is built
        if not ready:
            self._process.wait(timeout=STARTUP_SECONDS)
            raise RuntimeError(f"the corpus server exited with {self._process.returncode}")
        answer = json.loads(ready)
        self.url, self.routes, self.bytes = answer["url"], answer["routes"], answer["bytes"]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is None:
            return
        assert self._process.stdin is not None
        self._process.stdin.close()  # the server stops when its standard input ends
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def write_sources(self, directory: Path, since: date) -> Path:
        path = directory / f"sources-{since.isoformat()}.toml"
        path.write_text(sources_toml(self.plans, self.url, since), encoding="utf-8")
        return path


def serve(spec: CorpusSpec, windows: list[date]) -> None:
    """Build every route, serve them, say where on standard output, stop at end of input."""
    server = LoopbackServer()
    routes = size = 0
    for route in corpus_routes(spec, plan_sources(spec), windows):
        server.add(
            route.path,
            route.body,
            content_type=route.content_type,
            query=route.query or None,
            modified=MODIFIED,
        )
        routes += 1
        size += len(route.body)
    with server:
        print(json.dumps({"url": server.url, "routes": routes, "bytes": size}), flush=True)
        sys.stdin.read()


def main() -> None:
    parser = argparse.ArgumentParser(description="serve the benchmark corpus on loopback")
    parser.add_argument("--spec", required=True, help="a CorpusSpec as JSON")
    parser.add_argument("--window", action="append", default=[], type=date.fromisoformat)
    args = parser.parse_args()
    serve(CorpusSpec(**json.loads(args.spec)), args.window)


if __name__ == "__main__":
    main()

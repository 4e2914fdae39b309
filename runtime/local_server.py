"""A Prefect server on 127.0.0.1, run as a child process and stopped with its parent.

`mobwatch serve` needs one when no Prefect API is configured: the temporary server Prefect
starts by itself in that case runs no scheduler, so served deployments would never run on
their schedules. This is `prefect server start` with its scheduler, no UI, telemetry off
and its database where Prefect keeps it (`PREFECT_API_DATABASE_CONNECTION_URL`, by
default SQLite under `PREFECT_HOME`). The tests start their Prefect server with it too.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import httpx

from mobwatch.runtime.prefect_defaults import apply_prefect_defaults


class ServerError(Exception):
    """The server did not start; the message says why and where its log is."""


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalPrefectServer:
    def __init__(
        self,
        log: Path,
        *,
        environ: Mapping[str, str] | None = None,
        startup_timeout: float = 120.0,  # the first start creates the database
        stop_timeout: float = 30.0,  # a server still migrating its database answers after
    ) -> None:
        self.log = log
        self.port = free_loopback_port()
        self._environ = dict(os.environ if environ is None else environ)
        self._startup_timeout = startup_timeout
        self._stop_timeout = stop_timeout
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> LocalPrefectServer:
        env = dict(self._environ)
        env.pop("PREFECT_API_URL", None)  # the server is the API; it must not point elsewhere
        apply_prefect_defaults(env)
        command = [sys.executable, "-m", "prefect", "server", "start", "--no-ui"]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                [*command, "--host", "127.0.0.1", "--port", str(self.port)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                # Its own session: a Ctrl-C in the terminal reaches the parent only, which
                # still needs the server while it shuts down, and stops it afterwards.
                start_new_session=True,
            )
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_healthy(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self._startup_timeout
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                code = self._process.poll()
                if code is not None:
                    raise ServerError(f"the Prefect server exited ({code}); see {self.log}")
                try:
                    if client.get(f"{self.api_url}/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass  # not listening yet
                time.sleep(0.2)
        raise ServerError(
            f"the Prefect server did not answer within {self._startup_timeout:.0f} s; "
            f"see {self.log}"
        )

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(self._stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> LocalPrefectServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

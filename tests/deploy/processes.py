"""Child processes of the deployment tests: the commands, their output, and what they leave.

Read from /proc (Linux): a process's descendants are found by their parent ids, and a
zombie counts as gone (in a container nothing may reap it).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from mobwatch.runtime.local_server import free_loopback_port

_PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
BIN = Path(sys.executable).parent
MOBWATCH = BIN / "mobwatch"
PREFECT = [sys.executable, "-m", "prefect"]


def clean_environ(prefect_home: Path, **extra: str) -> dict[str, str]:
    """This environment without the developer's Prefect and mobwatch settings; Prefect's
    home in the test's directory and its telemetry off.

    The loopback guard of tests/conftest.py holds in the test process only, so the commands
    get one of their own: an HTTP request beyond loopback goes to a proxy on a closed
    loopback port and fails there. (`prefect work-pool create` makes the Prefect server
    fetch Prefect's integration registry from GitHub; it falls back to its bundled copy.)
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "MOBWATCH_"))}
    env = {k: v for k, v in env.items() if k.lower() not in _PROXY_VARIABLES}
    dead_end = f"http://127.0.0.1:{free_loopback_port()}"
    env.update({name: dead_end for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")})
    env.update(NO_PROXY="127.0.0.1,localhost")
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.update(extra)
    return env


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent id) of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    state, ppid = text.rpartition(")")[2].split()[:2]  # the name may hold spaces and ")"
    return state, int(ppid)


def running(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"


def blocks(pid: int, signum: int) -> bool:
    """Whether the process's main thread has `signum` blocked (its SigBlk mask)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigBlk:"):
            return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    raise AssertionError(f"no SigBlk line for process {pid}")


def descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = stat[1]
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def prefect(args: Sequence[str], env: Mapping[str, str], cwd: Path, timeout: float = 120) -> str:
    """Run a `prefect` command to the end; its output, or a failure showing it."""
    done = subprocess.run(
        [*PREFECT, *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"prefect {' '.join(args)}: {done.stdout}\n{done.stderr}"
    return done.stdout


class Command:
    """A long-running command in its own process group, its standard output collected line
    by line (a thread reads it, so the pipe never fills), its standard error to a file."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str], cwd: Path, log: Path) -> None:
        self.log = log
        self.lines: list[str] = []
        with log.open("w") as stderr:
            self.process = subprocess.Popen(
                list(args),
                env=dict(env),
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                start_new_session=True,  # a group of its own, as a terminal's job is
                # As a terminal starts it: Ctrl-C (SIGINT) not ignored, whatever the runner did.
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for_line(self, pattern: str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := re.search(pattern, line):
                    return found
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(
            f"no line matching {pattern!r} (exit {self.process.poll()}):\n"
            + "\n".join(self.lines)
            + "\n"
            + self.log.read_text()
        )

    def signal(self, signum: int, *, group: bool = False) -> tuple[int, float]:
        """Send a signal (to the whole group: a terminal's Ctrl-C); exit status and seconds."""
        started = time.monotonic()
        if group:
            os.killpg(self.process.pid, signum)
        else:
            self.process.send_signal(signum)
        code = self.process.wait(timeout=60)
        self._reader.join(timeout=5)
        return code, time.monotonic() - started

    def end(self) -> None:
        """Clean-up after a failed test: stop the command and whatever it left, by id."""
        left = descendants(self.process.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in left:
            if running(pid):
                with contextlib.suppress(ProcessLookupError):  # gone meanwhile
                    os.kill(pid, signal.SIGKILL)

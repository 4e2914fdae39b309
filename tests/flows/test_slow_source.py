"""One source that hangs until its timeout holds back no one else's alerts.

The pass alerts as each source lands (flows/monitor.py), so the healthy sources' alerts
reach a loopback Slack webhook while the hanging source is still waiting for its answer.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from mobwatch.demo.server import LoopbackServer, Reply, Request
from mobwatch.flows.monitor import monitor

pytestmark = pytest.mark.usefixtures("prefect_api")

READ_TIMEOUT = 6.0  # the hanging source's whole budget: one attempt, no retry


class TimedWebhook:
    """A Slack webhook receiver that notes when each message arrived."""

    def __init__(self, server: LoopbackServer, path: str) -> None:
        self.url = server.url + path
        self.arrivals: list[float] = []
        self._lock = threading.Lock()
        server.add_handler(path, self._handle)

    def _handle(self, request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        with self._lock:
            self.arrivals.append(time.monotonic())
        return Reply(200, b"ok")


def test_the_other_sources_alerts_arrive_while_one_source_hangs(
    tmp_path: Path,
    sample_sources: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    released = threading.Event()
    asked: list[float] = []

    def hang(request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        asked.append(time.monotonic())
        released.wait(READ_TIMEOUT * 3)  # well past the client's timeout
        return Reply(200, b"{}", content_type="application/json")

    with LoopbackServer() as slow, LoopbackServer() as receivers:
        slow.add_handler("/api/Documents", hang)
        webhook = TimedWebhook(receivers, "/services/T000/B000/analysts")
        monkeypatch.setenv("MOBWATCH_SLACK_WEBHOOK_URL", webhook.url)
        sample_sources.write_text(
            sample_sources.read_text("utf-8")
            + f"\n[http]\nread_timeout = {READ_TIMEOUT}\nretries = 0\n"
            + '\n[[sources]]\nname = "pravo-hanging"\nparser = "pravo_api"\n'
            + f'url = "{slow.url}/api/Documents"\n',
            "utf-8",
        )
        started = time.monotonic()
        try:
            summary = monitor(
                home=str(tmp_path),
                sources=str(sample_sources),
                since="2022-01-01",
                as_of="2025-12-01",
                window_days=2000,
            )
        finally:
            released.set()
        finished = time.monotonic()

    by_name = {row["source"]: row for row in summary.sources}
    assert "timed out" in str(by_name["pravo-hanging"]["error"])
    assert asked, "the hanging source was asked"
    assert webhook.arrivals, "the healthy sources' alerts reached Slack"
    first_alert = webhook.arrivals[0] - started
    hang_ends = asked[0] + READ_TIMEOUT - started
    with capsys.disabled():
        print(
            f"\nfirst alert delivered {first_alert:.2f} s into the pass; the hanging source "
            f"timed out at {hang_ends:.2f} s; the pass ended at {finished - started:.2f} s; "
            f"{len(webhook.arrivals)} Slack messages"
        )
    # Delivered while the hanging source still waited, not after its timeout.
    assert first_alert < hang_ends - 1.0
    assert finished - started >= hang_ends

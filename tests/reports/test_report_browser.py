"""The report in a real headless browser (Debian's chromium), with no network.

The browser loads the page from a file. Every request it might make, to any host, loopback
included, is sent to a listening socket standing in for a proxy, and host names resolve to
nothing: the test fails if anything reaches that socket. It reads back the DOM the browser
built (the charts are SVG elements; no hostile title became an element) and a screenshot
(not blank; the charts' colours are on it).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from matplotlib import image

from mobwatch.reports import charts
from mobwatch.reports.build import Report
from mobwatch.reports.files import ReportFiles

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# The browser's own network-time, component-update and sign-in checks, which its flags do
# not silence in every build. They too end at the tripwire; any other request is the page's.
BROWSER_SERVICES = frozenset(
    {"clients2.google.com", "update.googleapis.com", "accounts.google.com"}
)


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no headless browser: install Debian's chromium (`apt-get install chromium`)")


class Tripwire:
    """A listening socket that records every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    self.received.append(connection.recv(200))
                except OSError:
                    self.received.append(b"")

    def close(self) -> None:
        self.socket.close()

    def hosts(self) -> list[str]:
        """The host each request was for: `GET http://host/…` or `CONNECT host:443`."""
        found = []
        for head in self.received:
            target = head.split(b" ")[1].decode("latin-1") if head.count(b" ") >= 2 else "?"
            found.append(urlsplit(target if "//" in target else f"//{target}").hostname or "?")
        return found


@pytest.fixture
def tripwire() -> Iterator[Tripwire]:
    wire = Tripwire()
    yield wire
    wire.close()


def _chromium(browser: str, profile: Path, proxy_port: int, *args: str) -> str:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        "--font-render-hinting=none",
        f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        f"--proxy-server=http://127.0.0.1:{proxy_port}",
        "--proxy-bypass-list=<-loopback>",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _share_near(pixels: np.ndarray, colour: str, tolerance: float = 0.06) -> float:
    rgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    close = np.all(np.abs(pixels[:, :, :3] - rgb) < tolerance, axis=2)
    return float(close.mean())


def test_the_report_renders_offline_in_a_real_browser(
    money_report: tuple[Report, ReportFiles], tripwire: Tripwire, tmp_path: Path
) -> None:
    browser = _browser()
    page = money_report[1].html.resolve().as_uri()
    dom = _chromium(browser, tmp_path / "profile-dom", tripwire.port, "--dump-dom", page)
    # The browser built one SVG element per chart, and no hostile title became an element.
    assert dom.count("<svg") == 6
    assert "<script" not in dom and "<img" not in dom
    assert "&lt;script&gt;" in dom

    shot = tmp_path / "report.png"
    _chromium(
        browser,
        tmp_path / "profile-shot",
        tripwire.port,
        f"--screenshot={shot}",
        "--window-size=1280,4000",
        page,
    )
    pixels = image.imread(shot)
    assert pixels.shape[:2] == (4000, 1280)
    not_white = np.any(pixels[:, :, :3] < 0.94, axis=2).mean()
    assert not_white > 0.08, f"the page looks blank: {not_white:.1%} of it is not white"
    # The charts are drawn: the call-ups' autumn line and the force-size steps are on it.
    assert _share_near(pixels, charts.SEASON_COLOURS["autumn"]) > 0.0001
    assert _share_near(pixels, charts.SERVICEMEN) > 0.0001
    page_requests = [host for host in tripwire.hosts() if host not in BROWSER_SERVICES]
    assert page_requests == [], "the page made requests"

"""A real Prefect API for flow tests, and the demo's samples served on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness

from mobwatch.demo.server import LoopbackServer
from mobwatch.flows.demo import SAMPLES, write_demo_sources


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    """One temporary Prefect server (its own database) for the whole session."""
    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture
def samples() -> Iterator[LoopbackServer]:
    with LoopbackServer.from_directory(SAMPLES) as server:
        yield server


@pytest.fixture
def sample_sources(samples: LoopbackServer, tmp_path: Path) -> Path:
    return write_demo_sources(samples.url, tmp_path)

"""The fault server fixture: a parser kind's sample pages, one healthy server, one faulty.

The machinery (the faults, the sample sets, `FaultServer`) lives in `fault_server.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fault_server import Bench, FaultServer, no_sample_reason, sample_set


@pytest.fixture(scope="module")
def bench(request: pytest.FixtureRequest) -> Iterator[Bench]:
    """Parametrised indirectly with a parser kind; skips a kind without sample pages."""
    kind: str = request.param
    samples = sample_set(kind)
    if samples is None:
        pytest.skip(no_sample_reason(kind))
    healthy = FaultServer(samples.routes).start()
    faulty = FaultServer(samples.routes).start()
    try:
        yield Bench(kind, samples, healthy, faulty)
    finally:
        healthy.stop()
        faulty.stop()

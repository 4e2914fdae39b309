"""`mobwatch serve` as a user starts it: a real process, a real Prefect server, real runs.

On its own (no PREFECT_API_URL, the laptop default) it starts a local Prefect server,
registers prefect.yaml's deployments, runs one on request over loopback sources, and stops
on SIGTERM. Against a server (PREFECT_API_URL) a Ctrl-C cancels the run in flight. Either
way it exits 0 with one line, no traceback, and no process of its left behind.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mobwatch.demo.server import LoopbackServer, Reply, Request
from mobwatch.flows.demo import SAMPLES, write_demo_sources
from mobwatch.pipeline.settings import load_sources
from mobwatch.runtime.deployments import read_deployments
from mobwatch.runtime.prefect_api import SERVED_FILE, served_api
from tests.deploy.landed import sources_landed
from tests.deploy.prefect_api import (
    PrefectServer,
    client,
    create_run,
    deployments,
    state,
    wait_for_deployments,
    wait_for_state,
)
from tests.deploy.processes import (
    MOBWATCH,
    Command,
    blocks,
    clean_environ,
    descendants,
    running,
)

pytestmark = pytest.mark.slow

STOPPED = "mobwatch serve: stopped"
# A triggered run starts within a second, not the runner's default ten.
FAST_POLL = {"PREFECT_RUNNER_POLL_FREQUENCY": "1"}
# A slow source, not a dead one: a run's process exits once its threads are done, and one
# blocked on a source that never answers is killed only after Prefect's 30-second grace.
SLOW_SOURCE_SECONDS = 3


@contextmanager
def serving(args: list[str], env: dict[str, str], tmp_path: Path) -> Iterator[Command]:
    command = Command([str(MOBWATCH), "serve", *args], env, tmp_path, tmp_path / "serve.err")
    try:
        yield command
    finally:
        command.end()


def served_entrypoints() -> dict[str, str]:
    """prefect.yaml's `flows/monitor.py:monitor` is served as `mobwatch.flows.monitor`."""
    return {
        spec.name: "mobwatch." + spec.entrypoint.replace(".py:", ".").replace("/", ".")
        for spec in read_deployments()
    }


def test_serve_alone_registers_prefect_yaml_runs_a_pass_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    home = (tmp_path / "home").resolve()
    env = clean_environ(tmp_path / "prefect", **FAST_POLL)  # no PREFECT_API_URL
    with LoopbackServer.from_directory(SAMPLES) as samples:
        sources = write_demo_sources(samples.url, tmp_path).resolve()
        args = ["--home", str(home), "--sources", str(sources)]
        with serving(args, env, tmp_path) as serve:
            # The first start of a Prefect server creates its database: allow for it.
            api_url = serve.wait_for_line(r"started a local Prefect server, (\S+)", 180)[1]
            assert api_url.startswith("http://127.0.0.1:")
            # Left under the home for `mobwatch run` to record its passes on.
            announced = served_api(home)
            assert announced is not None and announced.url == api_url
            with client(api_url) as api:
                found = wait_for_deployments(api, served_entrypoints(), timeout=60)
                for spec in read_deployments():
                    deployment = found[spec.name]
                    accepted = spec.load_flow().parameters.properties
                    given = {"home": str(home), "sources": str(sources)}
                    assert deployment["parameters"] == {
                        **spec.parameters,
                        **{key: value for key, value in given.items() if key in accepted},
                    }
                    schedules = [
                        {key: item["schedule"][key] for key in ("cron", "timezone")}
                        for item in deployment["schedules"]
                    ]
                    assert schedules == spec.schedules
                    assert deployment["paused"] is False
                run = create_run(api, found["monitor-hourly"]["id"], {"since": "2022-01-01"})
                assert wait_for_state(api, run, timeout=120) == "COMPLETED"
            children = descendants(serve.process.pid)
            assert children, "the local Prefect server runs as a child"
            code, seconds = serve.signal(signal.SIGTERM)

    assert (code, serve.lines[-1]) == (0, STOPPED)
    assert seconds < 15
    assert not (home / SERVED_FILE).exists()  # no pass looks for a server that has gone
    assert "Traceback" not in serve.log.read_text()
    assert [pid for pid in children if running(pid)] == []
    healthy, observed = sources_landed(f"sqlite:///{home / 'mobwatch.db'}")
    watched = {source.name for source in load_sources(sources)}
    assert healthy == watched  # every loopback source read by the served run
    assert "pravo-president" in observed & watched


def test_ctrl_c_cancels_the_run_in_flight_and_pauses_the_schedules(
    tmp_path: Path, prefect_server: PrefectServer
) -> None:
    def slow(request: Request, raw: object) -> Reply:
        time.sleep(SLOW_SOURCE_SECONDS)  # the pass is in flight, waiting for its source
        return Reply(200, b"<rss version='2.0'><channel/></rss>", "application/rss+xml")

    env = prefect_server.environ(tmp_path / "prefect", **FAST_POLL)
    with LoopbackServer() as feed, client(prefect_server.api_url) as api:
        feed.add_handler("/slow.rss", slow)
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[sources]]\nname = "slow-feed"\nparser = "rss"\nurl = "{feed.url}/slow.rss"\n'
        )
        args = ["--home", str(tmp_path / "home"), "--sources", str(sources)]
        with serving(args, env, tmp_path) as serve:
            # PREFECT_API_URL is set: serve uses that server and starts none of its own.
            assert serve.wait_for_line(r"deployments on (\S+)", 90)[1] == prefect_server.api_url
            found = wait_for_deployments(api, served_entrypoints(), timeout=60)
            run = create_run(api, found["monitor-hourly"]["id"], {})
            deadline = time.monotonic() + 60
            while not feed.requests and time.monotonic() < deadline:
                time.sleep(0.1)
            assert feed.requests, f"the run never reached its source: {state(api, run)}"
            children = descendants(serve.process.pid)
            # The terminal's Ctrl-C reaches the runs only as the runner's cancellation: a
            # SIGINT at an arbitrary line of a run could leave it hanging.
            assert children and all(blocks(pid, signal.SIGINT) for pid in children)
            # A terminal's Ctrl-C: SIGINT to the whole process group, the run's process too.
            code, seconds = serve.signal(signal.SIGINT, group=True)

        assert (code, serve.lines[-1]) == (0, STOPPED)
        assert seconds < 15
        assert "Traceback" not in serve.log.read_text()
        assert [pid for pid in children if running(pid)] == []
        assert state(api, run) == "CANCELLED"  # not left Running, as Prefect's own Ctrl-C does
        assert deployments(api)["monitor-hourly"]["paused"] is True

"""`mobwatch serve`: every deployment of prefect.yaml run on its schedule by this process.

The deployments are built from prefect.yaml (`runtime/deployments.py`) and served with
Prefect's `serve`: each scheduled or requested run is a child process of this one. With no
Prefect API configured, a local Prefect server is started for them (`runtime/local_server.py`)
and stopped on the way out; while it runs, its address is left under mobwatch's home for
`mobwatch run` to record its passes on (`runtime/prefect_api.py`).

Stopping: Prefect's runner handles SIGTERM itself once it has started: it cancels the runs
in flight (their child processes killed, their state Cancelled), pauses the schedules and
returns. Ctrl-C is turned into the same SIGTERM (`runtime/signals.py`), because Prefect's own
Ctrl-C path kills a run's process but leaves the run marked Running. A signal that arrives
before the runner has started stops the start-up instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from prefect import serve
from prefect.client.schemas.schedules import CronSchedule
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

from mobwatch.runtime.dead_man import install_dead_man
from mobwatch.runtime.deployments import DeploymentSpec
from mobwatch.runtime.feed_server import serving_feeds
from mobwatch.runtime.local_server import LocalPrefectServer
from mobwatch.runtime.prefect_api import announce_served
from mobwatch.runtime.signals import ignore_signals


def runner_deployments(
    specs: Sequence[DeploymentSpec], overrides: Mapping[str, Any]
) -> list[RunnerDeployment]:
    """One deployment per spec; `overrides` (home, sources) go to the flows that take them."""
    deployments = []
    for spec in specs:
        flow = spec.load_flow()
        accepted = flow.parameters.properties
        parameters = {**spec.parameters}
        parameters.update({key: value for key, value in overrides.items() if key in accepted})
        deployments.append(
            flow.to_deployment(
                name=spec.name,
                description=spec.description,
                parameters=parameters,
                tags=spec.tags,
                schedules=spec.cron_schedules(),
                concurrency_limit=spec.concurrency(),
                # Runs import mobwatch.flows.<module> as installed, whatever the directory.
                entrypoint_type=EntrypointType.MODULE_PATH,
            )
        )
    return deployments


def _schedule_text(deployment: RunnerDeployment) -> str:
    crons = [
        f"{item.schedule.cron} ({item.schedule.timezone or 'UTC'})"
        for item in deployment.schedules or []
        if isinstance(item.schedule, CronSchedule)
    ]
    return ", ".join(crons) or "by hand"


@contextmanager
def _environment(updates: Mapping[str, str]) -> Iterator[None]:
    """Variables every run inherits (each is a child process), for as long as serving lasts."""
    previous = {name: os.environ.get(name) for name in updates}
    os.environ.update(updates)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def serve_deployments(
    deployments: Sequence[RunnerDeployment],
    *,
    environment: Mapping[str, str],
    server_log: Path,
    home: Path,
    out: TextIO,
    dead_man_hours: float | None = None,
    feeds_port: int | None = None,
) -> None:
    """Serve until SIGTERM or Ctrl-C; returns once every run and child process is gone.

    With `dead_man_hours`, the dead man's switch is installed on the server first
    (`dead_man.py`); with `feeds_port`, the alert feeds are served on it (`feed_server.py`).

    Call it under `mobwatch.runtime.signals.stop_on_signals`: a signal before Prefect's runner has
    started raises `Stopped` out of it, after the same clean-up.
    """
    with _environment(environment), ExitStack() as stack:
        try:
            api = get_current_settings().api.url
            if not api:
                server = stack.enter_context(LocalPrefectServer(server_log))
                api = server.api_url
                stack.enter_context(temporary_settings(updates={PREFECT_API_URL: api}))
                # `mobwatch run` under this home records its passes on this server too.
                stack.callback(announce_served(home, api).unlink, missing_ok=True)
                print(f"mobwatch serve: started a local Prefect server, {api}", file=out)
            print(f"mobwatch serve: {len(deployments)} deployments on {api}", file=out)
            for deployment in deployments:
                name = f"{deployment.flow_name}/{deployment.name}"
                print(f"  {name:<34} {_schedule_text(deployment)}", file=out)
            if dead_man_hours:
                within = timedelta(hours=dead_man_hours)
                print(f"mobwatch serve: {install_dead_man(os.environ, within=within)}", file=out)
            if feeds_port is not None:
                feeds = stack.enter_context(serving_feeds(home, feeds_port))
                print(f"mobwatch serve: alert feeds on {feeds}/<route>.atom", file=out)
            print("mobwatch serve: Ctrl-C or SIGTERM stops it", file=out, flush=True)
            serve(*deployments, print_starting_message=False)
        finally:
            ignore_signals()

"""What the deployment tests ask a Prefect server, over its REST API."""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.deploy.processes import clean_environ

FINAL = frozenset({"COMPLETED", "FAILED", "CRASHED", "CANCELLED"})
# What Prefect's own client retries: the server answers 503 for an error a client may retry
# (a database busy or locked under load), as its `custom_internal_exception_handler` says.
RETRIED_STATUSES = frozenset({429, 502, 503})
RETRY_PAUSES = (0.5, 1.0, 2.0, 4.0, 8.0)


@dataclass(frozen=True)
class PrefectServer:
    api_url: str
    database_url: str | None  # its PostgreSQL database; None: SQLite under its home
    home: Path

    def environ(self, prefect_home: Path, **extra: str) -> dict[str, str]:
        """For a client of this server: a command, a worker, `mobwatch serve`."""
        return clean_environ(prefect_home, PREFECT_API_URL=self.api_url, **extra)


class RetryingTransport(httpx.HTTPTransport):
    """Asks again, with a growing pause, while the server says to retry."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        for pause in RETRY_PAUSES:
            if response.status_code not in RETRIED_STATUSES:
                break
            response.close()
            time.sleep(pause)
            response = super().handle_request(request)
        return response


def client(api_url: str) -> httpx.Client:
    return httpx.Client(base_url=api_url, timeout=10.0, transport=RetryingTransport())


def deployments(api: httpx.Client) -> dict[str, dict[str, Any]]:
    """Every deployment, by its name."""
    reply = api.post("/deployments/filter", json={})
    reply.raise_for_status()
    return {deployment["name"]: deployment for deployment in reply.json()}


def wait_for_deployments(
    api: httpx.Client, entrypoints: Mapping[str, str], timeout: float
) -> dict[str, dict[str, Any]]:
    """Once each named deployment is registered with its entrypoint (the tests share one
    server: `mobwatch serve` and `prefect deploy` register the same names)."""
    deadline = time.monotonic() + timeout
    while True:
        found = deployments(api)
        now = {name: found[name]["entrypoint"] for name in entrypoints if name in found}
        if now == dict(entrypoints) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert now == dict(entrypoints), f"registered: {now}"
    return found


def create_run(api: httpx.Client, deployment_id: str, parameters: dict[str, Any]) -> str:
    reply = api.post(
        f"/deployments/{deployment_id}/create_flow_run", json={"parameters": parameters}
    )
    reply.raise_for_status()
    return str(reply.json()["id"])


def state(api: httpx.Client, run_id: str) -> str:
    reply = api.get(f"/flow_runs/{run_id}")
    reply.raise_for_status()
    return str(reply.json()["state"]["type"])


def wait_for_state(
    api: httpx.Client, run_id: str, timeout: float, states: Collection[str] = FINAL
) -> str:
    deadline = time.monotonic() + timeout
    while (now := state(api, run_id)) not in states and time.monotonic() < deadline:
        time.sleep(0.3)
    return now

"""prefect.yaml declares deployments whose entrypoints load from the repository root."""

from __future__ import annotations

from pathlib import Path

import yaml
from prefect.flows import load_flow_from_entrypoint

ROOT = Path(__file__).resolve().parents[2]


def test_every_deployment_entrypoint_loads_a_flow(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)  # Prefect resolves entrypoints from the project root
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text("utf-8"))
    deployments = {d["name"]: d for d in spec["deployments"]}
    assert "monitor-hourly" in deployments
    for deployment in deployments.values():
        module = deployment["entrypoint"].partition(":")[0]
        assert module.startswith("flows/") and module.endswith(".py")
        flow = load_flow_from_entrypoint(deployment["entrypoint"])
        assert flow.name.startswith("mobwatch-")
        for schedule in deployment.get("schedules", []):
            assert schedule["timezone"] == "Europe/Moscow"


def test_the_hourly_monitor_runs_every_hour() -> None:
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text("utf-8"))
    [monitor] = [d for d in spec["deployments"] if d["name"] == "monitor-hourly"]
    [schedule] = monitor["schedules"]
    minute, hour, *_ = schedule["cron"].split()
    assert minute.isdigit() and hour == "*"

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
    assert {"monitor-hourly", "daily-digest"} <= set(deployments)
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


def test_the_report_is_weekly_and_backfill_runs_by_hand(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text("utf-8"))
    deployments = {d["name"]: d for d in spec["deployments"]}
    [weekly] = deployments["weekly-report"]["schedules"]
    *_, day, month, weekday = weekly["cron"].split()
    assert (day, month, weekday) == ("*", "*", "1")  # Mondays
    backfill = deployments["backfill"]
    assert not backfill.get("schedules")
    flow = load_flow_from_entrypoint(backfill["entrypoint"])
    assert set(backfill["parameters"]) <= set(flow.parameters.properties)
    assert "since" in flow.parameters.required


def test_the_daily_digest_runs_every_morning_in_moscow() -> None:
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text("utf-8"))
    [digest] = [d for d in spec["deployments"] if d["name"] == "daily-digest"]
    assert digest["entrypoint"] == "flows/digest.py:daily_digest"
    assert digest["schedules"] == [{"cron": "0 8 * * *", "timezone": "Europe/Moscow"}]
    [monitor] = [d for d in spec["deployments"] if d["name"] == "monitor-hourly"]
    assert digest["work_pool"] == monitor["work_pool"]

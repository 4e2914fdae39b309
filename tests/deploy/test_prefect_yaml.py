"""`mobwatch serve` builds its deployments from prefect.yaml, and refuses what it cannot
serve as written rather than serving something else."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from prefect.client.schemas.schedules import CronSchedule

from mobwatch.cli.main import main
from mobwatch.pipeline.settings import ConfigurationError
from mobwatch.runtime.deployments import read_deployments
from mobwatch.runtime.serve import runner_deployments

DEPLOYMENT = """
deployments:
  - name: monitor-hourly
    entrypoint: {entrypoint}
    schedules:
      - {schedule}
"""


def write_prefect_yaml(tmp_path: Path, **fields: str) -> Path:
    values = {"entrypoint": "flows/monitor.py:monitor", "schedule": 'cron: "5 * * * *"'}
    path = tmp_path / "prefect.yaml"
    path.write_text(DEPLOYMENT.format(**{**values, **fields}), "utf-8")
    return path


def test_every_deployment_of_prefect_yaml_is_served_as_declared() -> None:
    specs = read_deployments()
    overrides = {"home": "/srv/mobwatch", "sources": "/srv/mobwatch/sources.toml"}
    served = {d.name: d for d in runner_deployments(specs, overrides)}
    assert set(served) == {"monitor-hourly", "daily-digest", "weekly-report", "backfill"}
    for spec in specs:
        deployment = served[spec.name]
        module, _, flow = spec.entrypoint.partition(":")
        assert (
            deployment.entrypoint
            == f"mobwatch.{module.removesuffix('.py').replace('/', '.')}.{flow}"
        )
        schedules = [item.schedule for item in deployment.schedules]
        crons = [
            {"cron": item.cron, "timezone": item.timezone}
            for item in schedules
            if isinstance(item, CronSchedule)
        ]
        assert crons == spec.schedules
        assert deployment.description == spec.description
    # Each flow gets the options it takes; the digest and the report read no sources.
    assert served["monitor-hourly"].parameters == overrides
    assert served["daily-digest"].parameters == {"home": "/srv/mobwatch"}
    assert served["backfill"].parameters == {
        "since": "2022-01-01",
        "min_interval": 1.0,
        **overrides,
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"schedule": "interval: 3600"}, "cron schedules only"),
        ({"schedule": 'cron: "5 * * * *"\n        every: hour'}, "every"),
        ({"entrypoint": "flows/nowhere.py:monitor"}, "cannot load flows/nowhere.py"),
        ({"entrypoint": "pipeline/settings.py:Settings"}, "is not a flow"),
        ({"entrypoint": "monitor"}, "must be <path>.py:<flow>"),
    ],
)
def test_what_serve_cannot_serve_as_written_is_refused(
    tmp_path: Path, fields: dict[str, str], message: str
) -> None:
    [spec] = read_deployments(write_prefect_yaml(tmp_path, **fields))
    with pytest.raises(ConfigurationError, match=message):
        runner_deployments([spec], {})


def test_serve_stops_on_a_broken_configuration_before_serving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["serve", "--home", str(tmp_path), "--sources", str(tmp_path / "missing.toml")]
    assert main(args, out=StringIO()) == 2
    assert "sources file not found" in capsys.readouterr().err

"""A team's deployment, end to end, as the README tells it: a Prefect server, a process work
pool, `prefect deploy --all` from prefect.yaml, a worker that clones the code with the pull
step, a run of the monitoring deployment over loopback sources, and the store on PostgreSQL.

The repository the worker clones is a bare copy of this checkout's HEAD in the test's
directory, named by MOBWATCH_REPOSITORY and MOBWATCH_BRANCH at deploy time: nothing leaves
loopback. The worker runs the committed code, not the working tree's.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest

from mobwatch.demo.server import LoopbackServer
from mobwatch.flows.demo import SAMPLES, write_demo_sources
from mobwatch.pipeline.settings import load_sources
from mobwatch.runtime.dead_man import AUTOMATION_NAME
from mobwatch.runtime.deployments import read_deployments
from tests.deploy.landed import sources_landed
from tests.deploy.prefect_api import (
    PrefectServer,
    client,
    deployments,
    wait_for_deployments,
    wait_for_state,
)
from tests.deploy.processes import PREFECT, prefect

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
BRANCH = "deploy-test"  # not the bare repository's HEAD: the pull step must name it


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A bare repository holding this checkout's HEAD on the branch BRANCH."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the pull step clones with git")
    if _git("rev-parse", "--verify", "HEAD", cwd=ROOT).returncode != 0:
        pytest.skip(f"{ROOT} is not a git checkout with a commit: nothing for workers to clone")
    bare = tmp_path / "mobwatch.git"
    assert _git("init", "--bare", "--quiet", str(bare), cwd=tmp_path).returncode == 0
    # Fetched into the copy: the checkout itself is only read.
    fetched = _git("fetch", "--quiet", str(ROOT), f"HEAD:refs/heads/{BRANCH}", cwd=bare)
    assert fetched.returncode == 0, fetched.stderr
    return bare


def test_prefect_yaml_deploys_and_a_worker_runs_the_monitor_into_postgres(
    tmp_path: Path, prefect_server: PrefectServer, repository: Path, postgres_url: str
) -> None:
    home = tmp_path / "home"
    client_home = tmp_path / "prefect-client"
    env = prefect_server.environ(client_home)
    prefect(["work-pool", "create", "mobwatch", "--type", "process"], env, tmp_path)
    deploy_env = {**env, "MOBWATCH_REPOSITORY": str(repository), "MOBWATCH_BRANCH": BRANCH}
    # The build step installs the dead man's switch for the operator's webhook.
    deploy_env["MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL"] = "http://127.0.0.1:9/operator-hook"
    prefect(["deploy", "--all", "--no-prompt"], deploy_env, ROOT)

    specs = read_deployments()
    assert prefect_server.database_url is not None  # PostgreSQL is up: the server uses it
    with psycopg.connect(prefect_server.database_url.replace("+asyncpg", "")) as conn:
        registered = conn.execute("SELECT name FROM deployment").fetchall()
    assert {spec.name for spec in specs} <= {name for (name,) in registered}
    with client(prefect_server.api_url) as api:
        found = wait_for_deployments(api, {s.name: s.entrypoint for s in specs}, timeout=30)
        for spec in specs:
            deployment = found[spec.name]
            assert deployment["work_pool_name"] == "mobwatch"
            # Resolved at deploy time from the deploying shell's environment.
            assert deployment["pull_steps"] == [
                {
                    "prefect.deployments.steps.git_clone": {
                        "repository": str(repository),
                        "branch": BRANCH,
                    }
                }
            ]
            schedules = [
                {key: item["schedule"][key] for key in ("cron", "timezone")}
                for item in deployment["schedules"]
            ]
            assert schedules == spec.schedules
        # One pass at a time; and the dead man's switch is on the server.
        monitor = found["monitor-hourly"]
        assert monitor["global_concurrency_limit"]["limit"] == 1
        assert monitor["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"
        automations = api.post("/automations/filter", json={}).json()
        assert [a["name"] for a in automations].count(AUTOMATION_NAME) == 1

        with LoopbackServer.from_directory(SAMPLES) as samples:
            sources = write_demo_sources(samples.url, tmp_path)
            created = prefect(
                [
                    "deployment",
                    "run",
                    "mobwatch-monitor/monitor-hourly",
                    "--param",
                    f"sources={sources}",
                    "--param",
                    "since=2022-01-01",
                ],
                env,
                tmp_path,
            )
            run = re.search(r"UUID: ([0-9a-f-]{36})", created)
            assert run, created
            # The worker's own environment: the store on PostgreSQL, as on a team's machine.
            worker_env = {**env, "MOBWATCH_DB_URL": postgres_url, "MOBWATCH_HOME": str(home)}
            worker = subprocess.run(
                [*PREFECT, "worker", "start", "--pool", "mobwatch", "--run-once", "--limit", "1"],
                env=worker_env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            assert worker.returncode == 0, worker.stdout + worker.stderr
            # The run starts in a new, empty directory: flows/monitor.py is there only because
            # the pull step cloned the repository's branch into it.
            outcome = wait_for_state(api, run[1], timeout=30)
            assert outcome == "COMPLETED", worker.stdout + worker.stderr
        assert deployments(api)["monitor-hourly"]["work_pool_name"] == "mobwatch"

    healthy, observed = sources_landed(postgres_url)
    watched = {source.name for source in load_sources(sources)}
    assert healthy == watched
    assert "pravo-president" in observed & watched

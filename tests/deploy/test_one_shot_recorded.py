"""`mobwatch run` records its pass in Prefect where there is a Prefect API to record it on."""

from __future__ import annotations

import subprocess
from pathlib import Path

from mobwatch.demo.server import LoopbackServer
from mobwatch.flows.demo import SAMPLES, write_demo_sources
from mobwatch.runtime.local_server import free_loopback_port
from mobwatch.runtime.prefect_api import announce_served, configured_api
from tests.deploy.prefect_api import PrefectServer, client
from tests.deploy.processes import MOBWATCH, clean_environ


def run_once(home: Path, sources: Path, env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(
        [MOBWATCH, "run", "--home", str(home), "--sources", str(sources), "--since", "2022-01-01"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def monitor_runs(api_url: str, home: Path) -> list[str]:
    """The states of the mobwatch-monitor runs of this home."""
    with client(api_url) as api:
        reply = api.post("/flow_runs/filter", json={})
        reply.raise_for_status()
        return [
            run["state"]["type"]
            for run in reply.json()
            if run["parameters"].get("home") == str(home)
        ]


def test_a_pass_is_recorded_on_the_server_mobwatch_serve_announced(
    tmp_path: Path, prefect_server: PrefectServer
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    announce_served(home, prefect_server.api_url)  # as a running `mobwatch serve` does
    env = clean_environ(tmp_path / "prefect-home", HOME=str(tmp_path))
    with LoopbackServer.from_directory(SAMPLES) as samples:
        out = run_once(home, write_demo_sources(samples.url, tmp_path), env, tmp_path)
    assert f"recorded in Prefect as a mobwatch-monitor run on {prefect_server.api_url}" in out
    assert monitor_runs(prefect_server.api_url, home) == ["COMPLETED"]
    # Nothing of the user's Prefect set-up was changed to get there.
    assert not (tmp_path / "prefect-home" / "profiles.toml").exists()


def test_an_announcement_nobody_answers_any_more_is_ignored(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    announce_served(home, f"http://127.0.0.1:{free_loopback_port()}/api")  # serve killed -9
    env = clean_environ(tmp_path / "prefect-home", HOME=str(tmp_path))
    with LoopbackServer.from_directory(SAMPLES) as samples:
        out = run_once(home, write_demo_sources(samples.url, tmp_path), env, tmp_path)
    assert "not recorded in Prefect (no Prefect API configured" in out


def test_the_api_is_found_where_prefect_reads_it(tmp_path: Path) -> None:
    url = "http://127.0.0.1:4200/api"
    home = tmp_path / "prefect-home"
    bare = {"PREFECT_HOME": str(home)}
    assert configured_api(bare, tmp_path) is None
    assert configured_api({**bare, "PREFECT_API_URL": url}, tmp_path).url == url  # type: ignore[union-attr]
    home.mkdir()
    (home / "profiles.toml").write_text(
        f'active = "team"\n[profiles.team]\nPREFECT_API_URL = "{url}/team"\n'
        '[profiles.other]\nPREFECT_API_URL = "http://127.0.0.1:1/api"\n'
    )
    assert configured_api(bare, tmp_path).url == f"{url}/team"  # type: ignore[union-attr]
    assert configured_api({**bare, "PREFECT_PROFILE": "other"}, tmp_path).url.endswith(":1/api")  # type: ignore[union-attr]
    (tmp_path / "prefect.toml").write_text(f'[api]\nurl = "{url}/toml"\n')
    assert configured_api(bare, tmp_path).url == f"{url}/toml"  # type: ignore[union-attr]
    (tmp_path / ".env").write_text(f"PREFECT_API_URL='{url}/dotenv'\n")
    assert configured_api(bare, tmp_path).url == f"{url}/dotenv"  # type: ignore[union-attr]


def test_a_served_server_counts_only_while_it_answers(
    tmp_path: Path, prefect_server: PrefectServer
) -> None:
    from mobwatch.runtime.prefect_api import served_api

    assert served_api(tmp_path) is None
    announce_served(tmp_path, prefect_server.api_url)
    found = served_api(tmp_path)
    assert found is not None and found.served and found.url == prefect_server.api_url

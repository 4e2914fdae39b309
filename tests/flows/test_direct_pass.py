"""A pass without Prefect: the same pass, parsing on a pool of processes or in this one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mobwatch.demo.server import LoopbackServer
from mobwatch.flows.direct import DirectSteps
from mobwatch.pipeline.monitor_pass import PassSummary, monitoring_pass
from mobwatch.pipeline.parse_pool import PoolWork
from mobwatch.pipeline.settings import Settings
from mobwatch.store.records import observation_to_record
from mobwatch.store.store import Store
from tests.deploy.processes import clean_environ

SINCE = "2022-01-01"
AS_OF = "2025-12-01"


def with_broken_source(sources: Path, broken: LoopbackServer) -> Path:
    """The demo's sources and one whose JSON is cut short: a parse error, as data."""
    broken.add(
        "/api/Documents",
        b'{"items": [{"eoNumber": "0001',
        content_type="application/json; charset=utf-8",
    )
    sources.write_text(
        sources.read_text("utf-8") + f'\n[[sources]]\nname = "pravo-broken"\nparser = "pravo_api"\n'
        f'url = "{broken.url}/api/Documents"\n',
        "utf-8",
    )
    return sources


def stored(home: Path) -> list[dict[str, object]]:
    store = Store.open(f"sqlite:///{home / 'mobwatch.db'}")
    try:
        return [observation_to_record(obs) for obs in store.observations()]
    finally:
        store.close()


def direct_pass(home: Path, sources: Path, work: PoolWork) -> PassSummary:
    """One reader: sources stored in the same order each time, as merges depend on it."""
    settings = Settings.resolve(home=home, sources=sources)
    with DirectSteps(readers=1, work=work) as steps:
        return monitoring_pass(steps, settings, as_of=AS_OF, since=SINCE, window_days=2000)


def test_parsing_on_a_process_pool_stores_the_same_observations_as_in_process(
    tmp_path: Path, sample_sources: Path
) -> None:
    with LoopbackServer() as broken:
        sources = with_broken_source(sample_sources, broken)
        in_process = PoolWork(start_after=10**12)  # never starts its pool
        pooled = PoolWork(workers=2, start_after=0)  # every page and its facts read in the pool
        # Started within the first source's pages (the legal portal's, about 50 kB): the
        # pages parsed before it are read by the pool when the source is merged.
        midway = PoolWork(workers=2, start_after=40_000)
        alone = direct_pass(tmp_path / "alone", sources, in_process)
        shared = direct_pass(tmp_path / "pooled", sources, pooled)
        halfway = direct_pass(tmp_path / "midway", sources, midway)
    assert pooled.started and midway.started and not in_process.started
    assert any(row["changes"] for row in alone.sources), "the pass stored what it read"
    assert stored(tmp_path / "pooled") == stored(tmp_path / "alone")
    assert stored(tmp_path / "midway") == stored(tmp_path / "alone")
    changes = {row["source"]: row["changes"] for row in alone.sources}
    assert {row["source"]: row["changes"] for row in halfway.sources} == changes
    by_source = {row["source"]: row for row in shared.sources}
    assert {name: row["changes"] for name, row in by_source.items()} == changes
    # A page a worker could not read is the same error, with its reason and address.
    assert (
        by_source["pravo-broken"]["error"]
        == {r["source"]: r for r in alone.sources}["pravo-broken"]["error"]
    )
    assert "JSON" in str(by_source["pravo-broken"]["error"])
    assert alone.new_alerts == shared.new_alerts


def test_the_pool_starts_only_once_the_pass_has_parsed_enough(
    tmp_path: Path, sample_sources: Path
) -> None:
    # The demo's cold pass parses about 180 kB.
    small = PoolWork(workers=1, start_after=1_000_000)
    direct_pass(tmp_path / "small", sample_sources, small)
    assert small.started is False
    large = PoolWork(workers=1, start_after=50_000)
    direct_pass(tmp_path / "large", sample_sources, large)
    assert large.started is True


def test_run_with_no_prefect_api_runs_directly_says_so_and_never_imports_prefect(
    tmp_path: Path, sample_sources: Path
) -> None:
    home = tmp_path / "home"
    code = (
        "import sys\n"
        "from mobwatch.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "print('prefect imported:', 'prefect' in sys.modules)\n"
        "sys.exit(code)\n"
    )
    env = clean_environ(tmp_path / "prefect-home", HOME=str(tmp_path))
    command = [sys.executable, "-c", code, "run", "--home", str(home)]
    command += ["--sources", str(sample_sources), "--since", SINCE, "--as-of", AS_OF]
    done = subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "not recorded in Prefect (no Prefect API configured" in done.stdout
    assert "prefect imported: False" in done.stdout
    assert "pravo-president" in done.stdout
    assert stored(home), "the pass stored the sources' observations"

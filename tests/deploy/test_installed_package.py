"""The package as `pip install` puts it elsewhere: it carries the files a pass and `mobwatch
serve` read by default (sources, markers, alerts, prefect.yaml), which sit at the top of a
checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mobwatch.pipeline.settings import load_sources
from mobwatch.runtime.deployments import read_deployments

REPO_ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
import mobwatch.pipeline.settings as settings
from mobwatch.alerts.routing import DEFAULT_ALERTS_FILE, load_delivery_config
from mobwatch.indicators.rules.config import DEFAULT_MARKERS_FILE, load_marker_config
from mobwatch.runtime.deployments import PREFECT_YAML, read_deployments

sources = settings.load_sources(settings.DEFAULT_SOURCES)
load_marker_config(settings.DEFAULT_MARKERS)
load_delivery_config(settings.DEFAULT_ALERTS)
flows = [deployment.load_flow().name for deployment in read_deployments()]
print(json.dumps({
    "module": settings.__file__,
    "files": [str(settings.DEFAULT_SOURCES), str(settings.DEFAULT_MARKERS),
              str(settings.DEFAULT_ALERTS), str(PREFECT_YAML)],
    "same": [str(DEFAULT_MARKERS_FILE), str(DEFAULT_ALERTS_FILE)],
    "sources": len(sources),
    "flows": flows,
}))
"""


# The folders installed as `mobwatch.<folder>` (pyproject.toml).
PACKAGES = (
    "fetching",
    "parsers",
    "indicators",
    "store",
    "alerts",
    "reports",
    "pipeline",
    "flows",
    "runtime",
    "cli",
    "demo",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package installed from a copy of the checkout (a build writes into its source)."""
    root = tmp_path_factory.mktemp("installed")
    source = root / "source"
    skipped = shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__", "tests", "bench")
    shutil.copytree(REPO_ROOT, source, symlinks=True, ignore=skipped)
    # The build tools of this environment, not downloaded ones: nothing leaves the machine.
    install = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*install, "--target", str(root / "site"), str(source)],
        check=True,
        capture_output=True,
        cwd=root,
    )
    return root / "site"


def modules(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*.py")}


@pytest.mark.slow
def test_every_module_of_the_checkout_is_installed(site: Path) -> None:
    checkout = {f"{folder}/{name}" for folder in PACKAGES for name in modules(REPO_ROOT / folder)}
    assert modules(site / "mobwatch") == checkout


@pytest.mark.slow
def test_an_installed_package_reads_its_own_default_files(site: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = [sys.executable, "-c", PROBE]
    done = subprocess.run(probe, check=True, capture_output=True, text=True, cwd=tmp_path, env=env)
    found = json.loads(done.stdout)
    assert found["module"].startswith(str(site))  # the installed copy, not the checkout
    for path in found["files"]:
        assert path.startswith(str(site)) and Path(path).is_file(), path
        assert not Path(path).is_symlink()  # a copy: the checkout may be gone
    assert found["same"] == found["files"][1:3]
    assert found["sources"] == len(load_sources(REPO_ROOT / "sources.toml"))
    # `mobwatch serve` runs the deployments of the package's prefect.yaml
    assert found["flows"] == [deployment.load_flow().name for deployment in read_deployments()]

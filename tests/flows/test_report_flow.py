"""The report and backfill flows and commands, on a real Prefect API."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from mobwatch.cli.main import main
from mobwatch.demo.server import LoopbackServer
from mobwatch.flows.backfill import backfill
from mobwatch.flows.report import report
from mobwatch.store.store import Store

pytestmark = pytest.mark.usefixtures("prefect_api")


def cli(*args: str) -> tuple[int, str]:
    out = StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def _artifacts(key: str) -> list:  # type: ignore[type-arg]
    with get_client(sync_client=True) as client:
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )


def test_each_report_run_writes_the_page_and_leaves_its_summary_as_artifacts(
    tmp_path: Path,
) -> None:
    before = len(_artifacts("mobwatch-report"))
    summary = report(home=str(tmp_path), as_of="2026-06-01")
    page = tmp_path / "reports" / "mobwatch-report.html"
    assert summary.html == str(page) and page.exists()
    assert "+180,000 servicemen" in summary.figures[1]
    markdowns = _artifacts("mobwatch-report")
    assert len(markdowns) == before + 1
    assert "Risk level" in markdowns[0].data and "callup_size_anomaly" in markdowns[0].data
    [board, *_] = _artifacts("mobwatch-board")
    assert board.type == "table" and "mobilisation_declared" in str(board.data)


def test_the_report_command_writes_where_it_is_told(tmp_path: Path) -> None:
    code, output = cli("report", "--home", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 0, output
    assert (tmp_path / "out" / "mobwatch-report.html").exists()
    assert "120,000 (2022) to 154,100 (2014)" in output
    # The seeded payments (indicators/data/bonuses.csv) hold the federal rise of 2024.
    assert "Federal one-off payment, 2024-07-31: 195,000 -> 400,000 RUB" in output


def test_backfill_flow_and_command_resume_and_skip_what_is_done(
    tmp_path: Path, samples: LoopbackServer, sample_sources: Path
) -> None:
    first = backfill(
        since="2024-01-01",
        until="2024-06-30",
        home=str(tmp_path),
        sources=str(sample_sources),
        min_interval=0,
    )
    assert first.complete
    pravo = next(row for row in first.sources if row["source"] == "pravo-president")
    assert pravo["finished"] == pravo["segments"] == 6
    store = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    stored = store.counts()["observations"]
    mark = len(samples.requests)
    code, output = cli(
        "backfill",
        "--since",
        "2024-01-01",
        "--until",
        "2024-06-30",
        "--home",
        str(tmp_path),
        "--sources",
        str(sample_sources),
        "--interval",
        "0",
    )
    assert code == 0, output
    assert "6 already done, of 6" in output
    assert samples.requests[mark:] == []  # every window and the feed's range are done
    assert store.counts()["observations"] == stored
    assert _artifacts("mobwatch-backfill")


def test_backfill_refuses_an_unknown_source(tmp_path: Path, sample_sources: Path) -> None:
    code, _ = cli(
        "backfill",
        "--since",
        "2024-01-01",
        "--home",
        str(tmp_path),
        "--sources",
        str(sample_sources),
        "--source",
        "nowhere",
    )
    assert code == 2

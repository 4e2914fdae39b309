"""The history report on disk: one HTML page, a CSV of every series and, when pandas has a
Parquet engine, the same series as Parquet."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from mobwatch.reports.build import Report

HTML_NAME = "mobwatch-report.html"
DATA_DIR = "series"


@dataclass
class ReportFiles:
    html: Path
    csv: list[Path] = field(default_factory=list)
    parquet: list[Path] = field(default_factory=list)


def parquet_engine() -> str | None:
    """The Parquet engine pandas can use here, if any (none is a dependency of mobwatch)."""
    for engine in ("pyarrow", "fastparquet"):
        if importlib.util.find_spec(engine) is not None:
            return engine
    return None


def write_series(report: Report, out: Path) -> ReportFiles:
    """A CSV of every series (and Parquet when an engine is installed) under `out/series/`."""
    directory = out / DATA_DIR
    directory.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(html=out / HTML_NAME)
    engine = parquet_engine()
    for name, table in report.tables().items():
        path = directory / f"{name}.csv"
        table.to_csv(path, index=False, date_format="%Y-%m-%d")
        files.csv.append(path)
        if engine:
            parquet = directory / f"{name}.parquet"
            table.to_parquet(parquet, engine=engine, index=False)  # type: ignore[arg-type]
            files.parquet.append(parquet)
    return files


def write_report(report: Report, out: Path) -> ReportFiles:
    """The page and its data files under `out`; returns their paths."""
    from mobwatch.reports.html import render_page  # matplotlib loads only when a page is drawn

    out.mkdir(parents=True, exist_ok=True)
    files = write_series(report, out)
    links = [path.relative_to(out).as_posix() for path in [*files.csv, *files.parquet]]
    files.html.write_text(render_page(report, links), encoding="utf-8")
    return files

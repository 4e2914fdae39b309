"""The report in brief: the lines the command prints and the Prefect artifacts show."""

from __future__ import annotations

from mobwatch.alerts.escape import markdown_text
from mobwatch.alerts.text import one_line
from mobwatch.reports.build import Report
from mobwatch.reports.figures import (
    REPORT_AUTUMN_HIGH,
    REPORT_AUTUMN_LOW,
    REPORT_FEDERAL_BONUS,
    REPORT_FORCE_INCREASE,
)
from mobwatch.reports.files import ReportFiles


def figure_lines(report: Report) -> list[str]:
    """The seed report's figures as computed, each with what the report states."""
    autumn = report.autumn
    lines = []
    if autumn.low and autumn.high:
        line = (
            f"Autumn call-ups {autumn.first_year}-{autumn.last_year}: {autumn.low.size:,} "
            f"({autumn.low.year}) to {autumn.high.size:,} ({autumn.high.year}); the report: "
            f"{REPORT_AUTUMN_LOW[0]:,} ({REPORT_AUTUMN_LOW[1]}) to {REPORT_AUTUMN_HIGH[0]:,} "
            f"({REPORT_AUTUMN_HIGH[1]})"
        )
        outside = autumn.outside_report
        if outside:
            rest_low, rest_high = autumn.without_outside
            listed = ", ".join(f"{c.year} {c.size:,} ({c.source})" for c in outside)
            line += f". Outside it: {listed}"
            if rest_low and rest_high:
                line += (
                    f"; the other autumns: {rest_low.size:,} ({rest_low.year}) to "
                    f"{rest_high.size:,} ({rest_high.year})"
                )
        lines.append(line)
    else:
        lines.append("Autumn call-ups 2014-2023: not in the data")
    force = report.force_increase
    if force and force.increase is not None:
        lines.append(
            f"Force-size decree of {force.signed}: {force.increase:+,} servicemen "
            f"({force.previous:,} -> {force.servicemen:,}, from the {force.source}); the report: "
            f"+{REPORT_FORCE_INCREASE:,}"
        )
    else:
        lines.append("Force-size decree of September 2024: not in the data")
    bonus = report.federal_change
    before, after = REPORT_FEDERAL_BONUS
    if bonus:
        lines.append(
            f"Federal one-off payment, {bonus.on}: {bonus.previous:,} -> {bonus.value:,} RUB; "
            f"the report: {before:,} -> {after:,}"
        )
    else:
        lines.append("Federal one-off payment: not in the data yet")
    return lines


def board_rows(report: Report) -> list[dict[str, str]]:
    """The indicators-and-warnings board as table rows (a Prefect table artifact)."""
    rows = []
    for row in report.board.rows:
        last = row.last
        rows.append(
            {
                "marker": row.marker,
                "status": str(row.status) if row.watched else "not watched yet",
                "last_alert": str(last.severity) if last else "",
                "date": last.fired_on.isoformat() if last else "",
                "last_evidence": one_line(last.title, 160) if last else "",
            }
        )
    return rows


def summary_markdown(report: Report, files: ReportFiles) -> str:
    board = report.board
    counts = report.observations["indicator"].value_counts().sort_index()
    lines = [
        f"# mobwatch history report, as of {report.as_of}",
        "",
        f"**Risk level {board.risk.level}**: {markdown_text(board.risk_reason)}",
        "",
        "## The report's figures, computed",
        *(f"- {markdown_text(line, 400)}" for line in figure_lines(report)),
        "",
        "## Indicators and warnings",
        "| marker | status | last alert | date |",
        "|---|---|---|---|",
        *(
            f"| {row['marker']} | {row['status']} | {row['last_alert']} | {row['date']} |"
            for row in board_rows(report)
        ),
        "",
        "## Observations",
        *(f"- {indicator}: {count:,}" for indicator, count in counts.items()),
        "",
        f"Page: `{files.html}`; {len(files.csv)} CSV files"
        + (f", {len(files.parquet)} Parquet files" if files.parquet else "")
        + ".",
    ]
    return "\n".join(lines)

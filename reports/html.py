"""The history report's page: one self-contained HTML file.

Everything is inline: the style, the charts (SVG markup), the tables. The page loads
nothing (its Content-Security-Policy forbids any fetch and any script), so it opens
offline and a hostile title cannot run. Every scraped text (titles, quotes) is escaped
and shown as text; links are written only for http(s) addresses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from mobwatch.alerts.escape import html_link, html_text
from mobwatch.indicators.rules.board import Board, BoardRow
from mobwatch.reports import charts
from mobwatch.reports.build import Report
from mobwatch.reports.figures import (
    REPORT_AUTUMN_HIGH,
    REPORT_AUTUMN_LOW,
    REPORT_FEDERAL_BONUS,
    REPORT_FORCE_INCREASE,
    Campaign,
)
from mobwatch.reports.markup import day, document, empty, number, period, signed, table, text

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
RECENT_CHANGES_DAYS = 90

STYLE = (Path(__file__).parent / "report.css").read_text(encoding="utf-8")


def render_page(report: Report, data_files: Sequence[str]) -> str:
    board = report.board
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>mobwatch: indicator history as of {report.as_of}</title>",
        f"<style>{STYLE}</style></head><body>",
        _header(report),
        _nav(),
        "<main>",
        _figures(report),
        _board(board),
        _markers(report),
        _callups(report),
        _force(report),
        _money(report),
        _data(data_files),
        _footer(report),
        "</main></body></html>",
    ]
    return "\n".join(parts)


# --- sections ----------------------------------------------------------------------------


def _header(report: Report) -> str:
    board = report.board
    count = len(report.observations)
    return (
        '<header><div class="inner"><div>'
        "<h1>mobwatch · indicator history</h1>"
        f"<p>As of {report.as_of:%d %B %Y} · {count:,} observations · generated "
        f"{report.generated_at:%Y-%m-%d %H:%M} UTC</p></div>"
        f'<div class="risk"><span class="level {text(board.risk.level)}">'
        f"RISK {text(board.risk.level)}</span>"
        f"<div>{text(board.risk_reason)}</div></div>"
        "</div></header>"
    )


def _nav() -> str:
    links = [
        ("figures", "Figures"),
        ("board", "Board"),
        ("markers", "Markers"),
        ("callups", "Call-ups"),
        ("force", "Force size"),
        ("money", "Money"),
        ("data", "Data"),
    ]
    anchors = "".join(f'<a href="#{key}">{label}</a>' for key, label in links)
    return f'<nav><div class="inner">{anchors}</div></nav>'


def _campaign(campaign: Campaign | None) -> str:
    if campaign is None:
        return "–"
    return f"{campaign.size:,} ({campaign.year})"


def _figures(report: Report) -> str:
    autumn = report.autumn
    low, high = autumn.low, autumn.high
    stated_low, stated_high = REPORT_AUTUMN_LOW, REPORT_AUTUMN_HIGH
    stated = (
        f"The report: {stated_low[0]:,} ({stated_low[1]}) to {stated_high[0]:,} ({stated_high[1]})"
    )
    if low is None:
        autumn_value, autumn_note = "no data", "No autumn call-up of 2014–2023 is stored yet."
    else:
        autumn_value = f"{low.size:,} – {high.size:,}"
        autumn_note = (
            f"Lowest {low.year} ({_source(low)}), highest {high.year} ({_source(high)}). "
            f"{_autumn_note(report)}"
        )
    force = report.force_increase
    if force is None or force.increase is None:
        force_value, force_note = "no data", "No force-size decree of September 2024 is stored."
    else:
        force_value = f"{force.increase:+,} servicemen"
        verdict = _verdict(force.increase == REPORT_FORCE_INCREASE)
        force_note = (
            f"{verdict} Decree of {force.signed:%d.%m.%Y}: {force.previous:,} → "
            f"{force.servicemen:,} servicemen ({_figure_source(force.source)})."
        )
    bonus = report.federal_change
    before, after = REPORT_FEDERAL_BONUS
    if bonus is None:
        bonus_value = "not in the data yet"
        bonus_note = "No change of the federal one-off payment is stored yet."
    else:
        bonus_value = f"{bonus.previous:,} → {bonus.value:,} ₽"
        bonus_note = (
            f"{_verdict(bonus.value == after)} Changed on {bonus.on:%d.%m.%Y}"
            f"{'; the report rounds the earlier figure' if bonus.previous != before else ''}."
        )
    cards = [
        (
            f"Autumn call-ups {autumn.first_year}–{autumn.last_year}",
            autumn_value,
            stated,
            autumn_note,
        ),
        (
            "Force increase, Sept 2024",
            force_value,
            f"The report: +{REPORT_FORCE_INCREASE:,}",
            force_note,
        ),
        ("Federal signing bonus", bonus_value, f"The report: {before:,} → {after:,} ₽", bonus_note),
    ]
    body = "".join(
        f'<div class="card"><div class="label">{text(label)}</div><div class="value">{text(value)}'
        f'</div><div class="stated">{text(said)}</div><div class="note">{note}</div></div>'
        for label, value, said, note in cards
    )
    return (
        '<h2 id="figures">The figures the report relies on, computed from the data</h2>'
        '<p class="lead">SCEEUS Report No. 13 (A. Golts, 2024) states these figures; mobwatch '
        "recomputes each from its stored history.</p>"
        f'<div class="cards">{body}</div>'
    )


def _verdict(matches: bool) -> str:
    return (
        '<span class="ok">Matches.</span>' if matches else '<span class="differs">Differs.</span>'
    )


def _source(campaign: Campaign) -> str:
    return _figure_source(campaign.source)


def _figure_source(source: str) -> str:
    """Where a figure was taken from, in the reader's words."""
    return "seeded history only" if source == "seed" else "read from the decree"


def _autumn_note(report: Report) -> str:
    autumn = report.autumn
    parts = []
    if autumn.matches_report:
        parts.append(_verdict(True))
    else:
        outside = ", ".join(
            f"{c.year}: {c.size:,} ({text(c.confidence)}, {_source(c)})"
            for c in autumn.outside_report
        )
        parts.append(f"{_verdict(False)} Outside the report's range: {outside or 'none'}.")
        rest_low, rest_high = autumn.without_outside
        if autumn.outside_report and rest_low is not None:
            years = len(autumn.campaigns) - len(autumn.outside_report)
            parts.append(
                f"Without it, the other {years} autumns range from {_campaign(rest_low)} to "
                f"{_campaign(rest_high)}."
            )
        if any(c.confidence == "unverified" for c in autumn.outside_report):
            parts.append("An unverified figure is kept until an official document replaces it.")
    if autumn.missing_years:
        parts.append(f"Missing: {', '.join(map(str, autumn.missing_years))}.")
    return " ".join(parts)


def _status_badge(row: BoardRow) -> str:
    if not row.watched:
        return '<span class="badge not-seen">not watched yet</span>'
    css = str(row.status).replace(" ", "-")
    return f'<span class="badge {css}">{text(row.status)}</span>'


def _board_row(row: BoardRow) -> str:
    last = row.last
    if last is None:
        evidence, when, severity = '<span class="quiet">–</span>', "–", ""
    else:
        link = row.evidence
        quote = f'<div class="quote">{html_text(link.quote, 220)}</div>' if link else ""
        title = html_link(link.url, last.title, 140) if link else html_text(last.title, 140)
        evidence = f"{title}{quote}"
        when = day(last.fired_on)
        severity = f'<span class="badge {text(last.severity)}">{text(last.severity)}</span>'
    if row.seed_only:
        evidence += '<div class="quiet">rests on the seeded history only</div>'
    status = _status_badge(row)
    if row.note:
        status += f'<div class="quiet">{text(row.note)}</div>'
    return (
        f"<tr><td><code>{text(row.marker)}</code></td><td>{status}</td>"
        f'<td>{severity}</td><td class="wrap">{evidence}</td><td class="num">{when}</td></tr>'
    )


def _board(board: Board) -> str:
    body = []
    for group in dict.fromkeys(row.group for row in board.rows):
        body.append(f'<tr class="group"><th colspan="5">{text(group)}</th></tr>')
        body += [_board_row(row) for row in board.rows if row.group == group]
    head = "<th>marker</th><th>status</th><th>last alert</th><th>last evidence</th>"
    head += '<th class="num">date</th>'
    grid = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    return (
        '<h2 id="board">Indicators and warnings</h2>'
        f'<p class="lead">Each marker as of {board.as_of:%d.%m.%Y}: not seen, seen, or escalating '
        f"(fired more than once, or more severely, in the last {board.window_days} days). "
        f'Risk level <span class="level {text(board.risk.level)}" style="padding:1px 10px;'
        f'font-size:13px">{text(board.risk.level)}</span> {text(board.risk_reason)}.</p>{grid}'
    )


def _markers(report: Report) -> str:
    watched = [row.marker for row in report.board.rows if row.watched]
    fired = [m for m in report.events["marker"].unique() if m not in watched]
    if report.events.empty:
        chart = empty("No marker has fired on the stored history.")
    else:
        start = report.risk["start"].min().date()
        chart = charts.markers_chart(
            report.events, report.risk, [*watched, *fired], start, report.as_of
        )
        chart = f"<figure>{chart}</figure>"
    spans = [
        [
            day(span.start),
            day(span.end - timedelta(days=1)),
            f'<span class="level {text(span.level)}" style="padding:0 10px;font-size:12px">'
            f"{text(span.level)}</span>",
        ]
        for span in report.risk.itertuples()
    ]
    return (
        '<h2 id="markers">Markers on a timeline</h2>'
        '<p class="lead">Every alert the stored history raises when replayed day by day, and the '
        "composite risk level beneath it (any critical alert in 90 days: RED; two warnings in 60 "
        "days: AMBER).</p>"
        f"{chart}<h3>Risk level, change by change</h3>"
        f'<div class="narrow scroll">{table(["from", "to", "level"], spans[::-1], set())}</div>'
    )


def _callups(report: Report) -> str:
    campaigns = report.campaigns
    if campaigns.empty:
        return '<h2 id="callups">Call-up campaigns</h2>' + empty("No call-up decree stored yet.")
    first = int(campaigns["year"].min())
    rows = [
        [
            f"{text(row.season)} {row.year}",
            day(row.signed),
            period(row.period_start, row.period_end),
            f"<strong>{number(row.size)}</strong>" if row.anomaly else number(row.size),
            f"{number(row.band_low)} – {number(row.band_high)}" if pd.notna(row.band_high) else "–",
            number(row.warning_above),
            text(row.confidence),
            document(row.title, row.url, row.document_number),
        ]
        for row in campaigns.sort_values(["year", "season"], ascending=False).itertuples()
    ]
    headers = [
        "campaign",
        "signed",
        "period",
        "size",
        "previous 10 years",
        "warning above",
        "confidence",
        "act",
    ]
    return (
        f'<h2 id="callups">Call-up campaigns since {first}</h2>'
        '<p class="lead">Conscripts called up by each decree. The shaded band is the range of the '
        "same season over the previous ten years; a call-up above its top is a warning, 15 % or "
        "more above it critical (<code>callup_size_anomaly</code>). Hollow points are figures "
        "not yet confirmed by an official document.</p>"
        f"<figure>{charts.callup_chart(campaigns)}</figure>"
        f'<div class="scroll">{table(headers, rows, {3, 4, 5})}</div>'
    )


def _force(report: Report) -> str:
    steps = report.force
    if steps.empty:
        return '<h2 id="force">Authorised strength</h2>' + empty("No force-size decree stored.")
    rows = [
        [
            day(row.signed),
            day(row.effective),
            number(row.servicemen),
            signed(row.servicemen_change),
            number(row.total_strength),
            signed(row.total_change),
            text(row.confidence),
            document(row.title, row.url, row.document_number),
        ]
        for row in steps.sort_values("signed", ascending=False).itertuples()
    ]
    headers = [
        "signed",
        "effective",
        "servicemen",
        "change",
        "total",
        "change",
        "confidence",
        "act",
    ]
    return (
        '<h2 id="force">Authorised strength of the Armed Forces</h2>'
        '<p class="lead">Each decree «Об установлении штатной численности Вооружённых Сил» sets '
        "the total and the servicemen within it, from its effective date.</p>"
        f"<figure>{charts.force_chart(steps, report.as_of)}</figure>"
        f"{table(headers, rows, {2, 3, 4, 5})}"
    )


def _money(report: Report) -> str:
    parts = ['<h2 id="money">Money for signing a contract</h2>', "<h3>The federal payment</h3>"]
    if report.federal.empty:
        parts.append(empty("No data yet: no federal one-off payment is stored."))
    else:
        chart = charts.payment_steps_chart(
            report.federal, report.as_of, "Federal one-off payment, roubles"
        )
        parts.append(f"<figure>{chart}</figure>")
    parts.append("<h3>Regional payments</h3>")
    regional = report.regional
    if regional.empty:
        parts.append(
            empty(
                "No data yet: no regional one-off payment is stored. Regional announcements "
                "appear here once the sources that publish them are read."
            )
        )
        return "".join(parts)
    current = report.regional_current
    parts.append(f"<figure>{charts.regional_current_chart(current)}</figure>")
    rows = [
        [
            f'{text(row.region_name)} <span class="quiet">{text(row.region)}</span>',
            number(row.value),
            day(row.since),
            number(row.previous),
            signed(row.change),
            document(row.title, row.url),
        ]
        for row in current.itertuples()
    ]
    headers = ["region", "payment, ₽", "since", "before", "change", "announcement"]
    parts.append(f'<div class="scroll">{table(headers, rows, {1, 3, 4})}</div>')
    parts.append(
        "<figure>"
        + charts.regional_trend_chart(
            report.regional_median, report.regional_quarters, report.as_of
        )
        + "</figure>"
    )
    parts.append(_recent_changes(report, report.as_of - timedelta(days=RECENT_CHANGES_DAYS)))
    return "".join(parts)


def _recent_changes(report: Report, since: date) -> str:
    regional = report.regional
    moved = regional[
        regional["direction"].isin(["increase", "cut"])
        & (regional["event_date"] >= pd.Timestamp(since))
    ].sort_values("event_date", ascending=False)
    title = f"<h3>Increases and cuts since {since:%d.%m.%Y}</h3>"
    if moved.empty:
        return title + empty(
            f"No region changed its payment in the last {RECENT_CHANGES_DAYS} days."
        )
    rows = [
        [
            day(row.event_date),
            f'{text(row.region_name)} <span class="quiet">{text(row.region)}</span>',
            f'<span class="badge {"warning" if row.direction == "increase" else "info"}">'
            f"{text(row.direction)}</span>",
            number(row.previous),
            number(row.value),
            signed(row.change),
            document(row.title, row.url),
        ]
        for row in moved.itertuples()
    ]
    headers = ["date", "region", "", "before", "now", "change", "announcement"]
    return title + f'<div class="scroll">{table(headers, rows, {3, 4, 5})}</div>'


def _data(files: Sequence[str]) -> str:
    items = "".join(f'<li><a href="{text(name)}">{text(name)}</a></li>' for name in files)
    return (
        '<h2 id="data">Data</h2>'
        '<p class="lead">Every series behind this page, beside it: one file per indicator and per '
        f'derived series.</p><ul class="files">{items}</ul>'
    )


def _footer(report: Report) -> str:
    return (
        "<footer>mobwatch reads the legal publication portal and the Kremlin's acts, and the "
        "regions' announcements in channels, news feeds and list pages; the seeded history "
        "comes from the project's collected facts, each figure marked with its confidence. "
        "Markers and thresholds: <code>markers.toml</code>. Generated "
        f"{report.generated_at:%Y-%m-%d %H:%M} UTC.</footer>"
    )

"""The report's charts: matplotlib figures rendered to SVG, embedded in the page.

Why matplotlib to inline SVG: it renders on a server with no browser and no network (the
Agg backend, chosen explicitly below, needs no display), it is among the best-kept
plotting libraries there are, and the SVG it writes is plain markup: the page needs no
JavaScript, no CDN and no font download, opens offline, prints sharply and stays small
(the charts plot aggregated series, never raw rows). Text stays text (`svg.fonttype`
none), drawn in the page's own fonts; a fixed hash salt keeps the output reproducible.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")  # no display, no GUI toolkit: rendering is pure computation

import pandas as pd
from matplotlib import dates as mdates
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#e4e7eb"
BAND = "#cbd2d9"
SEASON_COLOURS = {"spring": "#2f6f9f", "autumn": "#b7581f"}
SEVERITY_COLOURS = {"info": "#7b8794", "warning": "#d69e2e", "critical": "#c53030"}
RISK_COLOURS = {"GREEN": "#2f855a", "AMBER": "#d69e2e", "RED": "#c53030"}
SERVICEMEN = "#2f6f9f"
TOTAL = "#7b8794"
INCREASE = "#b7581f"
CUT = "#2f6f9f"

STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "mobwatch",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 10,
    "axes.edgecolor": BAND,
    "axes.labelcolor": INK,
    "axes.titlecolor": INK,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "figure.dpi": 100,
}

_XML_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_SIZE = re.compile(r'<svg([^>]*?)\swidth="[^"]*"\s+height="[^"]*"')


def to_svg(figure: Figure, label: str) -> str:
    """The figure as an `<svg>` element for an HTML page: no prologue, no metadata."""
    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _XML_PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = _METADATA.sub("", svg)
    # Inline SVG in HTML needs no namespace declarations; none then names another host.
    svg = _NAMESPACES.sub("", svg)
    svg = _SIZE.sub(r'<svg\1 width="100%"', svg, count=1)
    aria = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg", f'<svg role="img" aria-label="{aria}"', 1)


def _figure(width: float, height: float, **grid: object) -> Figure:
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width, height), layout="constrained", **grid)


def _thousands(value: float, _pos: object = None) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".") + "M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:.0f}"


def callup_chart(campaigns: pd.DataFrame) -> str:
    """Spring and autumn side by side: sizes, the ten-year band, the anomaly thresholds."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(10, 3.8)
        axes = figure.subplots(1, 2, sharey=True)
        for ax, season in zip(axes, ("spring", "autumn"), strict=True):
            rows = campaigns[campaigns["season"] == season].sort_values("year")
            colour = SEASON_COLOURS[season]
            years = rows["year"].to_numpy()
            ax.fill_between(
                years, rows["band_low"], rows["band_high"], step="mid", color=BAND, alpha=0.55
            )
            ax.step(years, rows["warning_above"], where="mid", color="#d69e2e", ls="--", lw=1.3)
            ax.step(years, rows["critical_from"], where="mid", color="#c53030", ls=":", lw=1.3)
            ax.plot(years, rows["size"], color=colour, lw=1.6, zorder=3)
            checked = rows["confidence"] != "unverified"
            ax.scatter(years[checked], rows["size"][checked], s=30, color=colour, zorder=4)
            ax.scatter(
                years[~checked],
                rows["size"][~checked],
                s=30,
                facecolor="white",
                edgecolor=colour,
                linewidth=1.4,
                zorder=4,
            )
            anomalies = rows[rows["anomaly"]]
            ax.scatter(
                anomalies["year"],
                anomalies["size"],
                s=140,
                facecolor="none",
                edgecolor="#c53030",
                linewidth=1.6,
                zorder=5,
            )
            ax.set_title(f"{season.capitalize()} call-ups")
            ax.yaxis.set_major_formatter(ticker.FuncFormatter(_thousands))
            ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True, nbins=8))
        legend = [
            Line2D([], [], color=INK, marker="o", lw=1.6, label="conscripts called up"),
            Line2D([], [], color=INK, marker="o", mfc="white", lw=0, label="unverified figure"),
            Patch(color=BAND, alpha=0.55, label="range of the previous ten years"),
            Line2D([], [], color="#d69e2e", ls="--", label="warning above"),
            Line2D([], [], color="#c53030", ls=":", label="critical from (+15 %)"),
        ]
        figure.legend(handles=legend, loc="outside lower center", ncols=5)
    return to_svg(figure, "Call-up size by campaign, spring and autumn, with the ten-year band")


def force_chart(steps: pd.DataFrame, until: date) -> str:
    """Authorised strength and servicemen as steps, each decree's change marked."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(10, 3.8)
        ax = figure.subplots()
        steps = steps.sort_values("effective")
        end = pd.Timestamp(until)
        x = [*steps["effective"], max(end, steps["effective"].max())]
        for column, colour, label in (
            ("total_strength", TOTAL, "authorised strength (all personnel)"),
            ("servicemen", SERVICEMEN, "of which servicemen"),
        ):
            y = [*steps[column], steps[column].iloc[-1]]
            ax.step(x, y, where="post", color=colour, lw=2, label=label)
        for row in steps.itertuples():
            if pd.notna(row.servicemen_change) and row.servicemen_change:
                ax.annotate(
                    f"{row.servicemen_change:+,.0f}\n{row.signed:%d.%m.%Y}",
                    (row.effective, row.servicemen),
                    xytext=(4, -30),
                    textcoords="offset points",
                    fontsize=8,
                    color=SERVICEMEN,
                )
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(_thousands))
        ax.set_ylim(0, max(steps["total_strength"].max(), steps["servicemen"].max()) * 1.12)
        ax.set_title("Authorised strength of the Armed Forces, decree by decree")
        ax.legend(loc="upper left")
    return to_svg(figure, "Authorised strength and servicemen, as steps")


def payment_steps_chart(changes: pd.DataFrame, until: date, title: str) -> str:
    """One payment (the federal one) as steps."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(10, 2.8)
        ax = figure.subplots()
        x = [*changes["event_date"], pd.Timestamp(until)]
        y = [*changes["value"], changes["value"].iloc[-1]]
        ax.step(x, y, where="post", color=INCREASE, lw=2)
        ax.scatter(changes["event_date"], changes["value"], color=INCREASE, s=24, zorder=3)
        for row in changes.itertuples():
            ax.annotate(
                f"{row.value:,.0f} ₽",
                (row.event_date, row.value),
                xytext=(4, 6),
                textcoords="offset points",
                fontsize=8,
            )
        ax.set_ylim(0, changes["value"].max() * 1.25)
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(_thousands))
        ax.set_title(title)
    return to_svg(figure, title)


def regional_current_chart(current: pd.DataFrame, limit: int = 30) -> str:
    """The current one-off payment by region, largest first (the `limit` largest)."""
    shown = current.head(limit).iloc[::-1]
    with matplotlib.rc_context(STYLE):
        figure = _figure(10, 0.6 + 0.24 * max(len(shown), 3))
        ax = figure.subplots()
        ax.barh(shown["region_name"], shown["value"], color=INCREASE, height=0.65)
        ax.xaxis.set_major_formatter(ticker.FuncFormatter(_thousands))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", labelsize=8)
        more = f" (the {limit} largest of {len(current)})" if len(current) > limit else ""
        ax.set_title(f"Current regional one-off payment, roubles{more}")
    return to_svg(figure, "Current regional payment by region")


def regional_trend_chart(median: pd.DataFrame, quarters: pd.DataFrame, until: date) -> str:
    """The median of the regions' current payments, and increases and cuts by quarter."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(10, 4.6)
        top, bottom = figure.subplots(2, 1, height_ratios=[3, 2])
        x = [*median["date"], pd.Timestamp(until)]
        y = [*median["median"], median["median"].iloc[-1]]
        top.step(x, y, where="post", color=INCREASE, lw=2)
        top.yaxis.set_major_formatter(ticker.FuncFormatter(_thousands))
        top.set_title("Median of the regions' current payments, roubles")
        top.xaxis.set_major_formatter(mdates.ConciseDateFormatter(top.xaxis.get_major_locator()))
        positions = range(len(quarters))
        bottom.bar(positions, quarters["increases"], color=INCREASE, label="increases")
        bottom.bar(positions, -quarters["cuts"], color=CUT, label="cuts")
        bottom.axhline(0, color=MUTED, lw=0.8)
        step = max(1, len(quarters) // 12)
        bottom.set_xticks(list(positions)[::step], list(quarters["quarter"])[::step])
        bottom.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _p: f"{abs(v):.0f}"))
        bottom.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        bottom.set_title("Regions raising (up) and cutting (down) their payment, by quarter")
        bottom.legend(loc="upper left", ncols=2)
    return to_svg(figure, "Median regional payment over time; increases and cuts by quarter")


def markers_chart(
    events: pd.DataFrame, risk: pd.DataFrame, markers: Sequence[str], start: date, until: date
) -> str:
    """Each marker's alerts on a timeline, the risk level as a band beneath."""
    rows = list(markers)
    with matplotlib.rc_context(STYLE):
        figure = _figure(10, 1.4 + 0.3 * len(rows))
        top, strip = figure.subplots(2, 1, sharex=True, height_ratios=[max(len(rows), 1), 1.1])
        position = {marker: index for index, marker in enumerate(reversed(rows))}
        for severity, colour in SEVERITY_COLOURS.items():
            chosen = events[events["severity"] == severity]
            top.scatter(
                chosen["fired_on"],
                [position[m] for m in chosen["marker"]],
                s=36,
                color=colour,
                edgecolor="white",
                linewidth=0.6,
                label=severity,
                zorder=3,
            )
        top.set_yticks(list(position.values()), list(position.keys()), fontsize=8)
        top.set_ylim(-0.7, len(rows) - 0.3)
        top.set_title("When the markers fired (every alert the history raises)")
        top.legend(loc="upper left", ncols=3, fontsize=8)
        for span in risk.itertuples():
            strip.axvspan(span.start, span.end, color=RISK_COLOURS[span.level], lw=0)
        strip.set_yticks([])
        strip.grid(False)
        strip.set_ylabel("risk", rotation=0, ha="right", va="center", color=MUTED)
        strip.set_xlim(pd.Timestamp(start), pd.Timestamp(until + timedelta(days=1)))
        locator = mdates.AutoDateLocator()
        strip.xaxis.set_major_locator(locator)
        strip.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return to_svg(figure, "Markers on a timeline, with the risk level")

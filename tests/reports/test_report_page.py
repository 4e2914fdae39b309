"""The report page: self-contained, scraped text shown as text, every series beside it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from mobwatch.indicators.model import Indicator, Observation
from mobwatch.indicators.rules.config import MarkerConfig
from mobwatch.reports.build import Report, build_report
from mobwatch.reports.files import ReportFiles, parquet_engine, write_report

PAYMENTS = (Indicator.FEDERAL_BONUS, Indicator.REGIONAL_BONUS)


def test_regional_and_federal_payments_are_charted_and_tabled(
    money_report: tuple[Report, ReportFiles],
) -> None:
    report, files = money_report
    current = report.regional_current.set_index("region")["value"].to_dict()
    assert current == {
        "RU-MOW": 1_900_000,
        "RU-BEL": 300_000,
        "RU-SPE": 600_000,
        "RU-KRS": 250_000,
        "RU-BRY": 260_000,
    }
    changes = report.regional.set_index(["region", "event_date"])["direction"]
    assert list(changes[changes.isin(["increase", "cut"])].sort_index().items()) == [
        (("RU-BEL", pd.Timestamp("2025-04-20")), "increase"),
        (("RU-MOW", pd.Timestamp("2026-02-14")), "increase"),
        (("RU-SPE", pd.Timestamp("2026-03-06")), "cut"),
    ]
    # The median of the current payments: 100k and 500k on the first day, then it moves.
    median = report.regional_median.set_index("date")["median"]
    assert median[pd.Timestamp("2025-01-10")] == 300_000
    assert median.iloc[-1] == 300_000  # 250k, 260k, 300k, 600k, 1.9m
    assert report.federal_change is not None
    assert (report.federal_change.previous, report.federal_change.value) == (195_000, 400_000)
    page = files.html.read_text("utf-8")
    assert "Current regional one-off payment" in page and "No data yet" not in page
    assert "195,000 → 400,000 ₽" in page
    assert page.count("<svg") == 6  # markers, call-ups, force, federal, regional, trend


def test_with_no_payment_data_the_panels_say_so(
    demo_history: list[Observation], config: MarkerConfig, as_of: date, out: Path
) -> None:
    history = [obs for obs in demo_history if obs.indicator not in PAYMENTS]
    page = write_report(build_report(history, config, as_of=as_of), out).html
    text = page.read_text("utf-8")
    assert text.count("No data yet") == 2  # the federal and the regional payment
    assert "not in the data yet" in text
    assert text.count("<svg") == 3


def test_scraped_titles_with_markup_are_shown_as_text(
    money_report: tuple[Report, ReportFiles],
) -> None:
    text = money_report[1].html.read_text("utf-8")
    assert (
        "<script" not in text
        and "<img" not in text
        and "onerror=alert" not in text.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    )
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;Выплата" in text
    assert "&lt;img src=x onerror=alert(1)&gt;Выплата" in text
    assert "javascript:" not in text  # an address that is not http(s) is never a link


def test_the_page_loads_nothing_from_anywhere(money_report: tuple[Report, ReportFiles]) -> None:
    text = money_report[1].html.read_text("utf-8")
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\';' in text
    for pattern in (
        r"<script",
        r"<[a-z][^>]*\ssrc\s*=",
        r"@import",
        r"url\(\s*['\"]?(?!#)",  # a local `url(#clip)` inside a chart loads nothing
        r"<link\b",
        r"<iframe",
    ):
        assert not re.search(pattern, text, re.IGNORECASE), pattern
    # Every external address is a link a reader may follow, never something the page loads.
    for match in re.finditer(r"https?://", text):
        before = text[max(0, match.start() - 10) : match.start()]
        assert before.endswith('<a href="'), text[match.start() - 80 : match.start() + 80]


def test_every_series_is_written_as_csv_and_parquet_when_an_engine_exists(
    money_report: tuple[Report, ReportFiles],
) -> None:
    files = money_report[1]
    out = files.html.parent
    names = {path.stem for path in files.csv}
    assert {str(indicator) for indicator in Indicator} <= names
    assert {"callup_campaigns", "force_size_steps", "regional_bonus_current"} <= names
    assert {"regional_bonus_median", "marker_alerts", "risk_level"} <= names
    campaigns = pd.read_csv(out / "series" / "callup_campaigns.csv")
    autumn_2022 = campaigns[(campaigns["season"] == "autumn") & (campaigns["year"] == 2022)]
    assert autumn_2022["size"].tolist() == [120_000]
    assert autumn_2022["period_start"].tolist() == ["2022-11-01"]
    assert bool(files.parquet) == (parquet_engine() is not None)
    page = files.html.read_text("utf-8")
    assert all(f'href="series/{path.name}"' in page for path in files.csv)

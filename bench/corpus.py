"""The benchmark corpus: ~60 sources in the real formats, 10 years of history.

`plan_sources(spec)` decides, from a seed, which sources exist and what each published
when (dates only: cheap, so the benchmark process and the server process both compute
it); `corpus_routes` renders the pages. The mix follows `sources.toml`: the legal portal,
the Kremlin's feeds, many governors' Telegram channels, news feeds with full text or
followed to article pages, and regional government sites read with CSS selectors.

Sizes: with the defaults each source publishes `per_year` items a year for 10 years, so a
backfill reads about 100,000 documents, and a pass over the last year about 300 a source.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from corpus_pages import DECREE, FEDERAL_LAW, PRESIDENT
from corpus_text import CALLUPS, PLACES

END = date(2025, 12, 31)  # the newest item of the corpus
AS_OF = END + timedelta(days=1)
PAGE = 20  # items per feed page, channel page and news list page

# Kinds and their share of the sources (the rest are Telegram channels).
SHARES = (
    ("pravo", 2 / 60),
    ("kremlin", 2 / 60),
    ("rss_full", 6 / 60),
    ("rss_follow", 12 / 60),
    ("html_list", 8 / 60),
)
FOLLOW_KEYWORDS = ["выплат", "контракт", "мобилиз", "призыв", "указ"]
FULL_TEXT = ("yandex:full-text", "rbc_news:full-text", "content:encoded")


@dataclass(frozen=True)
class CorpusSpec:
    sources: int = 60
    years: int = 10
    per_year: int = 260  # items a source publishes a year
    feed_items: int = 300  # items a news feed lists (feeds have no older pages)
    bonus_share: float = 0.06  # stories announcing a regional signing payment
    seed: int = 8

    @property
    def start(self) -> date:
        return date(END.year - self.years + 1, 1, 1)


@dataclass(frozen=True)
class Item:
    number: int  # the source's running number: post id, article id, act sequence
    published: date
    minute: int
    bonus: bool
    place: int  # index into corpus_text.PLACES


@dataclass(frozen=True)
class SourcePlan:
    name: str
    kind: str  # pravo, kremlin, telegram, rss_full, rss_follow, html_list
    ordinal: int  # position among the sources of its kind
    path: str  # the URL path the source file names
    place: int  # the subject a channel or regional site speaks for
    items: tuple[Item, ...]  # oldest first

    def since_count(self, since: date) -> int:
        return sum(1 for item in self.items if item.published >= since)


def kinds_for(count: int) -> list[str]:
    """The kind of each of `count` sources: the shares above, at least one of each."""
    kinds = []
    for kind, share in SHARES:
        kinds += [kind] * max(1, round(count * share))
    return kinds + ["telegram"] * max(1, count - len(kinds))


def plan_sources(spec: CorpusSpec) -> list[SourcePlan]:
    plans: list[SourcePlan] = []
    ordinals: dict[str, int] = {}
    for index, kind in enumerate(kinds_for(spec.sources)):
        ordinal = ordinals.get(kind, 0)
        ordinals[kind] = ordinal + 1
        rng = random.Random(f"{spec.seed}:{index}:dates")
        name, path = _address(kind, ordinal)
        place = index % len(PLACES)
        plans.append(SourcePlan(name, kind, ordinal, path, place, _items(spec, kind, rng, place)))
    return plans


def _address(kind: str, ordinal: int) -> tuple[str, str]:
    if kind == "pravo":
        return f"pravo-{('decrees', 'laws')[ordinal % 2]}-{ordinal}", "/api/Documents"
    if kind == "kremlin":
        return f"kremlin-{ordinal}", f"/k{ordinal}/acts/news/feed"
    if kind == "telegram":
        return f"tg-{ordinal}", f"/s/gov_channel_{ordinal}"
    if kind == "html_list":
        return f"site-{ordinal}", f"/site{ordinal}/press/novosti/"
    return f"{kind.replace('_', '-')}-{ordinal}", f"/{kind}{ordinal}/rss.xml"


def _items(spec: CorpusSpec, kind: str, rng: random.Random, home: int) -> tuple[Item, ...]:
    if kind.startswith("rss"):  # a feed lists only its latest items: a few a day
        recent = max(1, spec.feed_items // 8)
        days = [END - timedelta(days=rng.randrange(recent)) for _ in range(spec.feed_items)]
    else:
        span = (END - spec.start).days + 1
        total = spec.per_year * spec.years
        days = [spec.start + timedelta(days=rng.randrange(span)) for _ in range(total)]
    if kind in ("pravo", "kremlin"):  # the call-up decrees appear on their signing days
        days += [day for day in CALLUPS if spec.start <= day <= END]
    return tuple(
        Item(
            number=1000 + number,
            published=day,
            minute=rng.randrange(7 * 60, 22 * 60),
            bonus=kind not in ("pravo", "kremlin") and rng.random() < spec.bonus_share,
            # Channels and regional sites speak of their own subject; feeds of any.
            place=home if kind in ("telegram", "html_list") else rng.randrange(len(PLACES)),
        )
        for number, day in enumerate(sorted(days))
    )


def pass_since(spec: CorpusSpec, per_source: int) -> date:
    """The start of the window in which a source published about `per_source` items."""
    return AS_OF - timedelta(days=math.ceil(per_source / spec.per_year * 365.25))


def sources_toml(plans: list[SourcePlan], base: str, since: date) -> str:
    """The sources file for a pass reading back to `since` (paging options to match)."""
    blocks = []
    for plan in plans:
        pages = math.ceil(plan.since_count(since) / PAGE) + 1
        lines = [
            "[[sources]]",
            f'name = "{plan.name}"',
            f'parser = "{_parser(plan.kind)}"',
            f'url = "{base}{plan.path}"',
            *_options(plan, pages),
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _parser(kind: str) -> str:
    return {"pravo": "pravo_api", "kremlin": "kremlin_feed", "html_list": "html_list"}.get(
        kind, "telegram" if kind == "telegram" else "rss"
    )


def _options(plan: SourcePlan, pages: int) -> list[str]:
    region = PLACES[plan.place].code
    if plan.kind == "pravo":
        return [
            f'signatory_authority = "{PRESIDENT}"',
            f'document_types = ["{law_or_decree(plan)}"]',
            "page_size = 200",
        ]
    if plan.kind == "kremlin":
        return [f"pages = {pages}"]
    if plan.kind == "telegram":
        return [f"max_pages = {pages}", f'region = "{region}"', "official = true"]
    if plan.kind == "html_list":
        return [
            'item = "div.news-item"',
            'title = "a.news-item__title"',
            'link = "a.news-item__title"',
            'date = "span.news-date-time"',
            'article = "div.news-detail"',
            'page_param = "PAGEN_1"',
            f"max_pages = {pages}",
            f'region = "{region}"',
            "official = true",
        ]
    if plan.kind == "rss_follow":
        return ['article = "div.article__body"', f"follow_keywords = {FOLLOW_KEYWORDS}"]
    return []


def law_or_decree(plan: SourcePlan) -> str:
    return FEDERAL_LAW if plan.name.startswith("pravo-laws") else DECREE


def document_total(plans: list[SourcePlan]) -> int:
    return sum(len(plan.items) for plan in plans)

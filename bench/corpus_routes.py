"""Every page of the benchmark corpus as a loopback route: path, query and body.

Listings are paged as the real sites page them: the portal by `Index` within a
publication window (a month for backfills, or from a pass's `since` on), the Kremlin's
feeds by `/page/N`, channels by `?before=<id>`, regional sites by `?PAGEN_1=N`. Each
item's text is drawn from its own seeded generator, so a page is the same in every run.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from corpus import END, FULL_TEXT, PAGE, CorpusSpec, Item, SourcePlan, law_or_decree
from corpus_pages import (
    FEDERAL_LAW,
    Dated,
    article_page,
    atom_feed,
    news_detail_page,
    news_list_page,
    pravo_page,
    rss_feed,
    telegram_page,
)
from corpus_text import CALLUPS, PLACES, act, post, story

JSON = "application/json; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
PRAVO_PAGE_SIZE = 200
RELATED = 8  # links to other stories on an article page


@dataclass(frozen=True)
class Route:
    path: str
    body: bytes
    content_type: str
    query: dict[str, str] = field(default_factory=dict)


def corpus_routes(
    spec: CorpusSpec, plans: list[SourcePlan], windows: list[date]
) -> Iterator[Route]:
    """Every route of every source; `windows` are the `since` dates passes will ask for."""
    for plan in plans:
        dated = [_dated(spec, plan, item) for item in plan.items]
        if plan.kind == "pravo":
            yield from _pravo(plan, dated, spec, windows)
        elif plan.kind == "kremlin":
            yield from _kremlin(plan, dated)
        elif plan.kind == "telegram":
            yield from _telegram(plan, dated)
        elif plan.kind == "html_list":
            yield from _site(plan, dated)
        else:
            yield from _feed(plan, dated)


def _dated(spec: CorpusSpec, plan: SourcePlan, item: Item) -> Dated:
    rng = random.Random(f"{spec.seed}:{plan.name}:{item.number}")
    place = PLACES[item.place]
    if plan.kind == "pravo" or (plan.kind == "kremlin" and plan.ordinal % 2 == 0):
        if plan.kind == "pravo":
            law = law_or_decree(plan) == FEDERAL_LAW
        else:  # the Kremlin's acts feed: a law every third act, the call-ups on their days
            law = item.number % 3 == 0 and item.published not in CALLUPS
        number = item.number % 900 + 1
        return Dated(
            item.number,
            item.published,
            item.minute,
            f"/acts/news/{item.number}",
            act=act(rng, item.published, number, law=law),
        )
    write = post if plan.kind == "telegram" else story
    path = f"{plan.path}detail/{item.number}/" if plan.kind == "html_list" else ""
    if plan.kind.startswith("rss"):
        path = f"/{plan.kind}{plan.ordinal}/{item.published:%Y%m%d}/news-{item.number}.html"
    return Dated(
        item.number,
        item.published,
        item.minute,
        path,
        story=write(rng, item.published, place, bonus=item.bonus),
    )


def _newest_first_pages(dated: list[Dated]) -> list[list[Dated]]:
    newest = dated[::-1]
    return [newest[start : start + PAGE] for start in range(0, len(newest), PAGE)]


def _pravo(
    plan: SourcePlan, dated: list[Dated], spec: CorpusSpec, windows: list[date]
) -> Iterator[Route]:
    kind = law_or_decree(plan)
    month = spec.start
    while month <= END:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        last = following - timedelta(days=1)
        within = [item for item in dated if month <= item.published <= last]
        query = {"PublishDateFrom": f"{month:%d.%m.%Y}", "PublishDateTo": f"{last:%d.%m.%Y}"}
        yield from _pravo_pages(within, {"DocumentTypes": kind, **query})
        month = following
    for since in windows:  # a monitoring pass: from `since` on, no end date
        within = [item for item in dated if item.published >= since]
        yield from _pravo_pages(
            within, {"DocumentTypes": kind, "PublishDateFrom": f"{since:%d.%m.%Y}"}
        )


def _pravo_pages(within: list[Dated], query: dict[str, str]) -> Iterator[Route]:
    newest = within[::-1]
    pages = -(-len(newest) // PRAVO_PAGE_SIZE)
    for index in range(1, max(pages, 1) + 1):
        chunk = newest[(index - 1) * PRAVO_PAGE_SIZE : index * PRAVO_PAGE_SIZE]
        body = pravo_page(chunk, index, pages, len(newest), PRAVO_PAGE_SIZE)
        yield Route("/api/Documents", body, JSON, {**query, "Index": str(index)})


def _kremlin(plan: SourcePlan, dated: list[Dated]) -> Iterator[Route]:
    pages = _newest_first_pages(dated)
    for number, items in enumerate(pages, start=1):
        path = plan.path if number == 1 else f"{plan.path}/page/{number}"
        more = f"http://kremlin.ru{plan.path}/page/{number + 1}" if number < len(pages) else None
        yield Route(path, atom_feed(items, "Президент России: Документы", more), ATOM)


def _telegram(plan: SourcePlan, dated: list[Dated]) -> Iterator[Route]:
    channel = plan.path.rsplit("/", 1)[-1]
    title = f"{PLACES[plan.place].head}"
    pages = _newest_first_pages(dated)
    for number, items in enumerate(pages):
        oldest_first = items[::-1]
        before = oldest_first[0].number if number + 1 < len(pages) else None
        query = {} if number == 0 else {"before": str(pages[number - 1][-1].number)}
        yield Route(plan.path, telegram_page(channel, title, oldest_first, before), HTML, query)


def _site(plan: SourcePlan, dated: list[Dated]) -> Iterator[Route]:
    site = f"Правительство {PLACES[plan.place].of}"
    pages = _newest_first_pages(dated)
    for number, items in enumerate(pages, start=1):
        more = f"{plan.path}?PAGEN_1={number + 1}" if number < len(pages) else None
        query = {} if number == 1 else {"PAGEN_1": str(number)}
        yield Route(plan.path, news_list_page(items, site, more), HTML, query)
    for item in dated:
        yield Route(item.path, news_detail_page(item, site), HTML)


def _feed(plan: SourcePlan, dated: list[Dated]) -> Iterator[Route]:
    newest = dated[::-1]
    full_text = FULL_TEXT[plan.ordinal % len(FULL_TEXT)] if plan.kind == "rss_full" else None
    yield Route(plan.path, rss_feed(f"Новости {plan.ordinal}", newest, full_text), RSS)
    if full_text:
        return
    site = f"Агентство новостей {plan.ordinal}"
    for position, item in enumerate(newest):
        related = newest[position + 1 : position + 1 + RELATED]
        yield Route(item.path, article_page(item, site, "article__body", related), HTML)

"""Extraction throughput: documents a second per core, per parser, against a plain baseline.

Pages come from the benchmark corpus (`bench/corpus.py`), in the sources' real formats. For
each parser of the registry, and each kind of page it reads (a feed and the article pages
it leads to are timed apart), the parser's `parse` runs over the same pages again and again
in one thread, and the CPU time it takes gives documents per second per core. The baseline,
timed in the same run on the same bytes, is the plainest reading of the same text:
BeautifulSoup with Python's "html.parser", no caching, no strainer, `get_text` on the
elements that hold it (for the portal's JSON, `json.loads` and the same fields). Last, the
facts extraction (`mobwatch.indicators.extract.extraction.read_facts`) over the documents parsed.

    .venv/bin/python bench/parse_cost.py [--runs 3] [--seconds 1.0] [--pages 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from urllib.parse import urlencode

from baseline import BASELINES
from corpus import CorpusSpec, SourcePlan, pass_since, plan_sources, sources_toml
from corpus_routes import Route, corpus_routes

from mobwatch.fetching.page import Page
from mobwatch.indicators.extract.extraction import read_facts
from mobwatch.indicators.regions import default_gazetteer
from mobwatch.parsers import PARSERS
from mobwatch.parsers.base import Document, ParseContext, Source
from mobwatch.pipeline.settings import load_sources

BASE = "http://127.0.0.1:8000"  # pages are parsed, never fetched: any address will do


@dataclass(frozen=True)
class Sample:
    """Pages of one kind, with the source they belong to."""

    label: str  # "telegram", "rss (article pages)", …
    parser: str
    baseline: str  # key into baseline.BASELINES
    source: Source
    routes: list[Route]

    def pages(self) -> list[Page]:
        """Fresh pages: `Page.text` is cached, and decoding is part of the work."""
        return [
            Page(
                url=BASE + route.path + (f"?{urlencode(route.query)}" if route.query else ""),
                body=route.body,
                content_type=route.content_type,
            )
            for route in self.routes
        ]


def samples(spec: CorpusSpec, count: int) -> list[Sample]:
    """Up to `count` pages of each kind: listings and feeds, and the articles they lead to."""
    plans = plan_sources(spec)
    since = pass_since(spec, 300)
    with tempfile.TemporaryDirectory(prefix="mobwatch-bench-") as scratch:
        path = Path(scratch) / "sources.toml"
        path.write_text(sources_toml(plans, BASE, since), encoding="utf-8")
        sources = {source.name: source for source in load_sources(path)}
    found: list[Sample] = []
    for kind, label, parser, baseline, wanted in (
        ("pravo", "pravo_api (JSON search)", "pravo_api", "pravo_json", _is_listing),
        ("kremlin", "kremlin_feed (Atom, full text)", "kremlin_feed", "atom", _is_listing),
        ("telegram", "telegram (t.me/s pages)", "telegram", "telegram", _is_listing),
        ("rss_full", "rss (full-text feed)", "rss", "rss_full", _is_listing),
        ("rss_follow", "rss (article pages)", "rss", "article", _is_article),
        ("html_list", "html_list (list pages)", "html_list", "news_list", _is_listing),
        ("html_list", "html_list (article pages)", "html_list", "news_detail", _is_article),
    ):
        plan = next(plan for plan in plans if plan.kind == kind)
        routes = corpus_routes(spec, [plan], [since])
        chosen = list(islice((route for route in routes if wanted(route, plan)), count))
        found.append(Sample(label, parser, baseline, sources[plan.name], chosen))
    return found


def _is_listing(route: Route, plan: SourcePlan) -> bool:
    return route.path.startswith(plan.path) and "detail/" not in route.path


def _is_article(route: Route, plan: SourcePlan) -> bool:
    return route.content_type.startswith("text/html") and route.path != plan.path


@dataclass
class Rate:
    documents: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def cpu_rate(work: Callable[[list[Page]], int], sample: Sample, seconds: float) -> Rate:
    """Documents per CPU second of `work` over the sample's pages, repeated for `seconds`."""
    rate = Rate()
    while rate.seconds < seconds:
        pages = sample.pages()
        started = time.process_time()
        rate.documents += work(pages)
        rate.seconds += time.process_time() - started
    return rate


def parse_all(sample: Sample) -> Callable[[list[Page]], int]:
    parser = PARSERS[sample.parser]
    context = ParseContext(sample.source)
    return lambda pages: sum(len(parser.parse(page, context).documents) for page in pages)


def parsed_documents(sample: Sample) -> list[Document]:
    parser, context = PARSERS[sample.parser], ParseContext(sample.source)
    return [doc for page in sample.pages() for doc in parser.parse(page, context).documents]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=1.0, help="CPU time per measurement")
    parser.add_argument("--pages", type=int, default=60, help="pages of each kind")
    args = parser.parse_args(argv)
    spec = CorpusSpec(sources=60, years=2)
    chosen = samples(spec, args.pages)
    default_gazetteer()  # built once per process: not part of any rate
    print(f"extraction throughput, documents per CPU second (median of {args.runs} runs)\n")
    header = f"{'page kind':<32}{'pages':>6}{'kB/page':>9}{'docs/page':>10}"
    print(f"{header}{'mobwatch':>11}{'baseline':>11}{'ratio':>8}")
    documents: list[Document] = []
    for sample in chosen:
        ours = [cpu_rate(parse_all(sample), sample, args.seconds) for _ in range(args.runs)]
        baseline = BASELINES[sample.baseline]
        plain = [
            cpu_rate(lambda pages, read=baseline: len(read(pages)), sample, args.seconds)
            for _ in range(args.runs)
        ]
        mine = statistics.median(rate.per_second for rate in ours)
        base = statistics.median(rate.per_second for rate in plain)
        found = parsed_documents(sample)
        documents += found
        size = statistics.mean(len(route.body) for route in sample.routes) / 1024
        per_page = len(found) / len(sample.routes)
        print(
            f"{sample.label:<32}{len(sample.routes):>6}{size:>9.1f}{per_page:>10.1f}"
            f"{mine:>11.0f}{base:>11.0f}{mine / base:>7.1f}x"
        )
    facts = []
    for _ in range(args.runs):
        started = time.process_time()
        read_facts(documents, "bench")
        facts.append(len(documents) / (time.process_time() - started))
    print(
        f"\nfacts (extraction.read_facts) over the {len(documents):,} documents "
        f"above: {statistics.median(facts):.0f} documents per CPU second"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

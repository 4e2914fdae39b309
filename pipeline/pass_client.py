"""The monitoring pass's one HTTP client, as the sources file's `[http]` table sets it.

Conditional requests read their validators from the store, and each host's requests are
paced through the store too (`[http] min_interval`), so the pace holds however many
workers share the database.
"""

from __future__ import annotations

from pathlib import Path

from mobwatch.fetching.client import HttpClient
from mobwatch.fetching.shared_pacing import SharedPacer
from mobwatch.pipeline.settings import load_http_settings, load_min_interval
from mobwatch.store.store import Store


def pass_client(store: Store, sources_file: Path) -> HttpClient:
    pacer = SharedPacer(store, load_min_interval(sources_file))
    return HttpClient(validators=store, pacer=pacer, **load_http_settings(sources_file))

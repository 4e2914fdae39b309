"""What a backfill has already read, kept in the store so a restart skips it.

A source's backfill is a list of segments: a publication-date window of the legal portal
(`window:2024-09-01/2024-09-30`), or the whole paged range of a feed or channel
(`pages:2022-01-01/2024-12-31`). Within a segment each page read is recorded with the
pages it led to, so a restart continues from where it stopped without asking for a page
it already has; when the segment is finished the pages' rows give way to one row for the
segment, which later backfills skip.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from mobwatch.store.schema import upgrade as upgrade_schema
from mobwatch.store.store import Store

# A table of its own beside the store's: only a backfill creates or reads it.
metadata = sa.MetaData()

backfill_progress = sa.Table(
    "backfill_progress",
    metadata,
    sa.Column("source", sa.String(200), primary_key=True),
    sa.Column("segment", sa.String(100), primary_key=True),
    # "" for the segment's own row (finished); else a hash of a page's URL.
    sa.Column("page", sa.String(64), primary_key=True),
    # The pages this one led to, each as the backfill queues it: [url, depth, older].
    sa.Column("next_urls", sa.JSON, nullable=False),
    sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
)

_SEGMENT_ROW = ""


def page_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


class BackfillProgress:
    """The progress rows of one store; creates its table on first use."""

    def __init__(self, store: Store) -> None:
        self._engine = store.engine
        self._writing = store.writing
        # As a writer: sources backfilled side by side, and workers starting together,
        # check for and create (or bring up to date) the table one at a time.
        with self._writing() as conn:
            upgrade_schema(conn, metadata)

    def finished_segments(self, source: str) -> set[str]:
        query = sa.select(backfill_progress.c.segment).where(
            backfill_progress.c.source == source, backfill_progress.c.page == _SEGMENT_ROW
        )
        with self._engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def pages_read(self, source: str, segment: str) -> dict[str, list[list[Any]]]:
        """Page key → the pages that page led to, for the pages of an unfinished segment."""
        query = sa.select(backfill_progress.c.page, backfill_progress.c.next_urls).where(
            backfill_progress.c.source == source,
            backfill_progress.c.segment == segment,
            backfill_progress.c.page != _SEGMENT_ROW,
        )
        with self._engine.connect() as conn:
            return {row.page: list(row.next_urls) for row in conn.execute(query)}

    def page_read(self, source: str, segment: str, url: str, next_urls: list[list[Any]]) -> None:
        """Record a page whose documents are stored (call it after storing them)."""
        key = page_key(url)
        with self._writing() as conn:
            conn.execute(
                backfill_progress.delete().where(
                    backfill_progress.c.source == source,
                    backfill_progress.c.segment == segment,
                    backfill_progress.c.page == key,
                )
            )
            conn.execute(
                backfill_progress.insert().values(
                    source=source,
                    segment=segment,
                    page=key,
                    next_urls=next_urls,
                    done_at=datetime.now(UTC),
                )
            )

    def segment_finished(self, source: str, segment: str) -> None:
        with self._writing() as conn:
            conn.execute(
                backfill_progress.delete().where(
                    backfill_progress.c.source == source,
                    backfill_progress.c.segment == segment,
                )
            )
            conn.execute(
                backfill_progress.insert().values(
                    source=source,
                    segment=segment,
                    page=_SEGMENT_ROW,
                    next_urls=[],
                    done_at=datetime.now(UTC),
                )
            )

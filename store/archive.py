"""The raw archive: every body fetched, kept once by content hash, and the log of fetches.

What lets a source be re-parsed without fetching it again, and a 304 stand for the body it
confirms.
"""

from __future__ import annotations

import hashlib
import zlib

import sqlalchemy as sa

from mobwatch.fetching.page import Page
from mobwatch.store.database import Database, aware, utc_now
from mobwatch.store.tables import bodies, fetches


class Archive(Database):
    def archive(self, source: str, page: Page) -> str:
        """Keep the body by content hash (once) and log the fetch; returns the hash."""
        digest = hashlib.sha256(page.body).hexdigest()
        with self.writing() as conn:
            exists = conn.execute(sa.select(bodies.c.hash).where(bodies.c.hash == digest)).first()
            if not exists:
                conn.execute(
                    bodies.insert().values(
                        hash=digest,
                        size=len(page.body),
                        content_type=page.content_type[:200],
                        body=zlib.compress(page.body),
                    )
                )
            conn.execute(
                fetches.insert().values(
                    source=source,
                    url=page.url,
                    status=page.status,
                    hash=digest,
                    fetched_at=page.fetched_at,
                )
            )
        return digest

    def archived_body(self, digest: str) -> bytes:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(bodies.c.body).where(bodies.c.hash == digest)).one()
        return zlib.decompress(row.body)

    def archived_pages(self, source: str) -> list[Page]:
        """Every distinct body fetched for a source, newest fetch last: for re-parsing."""
        query = (
            sa.select(fetches.c.url, fetches.c.hash, fetches.c.fetched_at, bodies.c.content_type)
            .join(bodies, bodies.c.hash == fetches.c.hash)
            .where(fetches.c.source == source)
            .order_by(fetches.c.fetched_at)
        )
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
        return [
            Page(
                url=row.url,
                body=self.archived_body(row.hash),
                content_type=row.content_type,
                fetched_at=aware(row.fetched_at) or utc_now(),
            )
            for row in rows
        ]

    def archived_page(self, source: str, url: str) -> Page | None:
        """The body last fetched from `url` for a source: what a 304 stands for."""
        query = (
            sa.select(fetches.c.hash, fetches.c.fetched_at, bodies.c.content_type)
            .join(bodies, bodies.c.hash == fetches.c.hash)
            .where(fetches.c.source == source, fetches.c.url == url)
            .order_by(fetches.c.fetched_at.desc(), fetches.c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return Page(
            url=url,
            body=self.archived_body(row.hash),
            content_type=row.content_type,
            fetched_at=aware(row.fetched_at) or utc_now(),
        )

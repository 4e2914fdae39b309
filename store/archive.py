"""The raw archive: every body fetched, kept once by content hash, and the log of fetches.

What lets a source be re-parsed without fetching it again, and a 304 stand for the body it
confirms.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence

import sqlalchemy as sa

from mobwatch.fetching.page import Page
from mobwatch.store.database import IN_CHUNK, Database, aware, utc_now
from mobwatch.store.tables import bodies, fetches


class Archive(Database):
    def archive(self, source: str, page: Page) -> str:
        """Keep the body by content hash (once) and log the fetch; returns the hash."""
        return self.archive_pages(source, [page])[0]

    def archive_pages(self, source: str, pages: Sequence[Page]) -> list[str]:
        """`archive` for many pages in one transaction: a source's pages at the end of its
        read cost one commit, not one each. Returns the hashes, in the pages' order."""
        digests = [hashlib.sha256(page.body).hexdigest() for page in pages]
        if not pages:
            return digests
        with self.writing() as conn:
            unique = sorted(set(digests))
            known: set[str] = set()
            for start in range(0, len(unique), IN_CHUNK):
                chunk = unique[start : start + IN_CHUNK]
                known.update(conn.scalars(sa.select(bodies.c.hash).where(bodies.c.hash.in_(chunk))))
            new: dict[str, Page] = {}
            for digest, page in zip(digests, pages, strict=True):
                if digest not in known:
                    new.setdefault(digest, page)
            if new:
                conn.execute(
                    bodies.insert(),
                    [
                        {
                            "hash": digest,
                            "size": len(page.body),
                            "content_type": page.content_type[:200],
                            "body": zlib.compress(page.body),
                        }
                        for digest, page in new.items()
                    ],
                )
            conn.execute(
                fetches.insert(),
                [
                    {
                        "source": source,
                        "url": page.url,
                        "status": page.status,
                        "hash": digest,
                        "fetched_at": page.fetched_at,
                    }
                    for digest, page in zip(digests, pages, strict=True)
                ],
            )
        return digests

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

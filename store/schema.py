"""The store's tables brought up to what this version of mobwatch declares.

A store outlives the program: a team's PostgreSQL store, or a laptop's SQLite file, is
opened by each newer mobwatch. `create_all` adds the tables a version introduces but not the
columns it adds to an existing table, and a query naming such a column would fail. So on
opening, every declared column missing from its table is added (with its index), through
Alembic's operations, which know each database's ALTER TABLE. Only nullable columns, or
ones with a server default, can be added to rows that exist; a version that needs more (a
new NOT NULL column, a changed type, a dropped column) says so rather than guessing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.operations import Operations


class SchemaError(Exception):
    """The store's tables cannot be brought up to date by adding to them."""


def upgrade(conn: Connection, metadata: sa.MetaData) -> list[str]:
    """Create missing tables and add missing columns; the columns added, as `table.column`."""
    metadata.create_all(conn)
    inspector = sa.inspect(conn)
    operations: Operations | None = None
    added: list[str] = []
    for table in metadata.sorted_tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        missing = [column for column in table.columns if column.name not in present]
        for column in missing:
            if not column.nullable and column.server_default is None:
                raise SchemaError(
                    f"the store lacks {table.name}.{column.name}, which cannot be added to "
                    "existing rows: it needs a migration, or a new store"
                )
            operations = operations or _operations(conn)
            operations.add_column(
                table.name,
                sa.Column(column.name, column.type, server_default=column.server_default),
            )
            added.append(f"{table.name}.{column.name}")
        names = {column.name for column in missing}
        for index in table.indexes:
            if names & {column.name for column in index.columns}:
                index.create(conn, checkfirst=True)
    return added


def _operations(conn: Connection) -> Operations:
    # Imported only when a column is missing: Alembic's import is a third of a second of
    # CPU, a large share of an hourly pass that finds nothing to add.
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    return Operations(MigrationContext.configure(conn))

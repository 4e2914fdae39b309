"""A store made by an older mobwatch is brought up to this version's tables when opened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from mobwatch.cli.main import main
from mobwatch.store.schema import SchemaError, upgrade
from mobwatch.store.store import Store
from tests.store.test_store import alert


def test_an_older_store_gains_the_new_columns_and_keeps_its_rows(db_url: str) -> None:
    store = Store.open(db_url)
    store.record_alert(alert())
    store.record_delivery("f" * 64, "slack", error="HTTP 500")
    store.close()
    # As the store was before deliveries had a backoff: the column and its values gone.
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE deliveries DROP COLUMN next_attempt_at"))
    engine.dispose()

    store = Store.open(db_url)
    try:
        # The delivery recorded before is still pending, and the backoff works on it.
        assert [a.fingerprint for a in store.undelivered("slack")] == ["f" * 64]
        later = datetime.now(UTC) + timedelta(hours=1)
        store.defer("f" * 64, "slack", later)
        assert store.undelivered("slack", due_at=datetime.now(UTC)) == []
        assert len(store.undelivered("slack", due_at=later + timedelta(seconds=1))) == 1
    finally:
        store.close()


def declared(*extra: sa.Column) -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table("things", metadata, sa.Column("id", sa.Integer, primary_key=True), *extra)
    return metadata


def test_a_new_column_comes_with_its_index_and_a_second_open_adds_nothing(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            declared().create_all(conn)
            conn.execute(sa.text("INSERT INTO things (id) VALUES (1), (2)"))
        newer = declared(sa.Column("region", sa.String(20), index=True))
        with engine.begin() as conn:
            assert upgrade(conn, newer) == ["things.region"]
        with engine.begin() as conn:
            assert upgrade(conn, newer) == []
            indexes = sa.inspect(conn).get_indexes("things")
            assert [index["column_names"] for index in indexes] == [["region"]]
            rows = conn.execute(sa.text("SELECT id, region FROM things ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [(1, None), (2, None)]
    finally:
        engine.dispose()


def test_a_new_column_rows_could_not_fill_is_refused_with_what_to_do(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            declared().create_all(conn)
        newer = declared(sa.Column("audience", sa.String(20), nullable=False))
        with (
            pytest.raises(SchemaError, match=r"things\.audience.*needs a migration"),
            engine.begin() as conn,
        ):
            upgrade(conn, newer)
        with_default = declared(
            sa.Column("audience", sa.String(20), nullable=False, server_default="analysts")
        )
        with engine.begin() as conn:
            assert upgrade(conn, with_default) == ["things.audience"]
    finally:
        engine.dispose()


def test_the_command_line_says_what_the_store_lacks_and_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    url = f"sqlite:///{home / 'mobwatch.db'}"  # where `--home` puts the store
    Store.open(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE alerts DROP COLUMN audience"))  # NOT NULL
    engine.dispose()
    assert main(["alerts", "--home", str(home)]) == 3
    error = capsys.readouterr().err
    assert "database error: SchemaError: the store lacks alerts.audience" in error
    assert "Traceback" not in error

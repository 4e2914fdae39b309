"""A real Prefect server on loopback for the deployment tests (`prefect server start`).

Its own database is a scratch PostgreSQL database when PostgreSQL is reachable (as a
team's server would run), else SQLite under its PREFECT_HOME. Its scheduler is off: the
deployments carry real hourly and daily schedules, and a scheduled pass would read the
real sources instead of the loopback ones.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import psycopg
import pytest

from mobwatch.runtime.local_server import LocalPrefectServer
from tests.deploy.prefect_api import PrefectServer
from tests.deploy.processes import clean_environ

PG_HOST = os.environ.get("MOBWATCH_TEST_PG_HOST", "127.0.0.1")


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[str]:
    """A new PostgreSQL database for the Prefect server (asyncpg), dropped afterwards."""
    admin = f"host={PG_HOST} port=5432 user=postgres dbname=postgres connect_timeout=3"
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://postgres@{PG_HOST}:5432/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def prefect_server(
    tmp_path_factory: pytest.TempPathFactory, postgres_unavailable: str | None
) -> Iterator[PrefectServer]:
    home = tmp_path_factory.mktemp("prefect-server")
    env = clean_environ(home, PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false")
    with ExitStack() as stack:  # the server stops before its database is dropped
        database = None
        if not postgres_unavailable:
            database = stack.enter_context(scratch_postgres_database("mobwatch_prefect"))
            env["PREFECT_API_DATABASE_CONNECTION_URL"] = database
        server = stack.enter_context(LocalPrefectServer(home / "server.log", environ=env))
        yield PrefectServer(server.api_url, database, home)

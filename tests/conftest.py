"""Shared fixtures: real databases (SQLite file, PostgreSQL on loopback)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from mobwatch.runtime.prefect_defaults import apply_prefect_defaults

# Nothing in the tests may leave loopback: Prefect's telemetry is off before Prefect loads.
apply_prefect_defaults()

PG_HOST = os.environ.get("MOBWATCH_TEST_PG_HOST", "127.0.0.1")
PG_ADMIN = f"host={PG_HOST} port=5432 user=postgres dbname=postgres connect_timeout=3"


def _postgres_reason() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN):
            return None
    except psycopg.OperationalError as error:
        return f"PostgreSQL not reachable on {PG_HOST}:5432 ({str(error).strip()[:120]})"


@pytest.fixture(scope="session")
def postgres_unavailable() -> str | None:
    return _postgres_reason()


@pytest.fixture
def postgres_url(postgres_unavailable: str | None) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if postgres_unavailable:
        pytest.skip(postgres_unavailable)
    name = f"mobwatch_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mobwatch.db'}"
    return request.getfixturevalue("postgres_url")


DELIVERY_VARIABLES = (
    "MOBWATCH_SLACK_WEBHOOK_URL",
    "MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL",
    "MOBWATCH_SMTP_URL",
    "MOBWATCH_SMTP_CA_FILE",
    "MOBWATCH_EMAIL_FROM",
    "MOBWATCH_EMAIL_TO",
    "MOBWATCH_OPERATOR_EMAIL_TO",
)


@pytest.fixture(autouse=True)
def no_delivery_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own Slack or SMTP settings never reach a test; tests set their own."""
    for name in DELIVERY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "ip6-localhost"}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test whose code tries to resolve a host beyond loopback."""
    attempts: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def guarded(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in _LOOPBACK_NAMES and not name.startswith("127."):
            attempts.append(name)
            raise socket.gaierror(socket.EAI_NONAME, f"tests stay on loopback: {name}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    yield
    assert not attempts, f"the test tried to reach beyond loopback: {sorted(set(attempts))}"

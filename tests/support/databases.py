"""Databases for tests: throw-away PostgreSQL databases, Redis for shared limits, and counting
the SQL a block runs."""

import os
import secrets

import pytest
from sqlalchemy import create_engine, text

from intake.database import statements_sent

ADMIN_URI = os.environ.get(
    "INTAKE_TEST_POSTGRES_ADMIN_URI", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def postgres_database():
    """Create an empty PostgreSQL database; return its URI and a cleanup, or skip."""
    name = "intake_test_" + secrets.token_hex(4)
    try:
        admin = create_engine(ADMIN_URI.replace("postgresql://", "postgresql+psycopg://"),
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any connection failure means "no server"
        if os.environ.get("INTAKE_REQUIRE_SERVICES"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {error}")

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", drop


def count_queries():
    """Collect the SQL statements the app's database receives inside the block."""
    return statements_sent()


def redis_uri_or_skip() -> str:
    """Return a Redis URI for the test; skip when no server answers (fail in CI)."""
    uri = os.environ.get("INTAKE_TEST_REDIS_URI", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(uri, socket_timeout=1).ping()
    except Exception as error:  # noqa: BLE001 - any failure means "no server here"
        if os.environ.get("INTAKE_REQUIRE_SERVICES"):
            raise
        pytest.skip(f"Redis not reachable: {error}")
    return uri

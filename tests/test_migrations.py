"""Migrations build the whole schema from nothing, on SQLite and on PostgreSQL."""

import pytest
from sqlalchemy import inspect

from intake import create_app
from intake.extensions import db
from tests.support.databases import postgres_database


def migrated_tables(uri: str, tmp_path, monkeypatch) -> dict[str, set[str]]:
    """Run `flask db upgrade` and `db check` on an empty database; return tables→columns."""
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x"})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    check = runner.invoke(args=["db", "check"])
    assert check.exit_code == 0, check.output
    with app.app_context():
        inspector = inspect(db.engine)
        tables = {
            name: {c["name"] for c in inspector.get_columns(name)}
            for name in inspector.get_table_names()
            if name != "alembic_version"
        }
        db.engine.dispose()
    return tables


def expected_tables() -> dict[str, set[str]]:
    """Return the tables and columns the models declare."""
    return {t.name: {c.name for c in t.columns} for t in db.metadata.sorted_tables}


def test_migrations_build_models_schema_on_sqlite(tmp_path, monkeypatch):
    tables = migrated_tables(f"sqlite:///{tmp_path / 'empty.sqlite'}", tmp_path, monkeypatch)
    assert tables == expected_tables()


def test_migrations_build_same_schema_on_postgresql(tmp_path, monkeypatch):
    uri, drop = postgres_database()
    try:
        postgres = migrated_tables(uri, tmp_path, monkeypatch)
    finally:
        drop()
    sqlite = migrated_tables(f"sqlite:///{tmp_path / 'empty.sqlite'}", tmp_path, monkeypatch)
    assert postgres == sqlite


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings only")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000

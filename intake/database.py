"""Engine settings: SQLite runs with WAL, a busy timeout, foreign keys and eager write locks."""

import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError

from intake.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_write_intent: ContextVar[bool | None] = ContextVar("write_intent", default=None)


def configure_engines(app: Flask) -> None:
    """Attach the SQLite connection settings to the app's engine when it is SQLite."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    timeout = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database and engine.url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        # A read transaction that later writes can fail at once with SQLITE_BUSY under
        # WAL; requests that may write take the write lock up front and wait instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if may_write() else "BEGIN")


def may_write() -> bool:
    """Say whether the unit of work may write: a POST, or a block inside writing()."""
    intent = _write_intent.get()
    if intent is not None:
        return intent
    return has_request_context() and request.method not in SAFE_METHODS


@contextmanager
def reading():
    """Make SQLite transactions opened in the block plain reads (no write lock, even in a
    POST), and end the session's transaction on leaving, so that slow work done next (photo
    decoding) holds no lock; nothing may be written in the block."""
    token = _write_intent.set(False)
    try:
        yield
    finally:
        _write_intent.reset(token)
        db.session.rollback()


@contextmanager
def writing():
    """Make SQLite transactions opened in the block take the write lock up front (commands)."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def engine_is_sqlite() -> bool:
    """Say whether the bound database is SQLite."""
    return db.engine.dialect.name == "sqlite"



def lock_row(instance) -> bool:
    """Lock a mapped instance's row until the transaction ends and reload it from the database;
    return False when the row is gone (deleted meanwhile).

    PostgreSQL: `SELECT … FOR UPDATE`, so writers that lock the same row first queue in order
    instead of deadlocking; SQLite: its write lock, taken up front, already orders writers.
    Call it before anything else in the unit of work: unflushed changes to the instance are lost.
    """
    db.session.expire(instance)
    identity = db.inspect(instance).identity
    return db.session.get(type(instance), identity, with_for_update=True,
                          populate_existing=True) is not None


# PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back
# whole and may simply run again.
RETRYABLE_STATES = frozenset({"40P01", "40001"})


def commit_retrying(work, attempts: int = 3):
    """Run `work()` and commit; when the database rolled it back for a deadlock or a
    serialization failure, roll back and run it again (at most `attempts` runs). Commits."""
    for _ in range(attempts - 1):
        try:
            result = work()
            db.session.commit()
            return result
        except DBAPIError as error:
            db.session.rollback()
            if getattr(error.orig, "sqlstate", None) not in RETRYABLE_STATES:
                raise
    result = work()
    db.session.commit()
    return result

"""Engine settings: SQLite runs with WAL, a busy timeout, foreign keys and eager write locks."""

import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from blinker import Namespace
from flask import Flask, has_request_context, request
from sqlalchemy import Select, event
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


# read_first's statements bypass SQLAlchemy's execution events: each is announced here, so
# that watch_statements() sees them with the others.
plain_statement_sent = Namespace().signal("plain-statement-sent")


def watch_statements(callback, engine=None):
    """Call callback(statement) for every SQL statement sent to an engine (the app's by
    default) from now on, SQLAlchemy's and read_first's alike; return the function that
    stops it (tests and benchmarks)."""
    def on_execute(conn, cursor, statement, *args):
        callback(statement)

    engine = engine or db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    plain_statement_sent.connect(callback, weak=False)

    def stop() -> None:
        event.remove(engine, "before_cursor_execute", on_execute)
        plain_statement_sent.disconnect(callback)
    return stop


@contextmanager
def statements_sent(keep=lambda statement: True):
    """Collect the SQL statements sent to the app's database inside the block (those `keep`
    accepts), SQLAlchemy's and read_first's alike; for tests and benchmarks."""
    statements = []
    stop = watch_statements(lambda statement: statements.append(statement)
                            if keep(statement) else None)
    try:
        yield statements
    finally:
        stop()


@lru_cache(maxsize=16)
def _plain_statement(statement: Select, dialect) -> tuple:
    """Return a prebuilt SELECT compiled for a dialect, with its columns' result converters."""
    converters = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                  for column in statement.selected_columns]
    return statement.compile(dialect=dialect), converters


def read_first(statement: Select, **values) -> tuple | None:
    """Return the first row of a prebuilt SELECT (values converted as the ORM would), run
    alone on a pooled DB-API connection; `values` are plain str and int bound to its named
    parameters. For readers' requests answered from one row: SQLAlchemy's execution path
    costs several times the query itself."""
    engine = db.engine
    compiled, converters = _plain_statement(statement, engine.dialect)
    params = compiled.construct_params(values)
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        plain_statement_sent.send(compiled.string)
        cursor.execute(compiled.string, params)
        row = cursor.fetchone()
        cursor.close()
    finally:
        connection.close()  # back to the pool, rolled back
    if row is None:
        return None
    return tuple(value if convert is None else convert(value)
                 for convert, value in zip(converters, row, strict=True))

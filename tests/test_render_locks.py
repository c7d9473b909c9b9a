"""PDF renders beside writers on SQLite: no "database is locked", no 503 for a stored PDF."""

import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from intake.extensions import db
from intake.publishing.renditions import render_pdf
from tests.support.seeds import carl, jean_luc
from tests.support.servers import ROOT, flask_env


@pytest.fixture
def sqlite_file(app):
    """Return the path of the test's SQLite database (these tests are about SQLite's lock)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock only")
    return db.engine.url.database


class Autosaver(threading.Thread):
    """Another connection writing all the time, as invitees autosaving: each write holds the
    lock for a moment, the way a request does."""

    def __init__(self, path: str):
        super().__init__(daemon=True)
        self.path = path
        self.stopped = threading.Event()
        self.writes = 0

    def run(self) -> None:
        connection = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        while not self.stopped.is_set():
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE submissions SET updated_at = updated_at")
            time.sleep(0.05)
            connection.execute("COMMIT")
            self.writes += 1
            time.sleep(0.005)
        connection.close()


def test_render_all_beside_autosaves_never_says_database_is_locked(app, sqlite_file,
                                                                   tmp_path):
    carl()
    jean_luc()
    db.session.commit()
    saver = Autosaver(sqlite_file)
    saver.start()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "intake", "render", "--all"], cwd=ROOT,
            env=flask_env(app, tmp_path / "instance", SQLITE_BUSY_TIMEOUT_MS=15000),
            capture_output=True, text=True, timeout=180, check=False)
    finally:
        saver.stopped.set()
        saver.join(5)
    assert "database is locked" not in result.stderr
    assert (result.returncode, result.stdout) == (
        0, "Pages rendered: 2\nPDF ready: 2, failed: 0\n"), result.stderr
    assert saver.writes > 10


def test_reader_gets_a_stored_pdf_while_a_writer_holds_the_lock(app, client, sqlite_file):
    row = render_pdf(jean_luc())
    stored = row.data
    db.session.commit()
    writer = sqlite3.connect(sqlite_file, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # held for the whole request
    try:
        started = time.monotonic()
        response = client.get("/portraits/jean-luc-sanscartier.pdf")
        elapsed = time.monotonic() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert (response.status_code, response.data) == (200, stored)
    assert elapsed < 2

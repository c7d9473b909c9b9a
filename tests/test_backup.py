"""`flask backup` makes a consistent copy of a live SQLite database."""

import sqlite3

import pytest

from intake.extensions import db
from tests.support.factories import make_submission


def test_backup_copies_database_with_photos(app, runner, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite backup command; PostgreSQL uses pg_dump")
    submission = make_submission()
    photo_hash = submission.photo("portrait").sha256
    (tmp_path / "instance" / "secret_key").write_text("k" * 64)
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(tmp_path / "backup" / "intake.sqlite")
    names = copy.execute("select name from invitations").fetchall()
    hashes = copy.execute("select sha256 from photos").fetchall()
    assert (names, hashes) == ([("Jean-Luc Sanscartier",)], [(photo_hash,)])
    assert copy.execute("pragma integrity_check").fetchone() == ("ok",)
    assert (tmp_path / "backup" / "secret_key").read_text() == "k" * 64


def test_backup_refuses_to_overwrite(app, runner, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite backup command")
    runner.invoke(args=["backup", str(tmp_path / "b")])
    result = runner.invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "already exists; choose an empty folder" in result.output


def test_backup_on_postgresql_points_to_pg_dump(app, runner, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    result = runner.invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "back it up with pg_dump" in result.output

"""`flask … backup`: a consistent online copy of the SQLite database and the instance secrets."""

import shutil
import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from intake.extensions import db


class BackupError(Exception):
    """A backup that cannot be made here, with the reason."""


def backup_sqlite(target: Path) -> list[Path]:
    """Copy the live SQLite database (sqlite3 backup API) and the secret key into a folder."""
    if db.engine.dialect.name != "sqlite":
        raise BackupError("the database is not SQLite: back it up with pg_dump "
                          "(see README, « Backups »)")
    source_path = db.engine.url.database
    target.mkdir(parents=True, exist_ok=True)
    copy = target / "intake.sqlite"
    if copy.exists():
        raise BackupError(f"{copy} already exists; choose an empty folder")
    source = sqlite3.connect(source_path, timeout=30)
    destination = sqlite3.connect(copy)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()
    written = [copy]
    key_file = Path(current_app.instance_path) / "secret_key"
    if key_file.exists():
        shutil.copy2(key_file, target / "secret_key")
        written.append(target / "secret_key")
    for path in written:
        path.chmod(0o600)
    return written


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup(folder: Path) -> None:
    """Copy the SQLite database (photos and PDFs included) and the secret key, while live."""
    try:
        written = backup_sqlite(folder)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    for path in written:
        click.echo(f"Wrote {path}")

"""The `flask --app intake …` commands, one module per area."""

from flask import Flask

from intake.cli import (
    accounts,
    backup,
    bulk,
    doctor,
    mail,
    publishing,
    series,
    serve,
    wordpress,
    worker,
)


def init_app(app: Flask) -> None:
    """Register every command on the app."""
    for command in (accounts.create_admin, accounts.setup, backup.backup, doctor.doctor,
                    mail.invite, mail.outbox, mail.remind, publishing.render,
                    serve.serve, worker.worker, wordpress.wordpress, series.series,
                    bulk.invite_csv):
        app.cli.add_command(command)

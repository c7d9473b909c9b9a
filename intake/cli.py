"""The `flask --app intake …` commands."""

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_migrate import upgrade

from intake.auth.accounts import FIRST_ACCOUNT_EMAIL, AccountError, create_user, ensure_first_user
from intake.extensions import db


def init_app(app: Flask) -> None:
    """Register the commands on the app."""
    from intake import cli_doctor, cli_mail, cli_publish

    for command in (create_admin, setup, backup):
        app.cli.add_command(command)
    cli_doctor.init_app(app)
    cli_mail.init_app(app)
    cli_publish.init_app(app)


def refusal(error: Exception) -> click.ClickException:
    """Return a command failure that says a refusal as an English sentence."""
    with force_locale("en"):
        return click.ClickException(str(getattr(error, "message", error)))


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="",
              help="The blogger's name, as it signs the emails. Without it the account "
                   "completes a welcome step at first login.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr")
@with_appcontext
def create_admin(email: str, name: str, password_stdin: bool, language: str) -> None:
    """Create a blogger account; the password comes from a prompt or standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password, language, name=name)
    except AccountError as error:
        raise refusal(error) from error
    db.session.commit()
    click.echo(f"Created blogger account {user.email}.")


@click.command("setup")
@click.option("--admin-email", default=FIRST_ACCOUNT_EMAIL, show_default=True)
@with_appcontext
def setup(admin_email: str) -> None:
    """Upgrade the database, load the default questionnaire, create a first blogger if none."""
    from intake.questionnaire.series import ensure_default_questionnaire

    upgrade(directory=current_app.extensions["migrate"].directory)
    created = ensure_default_questionnaire()
    try:
        first = ensure_first_user(admin_email)
    except AccountError as error:
        raise refusal(error) from error
    db.session.commit()
    if created:
        click.echo("Loaded the default questionnaire.")
    if first:
        user, password = first
        click.echo("")
        click.echo("First blogger account created. Log in at " + current_app.config["BASE_URL"]
                   + "/login with:")
        click.echo(f"    email:    {user.email}")
        click.echo(f"    password: {password}")
        click.echo("This password is shown once. At first login a welcome step asks for your "
                   "name, your real email address, a new password and the blog's time zone.")
        click.echo("")


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup(folder: Path) -> None:
    """Copy the SQLite database (photos and PDFs included) and the secret key, while live."""
    from intake.services.backup import BackupError, backup_sqlite

    try:
        written = backup_sqlite(folder)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    for path in written:
        click.echo(f"Wrote {path}")

"""Account commands: `create-admin`, and `setup` (database, questionnaire, a first blogger)."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_migrate import upgrade

from intake.auth.accounts import FIRST_ACCOUNT_EMAIL, AccountError, create_user, ensure_first_user
from intake.extensions import db
from intake.links import absolute_url
from intake.questionnaire.series import ensure_default_questionnaire


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
        click.echo(f"First blogger account created. Log in at {absolute_url('auth.login')} "
                   "with:")
        click.echo(f"    email:    {user.email}")
        click.echo(f"    password: {password}")
        click.echo("This password is shown once. At first login a welcome step asks for your "
                   "name, your real email address, a new password and the blog's time zone.")
        click.echo("")

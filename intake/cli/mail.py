"""Mail commands: `invite`, `outbox send|list|retry`, `remind` (for people and for cron)."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from intake.database import writing
from intake.enums import OutboxStatus
from intake.extensions import db
from intake.invitations.emails import queue_invitation_email
from intake.invitations.operations import InvitationError, create_invitation
from intake.invitations.reminders import queue_due_reminders
from intake.links import invitation_link
from intake.mail.addresses import MailError
from intake.mail.delivery import deliver_due, retry_failed
from intake.models import OutboxMessage
from intake.questionnaire.series import SeriesError, find_series


@click.command("invite")
@click.argument("email")
@click.option("--name", required=True, help="The person's name, as the email greets them.")
@click.option("--lang", "language", type=click.Choice(["fr", "en"]), default="fr",
              show_default=True)
@click.option("--expires-days", type=click.IntRange(1, 365), default=None,
              help="Days the link stays valid (default: INVITATION_DAYS).")
@click.option("--organisation", default="", help="Organisation or brand.")
@click.option("--series", "series_slug", default="", metavar="SLUG",
              help="The series' slug (default: the default series; see `series list`).")
@with_appcontext
def invite(email: str, name: str, language: str, expires_days: int | None,
           organisation: str, series_slug: str) -> None:
    """Invite a person to a series: create the invitation, queue its email, print the link."""
    try:
        with writing():  # SQLite: take the write lock first, wait rather than fail
            invitation, _token = create_invitation(
                name=name, email=email, language=language, organisation=organisation,
                expires_days=expires_days, series=find_series(series_slug))
            queue_invitation_email(invitation)
            db.session.commit()
    except (MailError, InvitationError, SeriesError) as error:
        db.session.rollback()
        with force_locale("en"):
            reason = str(getattr(error, "message", error))
        raise click.ClickException(f"Cannot invite {email!r}: {reason}") from error
    click.echo(invitation_link(invitation))


@click.group("outbox")
def outbox() -> None:
    """Deliver or inspect the outbox."""


@outbox.command("send")
@click.option("--limit", type=click.IntRange(1, 10000), default=200, show_default=True)
@with_appcontext
def outbox_send(limit: int) -> None:
    """Deliver the due messages (safe to run from several processes at once)."""
    if not current_app.config.get("MAIL_SERVER"):
        click.echo("MAIL_SERVER is not set: messages stay in the outbox.")
        return
    report = deliver_due(limit=limit)
    click.echo(f"Sent {report.sent}, to retry {report.retry}, failed {report.failed}.")
    if report.postponed:
        click.echo(f"Server unreachable: {report.postponed} more postponed.")


@outbox.command("retry")
@click.option("--failed", "failed", is_flag=True, required=True,
              help="Put every failed message back in the queue, due now.")
@with_appcontext
def outbox_retry(failed: bool) -> None:
    """Put the failed messages back in the queue (the worker sends them)."""
    with writing():
        count = retry_failed()
        db.session.commit()
    click.echo(f"Queued again: {count}.")


@outbox.command("list")
@click.option("--status", type=click.Choice([status.value for status in OutboxStatus]))
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@with_appcontext
def outbox_list(status: str | None, limit: int) -> None:
    """Print the latest messages: id, status, attempts, recipient, subject, last error."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    for message in db.session.scalars(query):
        error = f"  [{message.last_error}]" if message.last_error else ""
        click.echo(f"{message.id}\t{message.status}\t{message.attempts}\t{message.to_addr}\t"
                   f"{message.subject}{error}")


@click.command("remind")
@with_appcontext
def remind() -> None:
    """Expire overdue invitations and queue the reminders that are due (idempotent)."""
    count = queue_due_reminders()
    db.session.commit()
    click.echo(f"Queued {count} reminder(s).")

"""`flask … wordpress check | push`: test the connection, push portraits to WordPress."""

import click
from flask.cli import with_appcontext

from intake.enums import WordPressStatus
from intake.errors import Refused
from intake.extensions import db
from intake.wordpress import queue
from intake.wordpress.check import check_connection
from intake.wordpress.client import WordPressError


@click.group("wordpress")
def wordpress() -> None:
    """Connect the blog's WordPress and push published portraits to it."""


@wordpress.command("check")
@with_appcontext
def check() -> None:
    """Test the connection: address, REST API, credentials, rights; exit 1 on a problem."""
    try:
        found = check_connection()
    except WordPressError as error:
        click.echo(f"WordPress: {error.message}", err=True)
        if error.detail_line:
            click.echo(f"  ({error.detail_line})", err=True)
        raise SystemExit(1) from error
    click.echo(f"WordPress: OK — « {found.site} », {found.user}")


@wordpress.command("push")
@click.argument("slug", required=False)
@click.option("--all", "push_all", is_flag=True, help="Push every published portrait.")
@click.option("--status", "post_status",
              type=click.Choice([status.value for status in WordPressStatus]),
              default=WordPressStatus.DRAFT.value, show_default=True,
              help="Status of the WordPress post (future: at the portrait's publication date).")
@with_appcontext
def push(slug: str | None, push_all: bool, post_status: str) -> None:
    """Queue and run the push of one published portrait (SLUG) or of all of them."""
    if bool(slug) == push_all:
        raise click.UsageError("Give one SLUG or --all.")
    try:
        pushes = queue.queue_for_cli(slug, WordPressStatus(post_status))
    except Refused as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    queue.process_due_pushes(push_ids=[row.id for row in pushes])
    failed = 0
    for row in pushes:
        db.session.refresh(row)
        click.echo(f"{row.submission.slug}: {queue.outcome_line(row)}")
        failed += row.status != "done"
    if failed:
        raise SystemExit(1)

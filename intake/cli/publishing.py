"""`flask … render`: render the stale or missing post pages, and retry the PDFs of published
portraits that are missing, stale or failed."""

import click
from flask.cli import with_appcontext

from intake.enums import RenditionStatus
from intake.extensions import db
from intake.publishing import renditions
from intake.publishing.listing import published_portraits
from intake.publishing.pages import render_stale_pages


@click.command("render")
@click.option("--all", "render_all", is_flag=True,
              help="Re-render every published portrait's PDF, not only missing or failed ones.")
@with_appcontext
def render(render_all: bool) -> None:
    """Render stale post pages and the missing or failed PDFs of published portraits (for
    cron or a timer, until the worker does it)."""
    click.echo(f"Pages rendered: {render_stale_pages(after_each=db.session.commit)}")
    due = published_portraits() if render_all else renditions.pending_portraits()
    # One short transaction per portrait.
    counts = renditions.render_all(due, after_each=db.session.commit)
    click.echo(f"PDF ready: {counts[RenditionStatus.READY]}, "
               f"failed: {counts[RenditionStatus.FAILED]}")
    if counts[RenditionStatus.FAILED]:
        raise SystemExit(1)

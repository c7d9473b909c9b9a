"""`flask … render`: render the stale or missing post pages, and the PDFs of published
portraits that are missing or failed."""

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
    """Render the stale or missing post pages, then the missing or failed PDFs of published
    portraits (the worker does both too).

    Each page and PDF is rendered holding no write lock, then stored in its own short
    transaction.
    """
    click.echo(f"Pages rendered: {render_stale_pages()}")
    due = published_portraits() if render_all else renditions.pending_portraits()
    ids = [submission.id for submission in due]
    db.session.rollback()  # end the read: each render below takes its own transactions
    counts = {RenditionStatus.READY: 0, RenditionStatus.FAILED: 0}
    for submission_id in ids:
        status = renditions.render_stored(submission_id)
        if status is not None:
            counts[RenditionStatus.READY if status == RenditionStatus.READY
                   else RenditionStatus.FAILED] += 1
    click.echo(f"PDF ready: {counts[RenditionStatus.READY]}, "
               f"failed: {counts[RenditionStatus.FAILED]}")
    if counts[RenditionStatus.FAILED]:
        raise SystemExit(1)

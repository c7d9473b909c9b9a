"""`flask … render`: retry the PDFs of published portraits that are missing or failed."""

import click
from flask import Flask
from flask.cli import with_appcontext

from intake.extensions import db


def init_app(app: Flask) -> None:
    """Register the render command on the app."""
    app.cli.add_command(render)


@click.command("render")
@click.option("--all", "render_all", is_flag=True,
              help="Re-render every published portrait's PDF, not only missing or failed ones.")
@with_appcontext
def render(render_all: bool) -> None:
    """Render the missing or failed PDFs of published portraits (for cron or a timer)."""
    from intake.services import renditions
    from intake.services.publishing import published_portraits

    due = published_portraits() if render_all else renditions.pending_portraits()
    counts = {renditions.READY: 0, renditions.FAILED: 0}
    for submission in due:
        row = renditions.render_pdf(submission)
        db.session.commit()  # one short transaction per portrait
        ready = row is not None and row.status == renditions.READY
        counts[renditions.READY if ready else renditions.FAILED] += 1
    click.echo(f"PDF ready: {counts[renditions.READY]}, failed: {counts[renditions.FAILED]}")
    if counts[renditions.FAILED]:
        raise SystemExit(1)

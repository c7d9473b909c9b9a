"""Series commands: `series list|create|copy`."""

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import func, select

from intake.database import writing
from intake.extensions import db
from intake.models import Invitation
from intake.questionnaire.series import SeriesError, all_series, create_series, find_series


@click.group("series")
def series() -> None:
    """List the series, or create one (default questions, or a copy of another)."""


@series.command("list")
@with_appcontext
def list_series() -> None:
    """Print one line per series: slug, invitations, languages, title (the default first)."""
    counts = dict(db.session.execute(select(Invitation.questionnaire_id, func.count())
                                     .group_by(Invitation.questionnaire_id)).all())
    for number, item in enumerate(all_series()):
        mark = " (default)" if number == 0 else ""
        click.echo(f"{item.slug}\t{counts.get(item.id, 0)} invitations\t"
                   f"{','.join(item.languages or [])}\t{item.title_fr}{mark}")


@series.command("create")
@click.argument("title")
@click.option("--slug", default="", help="The series' address (default: from the title).")
@with_appcontext
def create(title: str, slug: str) -> None:
    """Create a series with the default questionnaire (the seed portraits' questions)."""
    made = created(title, slug, None)
    click.echo(f"Created {made.slug} with {len(made.questions)} questions.")


@series.command("copy")
@click.argument("source")
@click.argument("title")
@click.option("--slug", default="", help="The new series' address (default: from the title).")
@with_appcontext
def copy(source: str, title: str, slug: str) -> None:
    """Create a series as a copy of SOURCE (a slug): its settings and questions."""
    made = created(title, slug, source)
    click.echo(f"Created {made.slug}, a copy of {source}, with {len(made.questions)} questions.")


def created(title: str, slug: str, source: str | None):
    """Create and commit a series; a refusal becomes the command's error message."""
    try:
        with writing():
            made = create_series(title, slug, copy_from=find_series(source) if source else None)
            db.session.commit()
    except SeriesError as error:
        db.session.rollback()
        with force_locale("en"):
            raise click.ClickException(str(error.message)) from error
    return made

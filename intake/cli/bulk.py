"""`invite-csv FILE --series SLUG [--dry-run]`: a list of people invited from the command line,
with the same checks and report as the blogger's bulk page."""

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from intake.database import writing
from intake.extensions import db
from intake.invitations.bulk import BulkListError, read_list
from intake.invitations.bulk_send import check_for_series, open_addresses, send_rows
from intake.questionnaire.series import SeriesError, find_series


@click.command("invite-csv")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--series", "series_slug", default="", metavar="SLUG",
              help="The series' slug (default: the default series; see `series list`).")
@click.option("--dry-run", is_flag=True, help="Check and report every row; invite nobody.")
@click.option("--expires-days", type=click.IntRange(1, 365), default=None,
              help="Days the links stay valid (default: INVITATION_DAYS).")
@with_appcontext
def invite_csv(path: str, series_slug: str, dry_run: bool, expires_days: int | None) -> None:
    """Invite every ready row of a CSV list (UTF-8, Excel's `;`, Windows-1252) to a series."""
    with force_locale("en"):
        try:
            series = find_series(series_slug)
            with open(path, "rb") as handle:
                bulk = check_for_series(read_list(handle.read(), open_addresses(series)),
                                        series)
        except (SeriesError, BulkListError) as error:
            raise click.ClickException(str(error.message)) from error
        for notice in bulk.notices:
            click.echo(f"Note: {notice}")
        for row in bulk.rows:
            click.echo(row_line(row))
        ready = len(bulk.ready_rows())
        click.echo(f"{ready} ready, {len(bulk.rows) - ready} refused ({series.slug}).")
        if dry_run:
            click.echo("Dry run: nobody was invited.")
            return
        with writing():
            report = send_rows(bulk, series, commit=db.session.commit,
                               expires_days=expires_days)
        for row, reason in report.failed:
            click.echo(f"Row {row.number} failed: {reason}")
        click.echo(f"Invited {len(report.sent)}, failed {len(report.failed)}, "
                   f"not sent {len(report.skipped)}.")
    if report.failed:
        raise SystemExit(1)


def row_line(row) -> str:
    """Return one row of the report: number, status, who, and every reason in words."""
    who = f"{row.name or '?'} <{row.email or '?'}>"
    reasons = " ".join(str(reason) for reason in row.reasons)
    return f"Row {row.number}\t{row.status.label}\t{who}" + (f"\t{reasons}" if reasons else "")

"""`flask --app intake doctor`: say what this machine lacks for the app, and the fix."""

import click
from flask.cli import with_appcontext

from intake.cli.checks import run_checks


@click.command("doctor")
@with_appcontext
def doctor() -> None:
    """Check PDF libraries and fonts, database, questionnaire, BASE_URL, SMTP; exit 1 on error."""
    findings = run_checks()
    for finding in findings:
        click.echo(f"{finding.level}: {finding.sentence}")
    if any(finding.failed for finding in findings):
        raise SystemExit(1)

"""`flask … worker`: the one background worker (a loop, or one pass with --once for cron)."""

import click
from flask import current_app
from flask.cli import with_appcontext

from intake.worker.loop import Worker


@click.command("worker")
@click.option("--once", is_flag=True,
              help="Run every job once, then exit (for cron); exit 1 if a job failed.")
@with_appcontext
def worker(once: bool) -> None:
    """Deliver mail, queue reminders, expire invitations, render PDFs; stop on SIGTERM."""
    app = current_app._get_current_object()
    runner = Worker(app)
    runner.install_signals()
    if once:
        done = runner.run_once()
        click.echo(", ".join(f"{name}: {count}" for name, count in done.items()))
        if runner.failed:  # cron mails what fails
            raise click.ClickException(f"failed: {', '.join(runner.failed)} (see above)")
        return
    if not app.config.get("MAIL_SERVER"):
        click.echo("worker: MAIL_SERVER is not set: mail stays in the outbox.")
    click.echo("worker: running (Ctrl-C or SIGTERM stops it).")
    runner.run()
    click.echo("worker: stopped.")
    runner.reload_if_asked()

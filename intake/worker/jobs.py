"""The worker's jobs, in one registry: adding one is one `register(...)` line.

A job is a function taking `stopping` (a callable saying the worker is asked to stop) and
returning how much it did (0: nothing was due). It commits its own work.
"""

from collections.abc import Callable
from dataclasses import dataclass

from intake.extensions import db
from intake.invitations.reminders import queue_due_reminders
from intake.mail.delivery import deliver_due
from intake.publishing import renditions
from intake.publishing.pages import render_stale_pages
from intake.wordpress.queue import process_due_pushes


@dataclass(frozen=True)
class Job:
    """A periodic job: its name, its function, and how often it runs (a setting's name, in
    seconds, or a number; 0: on every pass of the loop)."""

    name: str
    run: Callable[[Callable[[], bool]], int]
    every: str | float = 0


JOBS: list[Job] = []
PAGES_PER_PASS = 50  # new series settings may mark thousands stale: mail waits for no more


def register(name: str, run: Callable[[Callable[[], bool]], int], every: str | float = 0) -> None:
    """Add a job to the worker (e.g. pushes to WordPress)."""
    JOBS.append(Job(name, run, every))


def deliver_mail(stopping: Callable[[], bool]) -> int:
    """Send the due mail; returns how many messages were tried or postponed."""
    report = deliver_due(stopping=stopping)
    return report.claimed + report.postponed


def send_reminders(_stopping: Callable[[], bool]) -> int:
    """Expire overdue invitations and queue the due reminders; commits; returns how many."""
    count = queue_due_reminders()
    db.session.commit()
    return count


def render_pdfs(_stopping: Callable[[], bool]) -> int:
    """Render the next PDF asked for (publish, edit); returns 1 when one was rendered."""
    return renditions.render_queued()


def retry_failed_renders(stopping: Callable[[], bool]) -> int:
    """Render once more each PDF that failed (under the attempt limit); returns how many."""
    ids = [submission.id for submission in renditions.pending_portraits()]
    db.session.rollback()
    done = 0
    for submission_id in ids:
        if stopping():
            break
        done += renditions.render_stored(submission_id) is not None
    return done


def render_pages(stopping: Callable[[], bool]) -> int:
    """Render and store the stale or missing post pages, committing after each; returns how
    many."""
    return render_stale_pages(limit=PAGES_PER_PASS, stopping=stopping)


def push_to_wordpress(_stopping: Callable[[], bool]) -> int:
    """Send the due pushes to WordPress (with their retries); commits; returns how many."""
    return process_due_pushes()


register("mail", deliver_mail)
register("pdf", render_pdfs)
register("pages", render_pages)
register("reminders", send_reminders, every="WORKER_REMINDERS_SECONDS")
register("pdf-retries", retry_failed_renders, every=3600)
register("wordpress", push_to_wordpress)

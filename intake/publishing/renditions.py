"""Stored renditions of published portraits (the PDF, the post page): render, store, retry,
mark stale, remove.

A render failure never undoes an approval or a publication: it is written on the Rendition row
(status 'failed', the error, one more attempt) for the blogger to see, and retried later.
"""

import logging

from sqlalchemy import delete

from intake.enums import RenditionStatus, State
from intake.extensions import db
from intake.models import Rendition, Submission
from intake.publishing.listing import OTHERS_SIZE, latest_others
from intake.publishing.pages import render_page
from intake.publishing.stored import (  # re-exported: callers and tests know them here
    MAX_ATTEMPTS,
    PAGE,
    PDF,
    StoredFile,
    due_portraits,
    mark_stale,
    rendition,
    store_failure,
    store_ready,
    stored_file,
    stored_row,
)

log = logging.getLogger(__name__)

__all__ = ["MAX_ATTEMPTS", "PAGE", "PDF", "mark_stale", "rendition", "stored_row"]


def render_pdf(submission: Submission) -> Rendition | None:
    """Render and store a portrait's PDF; a failure is recorded on the row, never raised.

    Returns the Rendition row, or None when even the row could not be written.
    """
    # Imported here, not at the top: the app starts (and `flask doctor` says what is missing)
    # on a machine where WeasyPrint's system libraries do not load.
    from intake.publishing.pdf import RENDER_ERRORS, render_portrait_pdf

    try:
        row = stored_row(submission)
    except Exception:  # the database itself failed: leave the caller's transaction usable
        log.exception("could not store the PDF rendition of submission %s", submission.id)
        return None
    try:
        data = render_portrait_pdf(submission)
    except RENDER_ERRORS as error:  # any render failure is stored, never raised
        log.exception("PDF render failed for submission %s", submission.id)
        return store_failure(row, error)
    return store_ready(row, data)


def refresh_renditions(submission: Submission) -> Rendition | None:
    """Re-render a published portrait's page and PDF after publish or edit; never raises;
    flushes; returns the PDF row.

    Does nothing for a portrait that is not published with a slug.
    """
    if submission.state != State.PUBLISHED.value or not submission.slug:
        return None
    render_page(submission)
    return render_pdf(submission)


def shown_among_others(submission: Submission) -> bool:
    """Say whether a portrait is in some post's « Autres portraits » (one of the newest)."""
    if submission.state != State.PUBLISHED.value or not submission.slug:
        return False
    newest = latest_others(None, OTHERS_SIZE + 1)
    return any(other["id"] == submission.id for other in newest)


def mark_others_stale(submission: Submission, *, was_shown: bool = False) -> int:
    """Ask for a new page and PDF of the other portraits when this one is (or was, before
    the change) in their « Autres portraits »: publish, unpublish, new title or date;
    flushes; returns how many renditions.

    Their stored page and PDF stay and are served until the new ones are ready.
    """
    if not (was_shown or shown_among_others(submission)):
        return 0
    return mark_stale(exclude_id=submission.id)


def remove_renditions(submission: Submission) -> int:
    """Delete a portrait's stored renditions (unpublish, erase); flushes; returns the count."""
    result = db.session.execute(
        delete(Rendition).where(Rendition.submission_id == submission.id)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return result.rowcount or 0


def pending_portraits(max_attempts: int = MAX_ATTEMPTS) -> list[Submission]:
    """Return published portraits whose PDF is missing, pending or failed under the limit."""
    return due_portraits(PDF, max_attempts)


def render_all(portraits: list[Submission], after_each=None) -> dict[str, int]:
    """Render each portrait's PDF, calling `after_each()` after each one; returns counts.

    Flushes; `after_each` lets a command commit one short transaction per portrait.
    """
    counts = {RenditionStatus.READY: 0, RenditionStatus.FAILED: 0}
    for submission in portraits:
        row = render_pdf(submission)
        if after_each is not None:
            after_each()
        ready = row is not None and row.status == RenditionStatus.READY
        counts[RenditionStatus.READY if ready else RenditionStatus.FAILED] += 1
    return counts


def render_pending(max_attempts: int = MAX_ATTEMPTS) -> dict[str, int]:
    """Retry the missing or failed PDFs of published portraits; flushes; returns counts."""
    return render_all(pending_portraits(max_attempts))


def stored_pdf(slug: str) -> StoredFile | None:
    """Return the stored PDF of the published portrait at a slug, stale or not; one query."""
    return stored_file(slug, PDF)


def ready_pdf(submission: Submission, *, render_if_missing: bool = True) -> Rendition | None:
    """Return a portrait's stored PDF (a stale one too: the worker renders the new one); render
    it once now when none is stored and the attempts are under the limit."""
    row = rendition(submission)
    if row is not None and row.data:
        return row
    if not render_if_missing or (row is not None and row.attempts >= MAX_ATTEMPTS):
        return None
    row = render_pdf(submission)
    return row if row is not None and row.data else None


def pdf_file(submission: Submission) -> StoredFile | None:
    """Return a published portrait's PDF as a reader gets it, rendered once now when none is
    stored (see ready_pdf); None while it cannot be had."""
    row = ready_pdf(submission)
    return None if row is None else StoredFile(row.data, row.sha256, row.rendered_at)

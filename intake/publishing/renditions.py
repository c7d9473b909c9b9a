"""Stored renditions of published portraits (the PDF, the post page): queue, render, store,
retry, mark stale, remove.

Publishing and edits store the new post page (pages.py) and only queue a PDF (queue_render:
the row is 'pending', its old PDF still served); the worker renders it (render_queued) holding
no write lock, then stores it. A render failure never undoes an approval or a publication: it
is written on the Rendition row (status 'failed', the error, one more attempt) for the blogger
to see, and retried later.
"""

import logging

from sqlalchemy import and_, delete, or_, select

from intake.database import reading, writing
from intake.enums import RenditionStatus, State
from intake.extensions import db
from intake.models import Rendition, Submission, utcnow
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


def queue_render(submission: Submission) -> Rendition | None:
    """Store a published portrait's new post page and ask the worker for its new PDF (publish,
    edit); flushes; returns the PDF row.

    The stored PDF, if any, stays and is served until the new one is ready. Does nothing for a
    portrait that is not published with a slug.
    """
    if submission.state != State.PUBLISHED.value or not submission.slug:
        return None
    render_page(submission)  # a page renders in milliseconds: readers see the edit at once
    row = stored_row(submission)
    row.status, row.attempts, row.requested_at = RenditionStatus.PENDING, 0, utcnow()
    db.session.flush()
    return row


def shown_among_others(submission: Submission) -> bool:
    """Say whether a portrait is in some post's « Autres portraits » of its series (one of its
    newest)."""
    if submission.state != State.PUBLISHED.value or not submission.slug:
        return False
    newest = latest_others(None, submission.invitation.series, OTHERS_SIZE + 1)
    return any(other["id"] == submission.id for other in newest)


def mark_others_stale(submission: Submission, *, was_shown: bool = False) -> int:
    """Ask for a new page and PDF of the other portraits of its series when this one is (or
    was, before the change) in their « Autres portraits »: publish, unpublish, new title or
    date; flushes; returns how many renditions.

    Their stored page and PDF stay and are served until the worker stored the new ones.
    """
    if not (was_shown or shown_among_others(submission)):
        return 0
    return mark_stale(submission.invitation.questionnaire_id, exclude_id=submission.id)


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


def queued_portrait(statuses=(RenditionStatus.PENDING,),
                    max_attempts: int = MAX_ATTEMPTS) -> int | None:
    """Return the id of a published portrait whose PDF is missing or in one of `statuses`
    (under the attempt limit), oldest first; None when there is none."""
    return db.session.scalar(
        select(Submission.id)
        .outerjoin(Rendition, and_(Rendition.submission_id == Submission.id,
                                   Rendition.kind == PDF))
        .where(Submission.state == State.PUBLISHED.value, Submission.slug.is_not(None),
               or_(Rendition.id.is_(None),
                   and_(Rendition.status.in_([str(s) for s in statuses]),
                        Rendition.attempts < max_attempts)))
        .order_by(Submission.id).limit(1))


def render_stored(submission_id: int) -> str | None:
    """Render a published portrait's PDF holding no write lock, then store it (or its error)
    under the write lock, unless a newer render was asked for meanwhile; commits.

    Returns the status stored, or None when nothing was (unpublished, or asked again).
    """
    from intake.publishing.pdf import RENDER_ERRORS, render_portrait_pdf

    with reading():  # a plain read: autosaves and other writers go on while it renders
        submission = db.session.get(Submission, submission_id)
        if submission is None or submission.state != State.PUBLISHED.value:
            return None
        row = rendition(submission)
        requested = row.requested_at if row is not None else None
        try:
            data, error = render_portrait_pdf(submission), None
        except RENDER_ERRORS as failure:  # any render failure is stored, never raised
            log.exception("PDF render failed for submission %s", submission_id)
            data, error = None, failure
    with writing():
        submission = db.session.get(Submission, submission_id)
        row = None if submission is None else stored_row(submission)
        if (row is None or submission.state != State.PUBLISHED.value
                or row.requested_at != requested):
            db.session.rollback()
            return None
        if data is None:
            store_failure(row, error)
        else:
            store_ready(row, data)
        status = row.status
        db.session.commit()
    return status


def render_queued(statuses=(RenditionStatus.PENDING,)) -> int:
    """Render the next queued PDF (the worker's job); commits; returns 1 if it rendered one."""
    submission_id = queued_portrait(statuses)
    db.session.rollback()
    if submission_id is None:
        return 0
    render_stored(submission_id)
    return 1


def pdf_state(submission: Submission) -> tuple[str, bool]:
    """Return a portrait's PDF status ('pending' while none is stored) and whether a PDF is
    stored, without reading the PDF itself."""
    row = db.session.execute(
        select(Rendition.status, Rendition.data.is_not(None))
        .where(Rendition.submission_id == submission.id, Rendition.kind == PDF)).first()
    return (row[0], bool(row[1])) if row is not None else (RenditionStatus.PENDING, False)


def stored_pdf(slug: str) -> StoredFile | None:
    """Return the stored PDF of the published portrait at a slug, stale or not; one query
    (its bytes from this process's cache after the first time)."""
    return stored_file(slug, PDF)


def ready_pdf(submission: Submission) -> Rendition | None:
    """Return a portrait's stored PDF (a stale one too, until its new render is ready), or
    None while none is stored; never renders (readers never wait for, nor lock, a render)."""
    row = rendition(submission)
    return row if row is not None and row.data else None

"""Stored renditions of published portraits (the PDF): queue, render, store, retry, remove.

Publishing and edits only queue a render (queue_render: the row is 'pending', its old PDF still
served); the worker renders it (render_queued) holding no write lock, then stores it. A render
failure never undoes an approval or a publication: it is written on the Rendition row (status
'failed', the error, one more attempt) for the blogger to see, and retried later.
"""

import hashlib
import logging

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from intake.database import reading, writing
from intake.enums import RenditionStatus, State
from intake.extensions import db
from intake.models import Rendition, Submission, utcnow

log = logging.getLogger(__name__)

PDF = "pdf"
MAX_ATTEMPTS = 5
MAX_ERROR_LENGTH = 2000


def rendition(submission: Submission, kind: str = PDF) -> Rendition | None:
    """Return the stored rendition of a kind for a portrait, if any."""
    return db.session.scalar(
        select(Rendition).where(Rendition.submission_id == submission.id, Rendition.kind == kind)
    )


def _row(submission: Submission) -> Rendition:
    """Return the PDF row of a portrait, creating it (once, even under races); flushes."""
    row = rendition(submission)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = Rendition(submission_id=submission.id, kind=PDF,
                            status=RenditionStatus.PENDING, attempts=0)
            db.session.add(row)
    except IntegrityError:
        row = rendition(submission)
    return row


def render_pdf(submission: Submission) -> Rendition | None:
    """Render and store a portrait's PDF; a failure is recorded on the row, never raised.

    Returns the Rendition row, or None when even the row could not be written.
    """
    # Imported here, not at the top: the app starts (and `flask doctor` says what is missing)
    # on a machine where WeasyPrint's system libraries do not load.
    from intake.publishing.pdf import RENDER_ERRORS, render_portrait_pdf

    try:
        row = _row(submission)
    except Exception:  # the database itself failed: leave the caller's transaction usable
        log.exception("could not store the PDF rendition of submission %s", submission.id)
        return None
    try:
        data = render_portrait_pdf(submission)
    except RENDER_ERRORS as error:  # any render failure is stored, never raised
        log.exception("PDF render failed for submission %s", submission.id)
        return _store(row, status=RenditionStatus.FAILED, error=f"{type(error).__name__}: {error}",
                      attempts=(row.attempts or 0) + 1)
    return _store(row, status=RenditionStatus.READY, data=data,
                  sha256=hashlib.sha256(data).hexdigest(), error="", attempts=0,
                  rendered_at=utcnow())


def _store(row: Rendition, **values) -> Rendition | None:
    """Write values on a rendition row and flush; log instead of raising on failure."""
    if "error" in values:
        values["error"] = values["error"][:MAX_ERROR_LENGTH]
    try:
        with db.session.begin_nested():
            for name, value in values.items():
                setattr(row, name, value)
    except Exception:
        log.exception("could not store the PDF rendition %s", row.id)
        return None
    return row


def queue_render(submission: Submission) -> Rendition | None:
    """Ask the worker for a new PDF of a published portrait (publish, edit); flushes.

    The stored PDF, if any, stays and is served until the new one is ready. Does nothing for a
    portrait that is not published with a slug.
    """
    if submission.state != State.PUBLISHED.value or not submission.slug:
        return None
    row = _row(submission)
    row.status, row.attempts, row.requested_at = RenditionStatus.PENDING, 0, utcnow()
    db.session.flush()
    return row


def mark_others_stale(submission: Submission) -> int:
    """Ask for a new render of the other portraits' PDFs, whose « Autres portraits » list
    this portrait joined or left (publish, unpublish); flushes; returns how many.

    Their stored PDF stays and is served until the new one is ready.
    """
    result = db.session.execute(
        update(Rendition)
        .where(Rendition.submission_id != submission.id, Rendition.kind == PDF,
               Rendition.status == RenditionStatus.READY)
        .values(status=RenditionStatus.PENDING, attempts=0, requested_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return result.rowcount or 0


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
    published = db.session.scalars(
        select(Submission).where(Submission.state == State.PUBLISHED.value,
                                 Submission.slug.is_not(None)).order_by(Submission.id)
    )
    due = []
    for submission in published:
        row = rendition(submission)
        if row is None or (row.status != RenditionStatus.READY and row.attempts < max_attempts):
            due.append(submission)
    return due


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
            data, error = render_portrait_pdf(submission), ""
        except RENDER_ERRORS as failure:  # any render failure is stored, never raised
            log.exception("PDF render failed for submission %s", submission_id)
            data, error = None, f"{type(failure).__name__}: {failure}"
    with writing():
        submission = db.session.get(Submission, submission_id)
        row = None if submission is None else _row(submission)
        if (row is None or submission.state != State.PUBLISHED.value
                or row.requested_at != requested):
            db.session.rollback()
            return None
        if data is None:
            _store(row, status=RenditionStatus.FAILED, error=error,
                   attempts=(row.attempts or 0) + 1)
        else:
            _store(row, status=RenditionStatus.READY, data=data, error="", attempts=0,
                   sha256=hashlib.sha256(data).hexdigest(), rendered_at=utcnow())
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


def ready_pdf(submission: Submission) -> Rendition | None:
    """Return a portrait's stored PDF (a stale one too, until its new render is ready), or
    None while none is stored; never renders (readers never wait for, nor lock, a render)."""
    row = rendition(submission)
    return row if row is not None and row.data else None

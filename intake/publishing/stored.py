"""Rendition rows (the PDF, the post page): find, create, store bytes or a failure, mark stale,
list the due ones. What renders them lives in renditions.py (PDF) and pages.py (post page).
"""

import hashlib
import logging
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from intake.enums import RenditionStatus, State
from intake.extensions import db
from intake.models import Rendition, Submission, utcnow

log = logging.getLogger(__name__)

PDF = "pdf"
PAGE = "html"  # the post page (intake/publishing/pages.py)
MAX_ATTEMPTS = 5
MAX_ERROR_LENGTH = 2000


class StoredFile(NamedTuple):
    """The stored bytes of a rendition as a reader gets them."""

    data: bytes
    sha256: str
    rendered_at: datetime | None


_RENDITIONS, _SUBMISSIONS = Rendition.__table__.c, Submission.__table__.c
# Built once: a reader's request only binds the slug and the kind (Core, no ORM objects).
_STORED_FILE = (
    select(_RENDITIONS.data, _RENDITIONS.sha256, _RENDITIONS.rendered_at)
    .select_from(Rendition.__table__.join(Submission.__table__,
                                          _RENDITIONS.submission_id == _SUBMISSIONS.id))
    .where(_SUBMISSIONS.slug == bindparam("slug"),
           _SUBMISSIONS.state == State.PUBLISHED.value,
           _RENDITIONS.kind == bindparam("kind"), _RENDITIONS.data.is_not(None))
)


def stored_file(slug: str, kind: str) -> StoredFile | None:
    """Return the stored bytes of a kind for the published portrait at a slug, stale or not,
    or None (none stored, or not published); one query."""
    found = db.session.execute(_STORED_FILE, {"slug": slug, "kind": kind}).first()
    return None if found is None else StoredFile(*found)


def rendition(submission: Submission, kind: str = PDF) -> Rendition | None:
    """Return the stored rendition of a kind for a portrait, if any."""
    return db.session.scalar(
        select(Rendition).where(Rendition.submission_id == submission.id, Rendition.kind == kind)
    )


def stored_row(submission: Submission, kind: str = PDF) -> Rendition:
    """Return the rendition row of a kind for a portrait, creating it (once, even under
    races); flushes."""
    row = rendition(submission, kind)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = Rendition(submission_id=submission.id, kind=kind,
                            status=RenditionStatus.PENDING, attempts=0)
            db.session.add(row)
    except IntegrityError:
        row = rendition(submission, kind)
    return row


def store_ready(row: Rendition, data: bytes) -> Rendition | None:
    """Store fresh bytes on a rendition row as ready (hash, time); flushes; never raises."""
    return _store(row, status=RenditionStatus.READY, data=data,
                  sha256=hashlib.sha256(data).hexdigest(), error="", attempts=0,
                  rendered_at=utcnow())


def store_failure(row: Rendition, error: BaseException) -> Rendition | None:
    """Record a failed render on a rendition row (one more attempt); flushes; never raises."""
    return _store(row, status=RenditionStatus.FAILED, error=f"{type(error).__name__}: {error}",
                  attempts=(row.attempts or 0) + 1)


def _store(row: Rendition, **values) -> Rendition | None:
    """Write values on a rendition row and flush; log instead of raising on failure."""
    if "error" in values:
        values["error"] = values["error"][:MAX_ERROR_LENGTH]
    try:
        with db.session.begin_nested():
            for name, value in values.items():
                setattr(row, name, value)
    except Exception:
        log.exception("could not store the rendition %s", row.id)
        return None
    return row


def mark_stale(exclude_id: int | None = None, kinds: tuple[str, ...] = (PDF, PAGE)) -> int:
    """Mark every ready rendition of these kinds stale (but a portrait's own); flushes;
    returns how many (series settings, « Autres portraits »)."""
    query = (update(Rendition)
             .where(Rendition.kind.in_(kinds), Rendition.status == RenditionStatus.READY)
             .values(status=RenditionStatus.PENDING, attempts=0)
             .execution_options(synchronize_session="fetch"))
    if exclude_id is not None:
        query = query.where(Rendition.submission_id != exclude_id)
    result = db.session.execute(query)
    db.session.flush()
    return result.rowcount or 0


def due_portraits(kind: str, max_attempts: int = MAX_ATTEMPTS) -> list[Submission]:
    """Return published portraits whose rendition of a kind is missing, stale (pending) or
    failed under the attempt limit, oldest first; one query."""
    query = (
        select(Submission)
        .outerjoin(Rendition, (Rendition.submission_id == Submission.id) & (Rendition.kind == kind))
        .where(Submission.state == State.PUBLISHED.value, Submission.slug.is_not(None),
               Rendition.id.is_(None) | ((Rendition.status != RenditionStatus.READY)
                                         & (Rendition.attempts < max_attempts)))
        .order_by(Submission.id)
    )
    return list(db.session.scalars(query))

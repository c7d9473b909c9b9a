"""Rendition rows (the PDF, the post page): find, create, store bytes or a failure, mark stale,
list the due ones. What renders them lives in renditions.py (PDF) and pages.py (post page).
"""

import hashlib
import logging
import threading
from collections import OrderedDict
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from intake.database import read_first
from intake.enums import RenditionStatus, State
from intake.extensions import db
from intake.models import Invitation, Rendition, Submission, utcnow

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


class ByteCache:
    """Stored bytes by their SHA-256, most recently served kept, up to a total size; one per
    process. Keyed by content, an entry is never stale: a new render has a new key."""

    def __init__(self, limit: int):
        self.limit, self.size, self.items = limit, 0, OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        """Return the bytes under a key, if kept."""
        with self.lock:
            data = self.items.get(key)
            if data is not None:
                self.items.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        """Keep bytes under their key, dropping the least recently served beyond the limit."""
        if not key or len(data) > self.limit // 8:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = data
            self.size += len(data)
            while self.size > self.limit:
                self.size -= len(self.items.popitem(last=False)[1])


CACHE = ByteCache(limit=48 * 2**20)  # per process: ~100 PDFs, or thousands of pages

_RENDITIONS, _SUBMISSIONS = Rendition.__table__.c, Submission.__table__.c
# Built once: a reader's request only binds values (Core, no ORM objects).
_STORED_HEAD = (
    select(_RENDITIONS.id, _RENDITIONS.sha256, _RENDITIONS.rendered_at)
    .select_from(Rendition.__table__.join(Submission.__table__,
                                          _RENDITIONS.submission_id == _SUBMISSIONS.id))
    .where(_SUBMISSIONS.slug == bindparam("slug"),
           _SUBMISSIONS.state == State.PUBLISHED.value,
           _RENDITIONS.kind == bindparam("kind"), _RENDITIONS.data.is_not(None))
)
# The bytes with the hash and date they go with (the row may have been rendered again since
# its head was read).
_STORED_DATA = (select(_RENDITIONS.data, _RENDITIONS.sha256, _RENDITIONS.rendered_at)
                .where(_RENDITIONS.id == bindparam("id"), _RENDITIONS.data.is_not(None)))


def stored_file(slug: str, kind: str) -> StoredFile | None:
    """Return the stored bytes of a kind for the published portrait at a slug, stale or not,
    or None (none stored, or not published): one query for its hash, the bytes from this
    process's cache (a second query the first time). Neither uses the ORM session: nothing
    here needs objects, and the request pays for no session."""
    found = read_first(_STORED_HEAD, slug=slug, kind=kind)
    if found is None:
        return None
    rendition_id, sha256, rendered_at = found
    data = CACHE.get(sha256)
    if data is None:
        found = read_first(_STORED_DATA, id=rendition_id)
        if found is None:
            return None
        data, sha256, rendered_at = found
        CACHE.put(sha256, data)
    return StoredFile(data, sha256, rendered_at)


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
    """Store fresh bytes on a rendition row as ready (hash, time), and keep them in this
    process's cache; flushes; never raises."""
    sha256 = hashlib.sha256(data).hexdigest()
    CACHE.put(sha256, data)  # by content: harmless if the transaction rolls back
    return _store(row, status=RenditionStatus.READY, data=data, sha256=sha256, error="",
                  attempts=0, rendered_at=utcnow())


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


def mark_stale(series_id: int | None = None, exclude_id: int | None = None,
               kinds: tuple[str, ...] = (PDF, PAGE)) -> int:
    """Ask for a new render of every ready rendition of these kinds, in one series when given
    (but a portrait's own); flushes; returns how many (series settings, « Autres portraits »).

    The stored bytes stay and are served until the worker stored the new ones.
    """
    query = (update(Rendition)
             .where(Rendition.kind.in_(kinds), Rendition.status == RenditionStatus.READY)
             .values(status=RenditionStatus.PENDING, attempts=0, requested_at=utcnow())
             .execution_options(synchronize_session="fetch"))
    if exclude_id is not None:
        query = query.where(Rendition.submission_id != exclude_id)
    if series_id is not None:
        query = query.where(Rendition.submission_id.in_(
            select(Submission.id).join(Invitation, Submission.invitation)
            .where(Invitation.questionnaire_id == series_id)))
    result = db.session.execute(query)
    db.session.flush()
    return result.rowcount or 0


def _due(columns, kind: str, max_attempts: int):
    """Return the query of published portraits whose rendition of a kind is missing, stale
    (pending) or failed under the attempt limit, oldest first."""
    return (
        select(columns)
        .outerjoin(Rendition, (Rendition.submission_id == Submission.id) & (Rendition.kind == kind))
        .where(Submission.state == State.PUBLISHED.value, Submission.slug.is_not(None),
               Rendition.id.is_(None) | ((Rendition.status != RenditionStatus.READY)
                                         & (Rendition.attempts < max_attempts)))
        .order_by(Submission.id)
    )


def due_portraits(kind: str, max_attempts: int = MAX_ATTEMPTS) -> list[Submission]:
    """Return the published portraits whose rendition of a kind is due (see _due); one query."""
    return list(db.session.scalars(_due(Submission, kind, max_attempts)))


def due_ids(kind: str, max_attempts: int = MAX_ATTEMPTS, limit: int | None = None) -> list[int]:
    """Return the ids of the published portraits whose rendition of a kind is due, up to
    `limit`; one query."""
    return list(db.session.scalars(_due(Submission.id, kind, max_attempts).limit(limit)))

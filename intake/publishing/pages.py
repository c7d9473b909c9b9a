"""Stored post pages: a published portrait's HTML rendered once and served as stored bytes.

The page is rendered at publish and at every change of the portrait (edit, crop, settings), in a
clean request context of its own (anonymous, no flashed message, the post's language, its
series' typography and register), and stored as a Rendition of kind 'html' beside the PDF.
A change elsewhere (a portrait joining or leaving « Autres portraits », the series settings)
marks stored pages stale: readers keep the stored page until render_stale_pages() (the
worker's "pages" job, or `flask render`) renders it again, one short transaction a page. A
page never stored is rendered in the reader's request without being stored (a reader's request
never writes); the worker stores it. A failed render is recorded on the row (status
'failed', the error, one more attempt), never raised.
"""

import hashlib
import logging

from flask import current_app, url_for

from intake.database import reading, writing
from intake.enums import State
from intake.extensions import db
from intake.i18n import use_series
from intake.models import Rendition, Submission, utcnow
from intake.publishing.page import render_post
from intake.publishing.stored import (
    MAX_ATTEMPTS,
    PAGE,
    StoredFile,
    due_ids,
    rendition,
    store_failure,
    store_ready,
    stored_file,
    stored_row,
)
from intake.publishing.view import photo_sources, portrait_view

log = logging.getLogger(__name__)


def post_html(submission: Submission) -> str:
    """Render a published portrait's post page as an anonymous reader gets it, with its
    series in use (typography, register)."""
    view = portrait_view(submission)  # read here, in the caller's session and transaction
    series = submission.invitation.series
    app = current_app._get_current_object()
    # A context of its own: no blogger menu, no flashed message, no language switched for
    # the request that publishes.
    with app.app_context(), app.test_request_context("/", base_url=app.config["BASE_URL"]):
        use_series(series)
        return render_post(view, photo_sources(view, "public.photo", slug=view.slug),
                           url_for("public.portrait_pdf", slug=view.slug))


def render_page(submission: Submission) -> Rendition | None:
    """Render and store a portrait's post page now (publish, edit: the blogger's own write
    request; a page renders in milliseconds); flushes; a failure is recorded, not raised.

    Returns the row, or None when even the row could not be written.
    """
    try:
        row = stored_row(submission, PAGE)
        row.requested_at = utcnow()  # a render under way elsewhere is older: not stored
    except Exception:  # the database itself failed: leave the caller's transaction usable
        log.exception("could not store the page of submission %s", submission.id)
        return None
    try:
        html = post_html(submission)
    except Exception as error:  # recorded for the blogger and retried, never raised
        log.exception("page render failed for submission %s", submission.id)
        return store_failure(row, error)
    return store_ready(row, html.encode("utf-8"))


def stored_page(slug: str) -> StoredFile | None:
    """Return the stored page of the published portrait at a slug, stale or not; one query."""
    return stored_file(slug, PAGE)


def unstored_page(submission: Submission) -> StoredFile | None:
    """Render the page of a portrait that has none stored yet, for a reader, without storing
    it (the worker does); None when it cannot be rendered."""
    try:
        data = post_html(submission).encode("utf-8")
    except Exception:  # the worker records the error when it tries
        log.exception("page render failed for submission %s", submission.id)
        return None
    return StoredFile(data, hashlib.sha256(data).hexdigest(), None)


def render_stored_page(submission_id: int) -> bool | None:
    """Render a portrait's page holding no write lock, then store it (or its error) in a
    short transaction of its own, unless a newer render was asked for meanwhile; commits.

    Returns whether it is stored ready, or None when nothing was stored.
    """
    with reading():
        submission = db.session.get(Submission, submission_id)
        if submission is None or submission.state != State.PUBLISHED.value:
            return None
        row = rendition(submission, PAGE)
        requested = row.requested_at if row is not None else None
        try:
            html, error = post_html(submission), None
        except Exception as failure:  # recorded for the blogger and retried, never raised
            log.exception("page render failed for submission %s", submission_id)
            html, error = None, failure
    with writing():
        submission = db.session.get(Submission, submission_id)
        published = submission is not None and submission.state == State.PUBLISHED.value
        row = stored_row(submission, PAGE) if published else None
        if row is None or row.requested_at != requested:
            db.session.rollback()
            return None
        stored = (store_failure(row, error) if html is None
                  else store_ready(row, html.encode("utf-8")))
        db.session.commit()
    return stored is not None and html is not None


def render_stale_pages(after_each=None, max_attempts: int = MAX_ATTEMPTS,
                       limit: int | None = None, stopping=None) -> int:
    """Render and store the stale, missing or failed pages of published portraits (up to
    `limit`), each in its own short transaction (commits); returns how many were rendered.

    For the worker's "pages" job and `flask render`; readers are served the stored page
    meanwhile. Portraits are loaded one at a time, so thousands of stale pages (new series
    settings) never sit in memory together. `after_each()` is called after each page.
    """
    ids = due_ids(PAGE, max_attempts, limit)
    db.session.rollback()  # end the read: each page below takes its own transactions
    rendered = 0
    for submission_id in ids:
        if stopping is not None and stopping():
            break
        rendered += bool(render_stored_page(submission_id))
        if after_each is not None:
            after_each()
    return rendered

"""Stored post pages: a published portrait's HTML rendered once and served as stored bytes.

The page is rendered at publish and at every change of the portrait (edit, crop, settings), in a
clean request context of its own (anonymous, no flashed message, the post's language), and
stored as a Rendition of kind 'html' beside the PDF. A change elsewhere (a portrait joining or
leaving « Autres portraits », the series settings) marks stored pages stale: readers keep the
stored page until render_stale_pages() (the worker, or `flask render`) renders it again. A
page never stored is rendered once in the reader's request. A failed render is recorded on the
row (status 'failed', the error, one more attempt), never raised.
"""

import hashlib
import logging

from flask import current_app, url_for

from intake.extensions import db
from intake.models import Rendition, Submission, utcnow
from intake.publishing.page import render_post
from intake.publishing.stored import (
    MAX_ATTEMPTS,
    PAGE,
    StoredFile,
    due_ids,
    store_failure,
    store_ready,
    stored_file,
    stored_row,
)
from intake.publishing.view import photo_sources, portrait_view

log = logging.getLogger(__name__)


def post_html(submission: Submission) -> str:
    """Render a published portrait's post page as an anonymous reader gets it."""
    view = portrait_view(submission)  # read here, in the caller's session and transaction
    app = current_app._get_current_object()
    # A context of its own: no blogger menu, no flashed message, no language switched for
    # the request that publishes.
    with app.app_context(), app.test_request_context("/", base_url=app.config["BASE_URL"]):
        return render_post(view, photo_sources(view, "public.photo", slug=view.slug),
                           url_for("public.portrait_pdf", slug=view.slug))


def render_page(submission: Submission) -> Rendition | None:
    """Render and store a portrait's post page; flushes; a failure is recorded, not raised.

    Returns the row, or None when even the row could not be written.
    """
    try:
        row = stored_row(submission, PAGE)
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


def fresh_page(submission: Submission) -> StoredFile | None:
    """Render and store the page of a portrait that has none stored yet; flushes; returns it.

    When storing fails (another reader's request stored it first, a busy database), the
    reader still gets this render; None only when the page cannot be rendered at all.
    """
    row = render_page(submission)
    if row is not None and row.data and not row.error:
        return StoredFile(row.data, row.sha256, row.rendered_at)
    try:
        data = post_html(submission).encode("utf-8")
    except Exception:  # recorded on the row by render_page already
        return None
    return StoredFile(data, hashlib.sha256(data).hexdigest(), utcnow())


def render_stale_pages(after_each=None, max_attempts: int = MAX_ATTEMPTS,
                       limit: int | None = None) -> int:
    """Render the stale, missing or failed pages of published portraits (up to `limit`);
    flushes, calling `after_each()` after each one (a command commits there); returns how
    many were rendered.

    For the background worker and `flask render`; readers are served the stored page meanwhile.
    Portraits are loaded one at a time, so thousands of stale pages (new series settings)
    never sit in memory together.
    """
    rendered = 0
    for submission_id in due_ids(PAGE, max_attempts, limit):
        submission = db.session.get(Submission, submission_id)
        row = render_page(submission) if submission is not None else None
        if after_each is not None:
            after_each()
        rendered += row is not None and bool(row.data) and not row.error
    return rendered

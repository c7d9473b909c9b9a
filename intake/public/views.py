"""The reader's pages: published portraits, their PDF, their photos and the feed."""

import logging
from io import BytesIO

from flask import Blueprint, abort, make_response, render_template, request, send_file
from sqlalchemy.exc import SQLAlchemyError

from intake.errors import FieldRefused
from intake.extensions import db
from intake.links import absolute_url
from intake.models import utcnow
from intake.photos.media import photo_response_bytes
from intake.public.answers import reader_page, stored_answer
from intake.publishing import pages, renditions
from intake.publishing.listing import find_published, index_entry, published_page
from intake.publishing.series_text import series_titles
from intake.publishing.view import photo_sources

bp = Blueprint("public", __name__)
log = logging.getLogger(__name__)

PHOTO_CACHE = "public, max-age=3600"
MAX_PAGE = 100_000
MEDIA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


def published_or_404(slug: str):
    """Return the published portrait at a slug, or answer 404."""
    submission = find_published(slug)
    if submission is None:
        abort(404)
    return submission


def commit_quietly() -> None:
    """Commit what a reader's request rendered; if the database refuses (busy), forget it:
    the reader is answered anyway, and the next request or `flask render` stores it."""
    try:
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("could not store a rendition in a reader's request", exc_info=True)


def page_number() -> int:
    """Return the page asked for (?page=N, from 1), or answer 404 for anything else."""
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    return page


def listing_page() -> dict:
    """Return what the index and the feed show of one page: entries, page, older, title;
    404 past the last page."""
    page = page_number()
    titles = series_titles()
    portraits, older = published_page(page)
    if page > 1 and not portraits:
        abort(404)
    return {"entries": [index_entry(s, titles) for s in portraits], "page": page,
            "older": older, "series_title": titles["fr"]}


@bp.get("/")
def index():
    """List the published portraits, newest first, 20 a page, with a photo and one line."""
    return reader_page(render_template("public/index.html", **listing_page()))


@bp.get("/portraits/<slug>")
def portrait(slug: str):
    """Send a published portrait's stored post page (ETag, 304); render it once if missing."""
    page = pages.stored_page(slug)
    if page is None:
        page = pages.fresh_page(published_or_404(slug))
        commit_quietly()
    if page is None:
        abort(503)
    return stored_answer(page, "text/html")


@bp.get("/portraits/<slug>.pdf")
def portrait_pdf(slug: str):
    """Send the stored PDF (ETag, 304; one query); render it once if missing, else say it is
    coming."""
    pdf = renditions.stored_pdf(slug)
    if pdf is None:
        pdf = renditions.pdf_file(published_or_404(slug))
        commit_quietly()
    if pdf is None:
        response = make_response(render_template("public/pdf_pending.html"), 503)
        response.headers["Retry-After"] = "120"
        return response
    return stored_answer(pdf, "application/pdf", download_name=f"portrait-{slug}.pdf")


@bp.get("/portraits/<slug>/photo/<kind>.jpg")
def photo(slug: str, kind: str):
    """Send a published portrait's photo as a JPEG (the portrait square-cropped if chosen)."""
    submission = published_or_404(slug)
    try:
        data, etag = photo_response_bytes(submission, kind)
    except (LookupError, FieldRefused):
        abort(404)
    response = send_file(BytesIO(data), mimetype="image/jpeg", etag=etag, max_age=3600,
                         conditional=True, download_name=f"{kind}.jpg")
    response.headers["Cache-Control"] = PHOTO_CACHE
    response.headers["Content-Disposition"] = f'inline; filename="{kind}.jpg"'
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    return response


@bp.get("/feed.atom")
def feed():
    """Give one page of the Atom feed of the newest published portraits (RFC 5005 paging)."""
    response = make_response(render_template("public/feed.xml", now=utcnow(), **listing_page()))
    response.mimetype = "application/atom+xml"
    return response


@bp.app_context_processor
def public_helpers():
    """Let templates build absolute links on BASE_URL (feeds, Open Graph, exports) and the
    addresses of a post's photos (the proof)."""
    return {"absolute_url": absolute_url, "photo_sources": photo_sources}

"""The reader's pages: published portraits, their PDF, their photos and the feed."""

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from intake.errors import FieldRefused
from intake.i18n import use_series
from intake.links import absolute_url
from intake.models import utcnow
from intake.photos.media import photo_response_bytes
from intake.public.answers import reader_page, stored_answer
from intake.publishing import pages, renditions
from intake.publishing.listing import find_published, index_entry, published_page
from intake.publishing.series_text import series_titles
from intake.publishing.view import photo_sources
from intake.questionnaire.series import SeriesError, all_series, find_series

bp = Blueprint("public", __name__)

PHOTO_CACHE = "public, max-age=3600"
MAX_PAGE = 100_000
MEDIA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


def published_or_404(slug: str):
    """Return the published portrait at a slug, or answer 404."""
    submission = find_published(slug)
    if submission is None:
        abort(404)
    return submission


def page_number() -> int:
    """Return the page asked for (?page=N, from 1), or answer 404 for anything else."""
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    return page


def listing_page(series) -> dict:
    """Return what a series' index and feed show of one page: entries, page, older, title,
    slug; 404 past the last page."""
    page = page_number()
    titles = series_titles(series)
    portraits, older = published_page(page, series.id)
    if page > 1 and not portraits:
        abort(404)
    return {"entries": [index_entry(s, titles) for s in portraits], "page": page,
            "older": older, "series_title": titles["fr"], "series_slug": series.slug}


def series_or_404(slug: str | None):
    """Return the series at a slug (the default one without a slug), in use for the page's
    typography, or answer 404."""
    try:
        series = find_series(slug)
    except SeriesError:
        abort(404)
    use_series(series)
    return series


HOME_PER_SERIES = 3


@bp.get("/")
def index():
    """List the series, each with its newest portraits; a blog of one series shows its index."""
    every = all_series()
    if len(every) <= 1:
        return series_index(None)
    shelves = [(series, series_titles(series)["fr"],
                [index_entry(s) for s in published_page(1, series.id, HOME_PER_SERIES)[0]])
               for series in every]
    return reader_page(render_template("public/home.html", shelves=shelves))


@bp.get("/series/<series_slug>/")
def series_index(series_slug: str | None):
    """List a series' published portraits, newest first, 20 a page, with a photo and one line."""
    return reader_page(render_template("public/index.html",
                                       **listing_page(series_or_404(series_slug))))


@bp.get("/portraits/<slug>")
def portrait(slug: str):
    """Send a published portrait's stored post page (ETag, 304; one query); while none is
    stored, a render of it that is not stored (a reader's request never writes)."""
    page = pages.stored_page(slug)
    if page is None:
        page = pages.unstored_page(published_or_404(slug))
    if page is None:
        abort(503)
    return stored_answer(page, "text/html")


@bp.get("/portraits/<slug>.pdf")
def portrait_pdf(slug: str):
    """Send the stored PDF (ETag, 304; one query), a stale one too until the worker stored the
    new one; while none is stored, say it is coming (503, Retry-After). Never renders, never
    writes."""
    pdf = renditions.stored_pdf(slug)
    if pdf is None:
        published_or_404(slug)
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
    """Send the feed of the days of a single series to the default series' feed, for good."""
    return redirect(url_for("public.series_feed", series_slug=series_or_404(None).slug), code=301)


@bp.get("/series/<series_slug>/feed.atom")
def series_feed(series_slug: str):
    """Give one page of a series' Atom feed, newest first (RFC 5005 paging)."""
    response = make_response(render_template("public/feed.xml", now=utcnow(),
                                             **listing_page(series_or_404(series_slug))))
    response.mimetype = "application/atom+xml"
    return response


@bp.app_context_processor
def public_helpers():
    """Let templates build absolute links on BASE_URL (feeds, Open Graph, exports) and the
    addresses of a post's photos (the proof)."""
    return {"absolute_url": absolute_url, "photo_sources": photo_sources}

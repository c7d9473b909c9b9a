"""The reader's pages: published portraits, their PDF, their photos and the feed."""

from io import BytesIO

from flask import Blueprint, abort, make_response, redirect, render_template, send_file, url_for
from flask_login import current_user

from intake.errors import FieldRefused
from intake.extensions import db
from intake.i18n import use_series
from intake.links import absolute_url
from intake.models import utcnow
from intake.photos.media import photo_response_bytes
from intake.publishing import renditions
from intake.publishing.listing import find_published, index_entry, published_portraits
from intake.publishing.page import render_post
from intake.publishing.series_text import series_titles
from intake.publishing.view import photo_sources, portrait_view
from intake.questionnaire.series import SeriesError, all_series, find_series

bp = Blueprint("public", __name__)

PHOTO_CACHE = "public, max-age=3600"
PDF_CACHE = "public, max-age=300, must-revalidate"
FEED_SIZE = 30
MEDIA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


def published_or_404(slug: str):
    """Return the published portrait at a slug, or answer 404."""
    submission = find_published(slug)
    if submission is None:
        abort(404)
    return submission


READER_CACHE = "public, max-age=60"


def reader_page(html: str):
    """Answer a reader's page, cacheable by proxies when nobody is logged in."""
    response = make_response(html)
    if current_user.is_anonymous:
        response.headers["Cache-Control"] = READER_CACHE
    return response


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
                [index_entry(s) for s in published_portraits(series_id=series.id)
                 [:HOME_PER_SERIES]]) for series in every]
    return reader_page(render_template("public/home.html", shelves=shelves))


@bp.get("/series/<series_slug>/")
def series_index(series_slug: str | None):
    """List a series' published portraits, newest first, with a photo and one line."""
    series = series_or_404(series_slug)
    titles = series_titles(series)
    portraits = [index_entry(s, titles) for s in published_portraits(series_id=series.id)]
    return reader_page(render_template(
        "public/index.html", portraits=portraits, series_title=titles["fr"],
        series_slug=series.slug))


@bp.get("/portraits/<slug>")
def portrait(slug: str):
    """Show one published portrait as a blog post."""
    view = portrait_view(published_or_404(slug))
    return reader_page(render_post(view, photo_sources(view, "public.photo", slug=slug),
                                   url_for("public.portrait_pdf", slug=slug)))


@bp.get("/portraits/<slug>.pdf")
def portrait_pdf(slug: str):
    """Send the stored PDF (ETag, 304), a stale one too until the worker stored the new one;
    while none is stored, say it is coming (503, Retry-After). Never renders, never writes."""
    submission = published_or_404(slug)
    row = renditions.ready_pdf(submission)
    # Read what the answer needs before the commit expires the objects (reloading them would
    # read the whole PDF from the database a second time).
    pdf = None if row is None else (row.data, row.sha256, row.rendered_at, submission.slug)
    db.session.commit()
    if pdf is None:
        response = make_response(render_template("public/pdf_pending.html"), 503)
        response.headers["Retry-After"] = "120"
        return response
    data, sha256, rendered_at, slug = pdf
    response = send_file(
        BytesIO(data), mimetype="application/pdf", as_attachment=True,
        download_name=f"portrait-{slug}.pdf", etag=sha256,
        last_modified=rendered_at, max_age=300, conditional=True,
    )
    response.headers["Cache-Control"] = PDF_CACHE
    return response


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
    """Give the Atom feed of a series' newest published portraits."""
    series = series_or_404(series_slug)
    titles = series_titles(series)
    entries = [index_entry(s, titles)
               for s in published_portraits(series_id=series.id)[:FEED_SIZE]]
    response = make_response(render_template("public/feed.xml", entries=entries, slug=series.slug,
                                             feed_title=titles["fr"], now=utcnow()))
    response.mimetype = "application/atom+xml"
    return response


@bp.app_context_processor
def public_helpers():
    """Let templates build absolute links on BASE_URL (feeds, Open Graph, exports) and the
    addresses of a post's photos (the proof)."""
    return {"absolute_url": absolute_url, "photo_sources": photo_sources}

"""How readers' pages are answered: cacheable when nobody is logged in, stored bytes with an
ETag (304 when unchanged)."""

from flask import Response, make_response, request
from flask_login import current_user

from intake.publishing.stored import StoredFile

READER_CACHE = "public, max-age=60"
PDF_CACHE = "public, max-age=300, must-revalidate"


def reader_page(html: str) -> Response:
    """Answer a reader's page, cacheable by proxies when nobody is logged in."""
    response = make_response(html)
    if current_user.is_anonymous:
        response.headers["Cache-Control"] = READER_CACHE
    return response


def stored_answer(stored: StoredFile, mimetype: str, *, download_name: str = "") -> Response:
    """Answer stored bytes with their SHA-256 as ETag (304 when the reader has them),
    cacheable by proxies whoever asks (they were rendered for no one in particular); a
    download_name makes it an attachment."""
    response = Response(stored.data, mimetype=mimetype)
    response.set_etag(stored.sha256)
    if stored.rendered_at is not None:
        response.last_modified = stored.rendered_at
    if download_name:
        response.headers.set("Content-Disposition", "attachment", filename=download_name)
        response.headers["Cache-Control"] = PDF_CACHE
    else:
        response.headers["Cache-Control"] = READER_CACHE
    return response.make_conditional(request)

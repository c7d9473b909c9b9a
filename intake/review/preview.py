"""The blogger's preview: the post and its PDF exactly as they will be published, « Aperçu ».

Same data path as publishing (portrait_view with the slug and date publishing will give);
nothing is stored, nothing is public: no-store, noindex, behind the login wall.
"""

from io import BytesIO

from flask import abort, make_response, send_file, url_for

from intake.enums import PREVIEW_STATES
from intake.errors import FieldRefused
from intake.photos.media import photo_response_bytes
from intake.publishing.page import render_post
from intake.publishing.slugs import publication_slug
from intake.publishing.view import photo_sources, portrait_view
from intake.review.blueprint import bp
from intake.review.submissions import load

PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}


def previewable(submission_id: int):
    """Return a submission that has a post to preview (submitted, approved, published)."""
    item = load(submission_id)
    if item.state not in PREVIEW_STATES:
        abort(404)
    return item


@bp.get("/submissions/<int:submission_id>/preview")
def preview(submission_id: int):
    """Show the post as it will be published, with an « Aperçu » banner."""
    view = portrait_view(previewable(submission_id), preview=True)
    response = make_response(render_post(
        view, photo_sources(view, "review.preview_photo", submission_id=submission_id),
        url_for("review.preview_pdf", submission_id=submission_id)))
    response.headers.update(PRIVATE)
    return response


@bp.get("/submissions/<int:submission_id>/preview.pdf")
def preview_pdf(submission_id: int):
    """Render the PDF as it will be published, marked « Aperçu » in its header; never stored."""
    from intake.publishing.pdf import render_portrait_pdf  # WeasyPrint loads on demand

    item = previewable(submission_id)
    data = render_portrait_pdf(item, preview=True)
    response = send_file(BytesIO(data), mimetype="application/pdf",
                         download_name=f"apercu-{publication_slug(item)}.pdf")
    response.headers.update(PRIVATE)
    return response


@bp.get("/submissions/<int:submission_id>/preview/photo/<kind>.jpg")
def preview_photo(submission_id: int, kind: str):
    """Send a photo of the preview as the post will show it (the portrait cropped)."""
    try:
        data, _etag = photo_response_bytes(previewable(submission_id), kind)
    except (LookupError, FieldRefused):
        abort(404)
    response = make_response(data)
    response.headers.update({**PRIVATE, "Content-Type": "image/jpeg"})
    return response

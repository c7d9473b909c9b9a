"""The portrait as a PDF: a print template rendered by WeasyPrint behind a closed URL fetcher.

WeasyPrint can read any file or URL it is pointed at. Here it only ever sees:

- HTML from templates/pdf/portrait.html around the post's own body (partials/post_body.html;
  autoescaped: what people typed stays text; links are <a href> with http(s) addresses only,
  which WeasyPrint writes as /URI annotations and never fetches);
- one stylesheet given as a string (static/css/print.css), never a URL, whose @font-face
  rules load the fonts of static/fonts/ into one FontConfiguration per render (the same object
  goes to CSS() and write_pdf(): without it WeasyPrint drops every @font-face rule silently
  and the PDF uses whatever fonts the machine has);
- `intake-photo:<id>` (the photos of the portrait being rendered, from the database) and
  `intake-static:fonts/<file>` (the fonts shipped in static/fonts/), served by PortraitFetcher.

Every other URL (file:, http:, https:, data:, relative ones) is refused, logged and recorded,
redirects are off, and no attachments, XMP metadata or presentational hints are used.
"""

import logging
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

from intake.models import Submission
from intake.photos.media import photo_bytes
from intake.publishing.view import portrait_view

log = logging.getLogger(__name__)

PHOTO_SCHEME = "intake-photo"
STATIC_SCHEME = "intake-static"
FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
MAX_LOGGED_URL = 200
# What a render may raise; FatalURLFetchingError is a BaseException in WeasyPrint.
RENDER_ERRORS = (Exception, FatalURLFetchingError)


class RefusedURL(ValueError):
    """A URL the PDF fetcher does not serve (WeasyPrint skips the resource with a warning)."""


class PortraitFetcher(URLFetcher):
    """Serve one portrait's photos and our own font files; refuse and record everything else."""

    def __init__(self, photos: dict[int, bytes], static_root: str | Path):
        super().__init__(timeout=5, allowed_protocols=(PHOTO_SCHEME, STATIC_SCHEME),
                         allow_redirects=False, fail_on_errors=False)
        self.photos = photos
        self.static_root = str(static_root)
        self.asked: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        """Return the bytes behind one of our private URLs, or raise RefusedURL."""
        self.asked.append(url)
        scheme, _, rest = url.partition(":")
        if scheme == PHOTO_SCHEME and rest.isdigit() and int(rest) in self.photos:
            return URLFetcherResponse(url, self.photos[int(rest)], {"Content-Type": "image/jpeg"})
        if scheme == STATIC_SCHEME:
            response = self._static(url, rest)
            if response is not None:
                return response
        self.refused.append(url)
        log.warning("PDF fetcher refused %s", url[:MAX_LOGGED_URL])
        raise RefusedURL(f"refused: {url[:MAX_LOGGED_URL]}")

    def _static(self, url: str, path: str) -> URLFetcherResponse | None:
        """Return a font file under static/fonts/, or None when the path is not one."""
        if not path.startswith("fonts/") or "?" in path or "#" in path or "%" in path:
            return None
        full = safe_join(self.static_root, path)
        if full is None or Path(full).suffix.lower() not in FONT_TYPES:
            return None
        file = Path(full)
        if not file.is_file():
            return None
        content_type = FONT_TYPES[file.suffix.lower()]
        return URLFetcherResponse(url, file.read_bytes(), {"Content-Type": content_type})


def print_stylesheet() -> str:
    """Return the text of static/css/print.css."""
    return (Path(current_app.static_folder) / "css" / "print.css").read_text(encoding="utf-8")


def render_pdf_html(html: str, fetcher: PortraitFetcher) -> bytes:
    """Render HTML to PDF bytes with only our fetcher, our print stylesheet and its fonts."""
    fonts = FontConfiguration()  # @font-face files are fetched through `fetcher`, too
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    stylesheet = CSS(string=print_stylesheet(), base_url=None, url_fetcher=fetcher,
                     font_config=fonts)
    return document.write_pdf(stylesheets=[stylesheet], pdf_tags=True, font_config=fonts)


def portrait_fetcher(submission: Submission) -> PortraitFetcher:
    """Return a fetcher that serves this portrait's photos and the shipped fonts."""
    photos = {photo.id: photo_bytes(photo) for photo in submission.photos}
    return PortraitFetcher(photos, current_app.static_folder)


def portrait_pdf_html(submission: Submission, *, preview: bool = False) -> str:
    """Render the print template of a portrait, in the post's language."""
    view = portrait_view(submission, preview=preview)
    photo_src = {photo["kind"]: f"{PHOTO_SCHEME}:{photo['id']}" for photo in view.photos}
    with force_locale(view.language):
        return render_template("pdf/portrait.html", view=view, photo_src=photo_src)


def render_portrait_pdf(submission: Submission, fetcher: PortraitFetcher | None = None, *,
                        preview: bool = False) -> bytes:
    """Render a portrait's PDF and return its bytes (raises on any failure); a preview is
    marked « Aperçu » and never stored."""
    fetcher = fetcher or portrait_fetcher(submission)
    return render_pdf_html(portrait_pdf_html(submission, preview=preview), fetcher)

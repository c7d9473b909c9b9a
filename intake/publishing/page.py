"""The post as a page: one template for the published post and the blogger's preview."""

from flask import render_template

from intake.i18n import use_language
from intake.publishing.view import PortraitView


def render_post(view: PortraitView, photo_src: dict[str, str], pdf_href: str) -> str:
    """Render a post page in the post's language (published, or marked « Aperçu »)."""
    use_language(view.language)
    return render_template("public/portrait.html", view=view, photo_src=photo_src,
                           pdf_href=pdf_href)

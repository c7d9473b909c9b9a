"""The reader's pages: published portraits, their PDF and the feed."""

from flask import Blueprint, redirect, url_for

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    """List the published portraits, newest first."""
    return redirect(url_for("auth.login"))

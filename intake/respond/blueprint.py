"""The invitee's blueprint: the tokenised link, its rate limit, its cache policy, its 404 page.

Every module of this package hangs its routes on `bp`; none imports another's views.
"""

from flask import Blueprint, current_app, render_template, request
from werkzeug.exceptions import NotFound

from intake.extensions import limiter
from intake.i18n import use_language
from intake.invitations.operations import open_invitation
from intake.respond.forms import NewLinkForm

bp = Blueprint("respond", __name__, url_prefix="/r")


class InvalidLink(NotFound):
    """Any link that does not open a questionnaire: wrong, expired, revoked or closed."""


def token_limit() -> str:
    """Return the configured limit on link look-ups per address."""
    return current_app.config["TOKEN_RATE_LIMIT"]


# One shared budget per address for the whole blueprint; only refused links use it up, so a
# person's own autosaves never lock them out while guessing stops at the limit.
limiter.limit(token_limit, deduct_when=lambda response: response.status_code == 404)(bp)


@bp.after_request
def no_store(response):
    """Keep invitee pages out of every cache and their link out of other sites' logs."""
    if "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def load(token: str):
    """Return the invitation of a live link in its language, or raise InvalidLink."""
    invitation = open_invitation(token)
    if invitation is None:
        raise InvalidLink()
    use_language(invitation.language)
    return invitation


def open_from_request():
    """Return the live invitation of the request's token, in its language, or None."""
    invitation = open_invitation((request.view_args or {}).get("token", ""))
    if invitation is not None:
        use_language(invitation.language)
    return invitation


def wants_json() -> bool:
    """Say whether the caller is the autosave script rather than a plain form."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )


@bp.errorhandler(InvalidLink)
def invalid_link(error):
    """Show the same page for every link that does not open, with a form to ask for another."""
    return render_template("respond/invalid.html", form=NewLinkForm(formdata=None)), 404

"""The invitee's blueprint: the tokenised link, its two rate limits, its cache policy, its 404
page.

Two budgets, counted by hand (intake/rate_limits.py): links that do not open, per address
(TOKEN_RATE_LIMIT), counted only when a link fails, so a valid link is never refused however
much its address guessed; and writes per valid link (SAVE_RATE_LIMIT, keyed by the token's
hash, whatever the address), generous for a person and their autosave, not for a script.

Every module of this package hangs its routes on `bp`; none imports another's views.
"""

from flask import Blueprint, g, make_response, render_template, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import NotFound, TooManyRequests

from intake.errors import render_error
from intake.i18n import use_language, use_series
from intake.invitations.operations import open_invitation
from intake.rate_limits import spend
from intake.respond.forms import NewLinkForm
from intake.respond.page_fields import checkbox_tag, field_block, question_blocks

bp = Blueprint("respond", __name__, url_prefix="/r")
bp.add_app_template_global(field_block)
bp.add_app_template_global(checkbox_tag)
bp.add_app_template_global(question_blocks)


class InvalidLink(NotFound):
    """Any link that does not open a questionnaire: wrong, expired, revoked or closed."""


class TooManySaves(TooManyRequests):
    """A valid link that wrote more often than SAVE_RATE_LIMIT allows."""


@bp.after_request
def no_store(response):
    """Keep invitee pages out of every cache and their link out of other sites' logs."""
    if "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def load(token: str):
    """Return the invitation of a live link in its language, or raise InvalidLink; a POST
    counts once against the link's save budget (TooManySaves when spent)."""
    invitation = open_invitation(token)
    if invitation is None:
        raise InvalidLink()
    use_language(invitation.language)
    use_series(invitation.series)
    if request.method == "POST" and not g.get("save_counted"):
        g.save_counted = True
        wait = spend("SAVE_RATE_LIMIT", "link", invitation.token_sha256)
        if wait:
            raise TooManySaves(retry_after=wait)
    return invitation


def open_from_request():
    """Return the live invitation of the request's token, in its language, or None."""
    invitation = open_invitation((request.view_args or {}).get("token", ""))
    if invitation is not None:
        use_language(invitation.language)
        use_series(invitation.series)
    return invitation


def wants_json() -> bool:
    """Say whether the caller is the autosave script rather than a plain form."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )


@bp.errorhandler(InvalidLink)
def invalid_link(error):
    """Show the same page for every link that does not open, with a form to ask for another;
    count it against the address's guessing budget, and answer 429 once that is spent."""
    wait = spend("TOKEN_RATE_LIMIT", "bad-link", get_remote_address())
    if wait:
        response = make_response(render_error(TooManyRequests()))
        response.headers["Retry-After"] = str(wait)
        return response
    return render_template("respond/invalid.html", form=NewLinkForm(formdata=None)), 404

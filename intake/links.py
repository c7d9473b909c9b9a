"""Links: invitation tokens (issue, recompute for emails, resolve by hash) and absolute URLs.

Every emailed or exported link is built on BASE_URL, never on the request's Host.
"""

import base64
import hashlib
import hmac
import secrets
from urllib.parse import unquote

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from intake.extensions import db
from intake.models import Invitation, Photo, Submission


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a token is looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


def _derive(nonce: str) -> str:
    key = hashlib.sha256(b"invitation-link:" + current_app.config["SECRET_KEY"].encode()).digest()
    digest = hmac.new(key, nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def issue_token(invitation: Invitation) -> str:
    """Give the invitation a fresh token (the old link dies) and return it."""
    invitation.token_nonce = secrets.token_urlsafe(32)
    token = _derive(invitation.token_nonce)
    invitation.token_sha256 = hash_token(token)
    return token


def token_for(invitation: Invitation) -> str:
    """Recompute the current token of an invitation (to put its link in an email)."""
    return _derive(invitation.token_nonce)


def absolute_url(endpoint: str, **values) -> str:
    """Return BASE_URL + the path of an endpoint, with or without a request."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"] + path


def invitation_link(invitation: Invitation) -> str:
    """Return the invitee's link, built on BASE_URL, never on the request's Host."""
    return absolute_url("respond.questionnaire", token=token_for(invitation))


def sample_invitation_link(endpoint: str = "respond.questionnaire") -> str:
    """Return what an invitee's link (or another of its links) looks like, its token hidden
    by dots (for previews and « Courriels »)."""
    return unquote(absolute_url(endpoint, token="•" * 12))


# Built once (only the digest changes): the invitation with what every page of the link
# shows, its photos included (one row each, in the same statement).
INVITATION_BY_DIGEST = (
    select(Invitation).where(Invitation.token_sha256 == bindparam("digest"))
    .options(joinedload(Invitation.questionnaire),
             joinedload(Invitation.submission).joinedload(Submission.photos)
             .defer(Photo.data))  # the image bytes only where they are sent
)


def find_invitation(token: str) -> Invitation | None:
    """Return the invitation a token belongs to, whatever its state, or None."""
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    invitation = db.session.execute(INVITATION_BY_DIGEST, {"digest": digest}).unique().scalar()
    if invitation is None or not hmac.compare_digest(invitation.token_sha256, digest):
        return None
    return invitation

"""outbox rows keep a slot for the invitee's link, never the working link

Messages queued before this revision hold the invitee's working link in text_body and
html_body, readable by any blogger and from any copy of the database. Each link that still
works (recomputed from the invitation's nonce under SECRET_KEY) becomes the slot
[[lien:questionnaire:ID]] or [[lien:proof:ID]], which delivery fills only when sending
(intake/mail/link_slots.py). A link that no longer works (regenerated since) opens nothing and
stays as it was. Downgrade puts the working links back, on BASE_URL.

Revision ID: 845bc0d0aba1
Revises: cfc050e4f86e
Create Date: 2026-11-30 10:00:00.000000

"""
import base64
import hashlib
import hmac
import re

import sqlalchemy as sa
from alembic import op
from flask import current_app


# revision identifiers, used by Alembic.
revision = '845bc0d0aba1'
down_revision = 'cfc050e4f86e'
branch_labels = None
depends_on = None

SLOT = re.compile(r"\[\[lien:(questionnaire|proof):(\d{1,12})\]\]")
ROWS = sa.text(
    "SELECT outbox.id, outbox.text_body, outbox.html_body, invitations.id, "
    "invitations.token_nonce FROM outbox "
    "JOIN submissions ON submissions.id = outbox.submission_id "
    "JOIN invitations ON invitations.id = submissions.invitation_id")
UPDATE = sa.text("UPDATE outbox SET text_body = :text, html_body = :html WHERE id = :id")


def token(nonce: str) -> str:
    """Return the token of a nonce, as intake/links.py derives it at this revision."""
    key = hashlib.sha256(b"invitation-link:" + current_app.config["SECRET_KEY"].encode()).digest()
    digest = hmac.new(key, nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def to_slots(body: str, invitation_id: int, nonce: str) -> str:
    """Replace the invitation's working links (and proof links) in a body by slots."""
    link = re.compile(r"https?://[^\s\"'<>]*?/r/" + re.escape(token(nonce))
                      + r"(/proof)?(?![\w-])")
    return link.sub(lambda match: f"[[lien:{'proof' if match.group(1) else 'questionnaire'}:"
                                  f"{invitation_id}]]", body)


def to_links(body: str, invitation_id: int, nonce: str) -> str:
    """Replace the invitation's slots in a body by its working links on BASE_URL."""
    base = (current_app.config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")

    def link(match: re.Match) -> str:
        if int(match.group(2)) != invitation_id:
            return match.group(0)
        return f"{base}/r/{token(nonce)}" + ("/proof" if match.group(1) == "proof" else "")

    return SLOT.sub(link, body)


def rewrite(change) -> None:
    """Apply change(body, invitation id, nonce) to both bodies of every invitee's message."""
    bind = op.get_bind()
    for message_id, text, html, invitation_id, nonce in bind.execute(ROWS).all():
        if not nonce:
            continue
        new_text = change(text or "", invitation_id, nonce)
        new_html = change(html or "", invitation_id, nonce)
        if (new_text, new_html) != (text or "", html or ""):
            bind.execute(UPDATE, {"text": new_text, "html": new_html, "id": message_id})


def upgrade():
    rewrite(to_slots)


def downgrade():
    rewrite(to_links)

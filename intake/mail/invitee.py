"""What every email about an invitation is rendered with: the invitation, its link, its date,
and the blogger's name that signs it."""

from flask_babel import force_locale, format_date
from sqlalchemy import select

from intake.extensions import db
from intake.i18n import use_series
from intake.mail.addresses import one_line
from intake.mail.link_slots import link_slot
from intake.models import Invitation, User


def expiry_text(invitation: Invitation) -> str:
    """Return the expiry date written in the invitee's language."""
    with force_locale(invitation.language):
        return format_date(invitation.expires_at, "long")


def signer_name(author: User | None = None) -> str:
    """Return the name that signs emails to invitees, on one line: the author's (the blogger
    who created the invitation), else the first welcomed blogger's; '' when none has a name."""
    if author is not None and author.active and (author.name or "").strip():
        return one_line(author.name, 200)
    first = db.session.scalar(
        select(User.name)
        .where(User.active.is_(True), User.welcomed_at.is_not(None), User.name != "")
        .order_by(User.welcomed_at, User.id).limit(1))
    return one_line(first or "", 200)


def invitation_signer(invitation: Invitation) -> str:
    """Return the name that signs the emails of an invitation (see signer_name)."""
    author = db.session.get(User, invitation.created_by_id) if invitation.created_by_id else None
    return signer_name(author)


def invitee_context(invitation: Invitation, **extra) -> dict:
    """Return what the templates of an email about an invitation see, plus `extra`; makes the
    invitation's series the one in use (its register and typography).

    `link` is the slot of the invitee's link (link_slots.py): the outbox never stores a
    working link. queue_templated adds `submission` (its own argument) to what templates see.
    """
    use_series(invitation.series)
    context = {
        "invitation": invitation,
        "link": link_slot(invitation),
        "message": "",
        "name": invitation.name,
        "note": invitation.note,
        "series": invitation.series.title(invitation.language),
        "expires": expiry_text(invitation),
        "signer": invitation_signer(invitation),
    }
    context.update(extra)
    return context

"""A person whose link no longer opens asks for a new one; the bloggers hear of it."""

from datetime import datetime

from sqlalchemy import func, select

from intake.enums import RENEWABLE, MailKind
from intake.extensions import db
from intake.links import absolute_url
from intake.mail.addresses import checked_address
from intake.mail.outbox import Recipient, queue_templated
from intake.models import Invitation, Submission, utcnow


def renewable_invitations(address: str) -> list[Invitation]:
    """Return the invitations sent to an address (any letter case) whose link may be renewed."""
    return list(db.session.scalars(
        select(Invitation).join(Submission)
        .where(func.lower(Invitation.email) == address.lower(),
               Invitation.open_clause(RENEWABLE, ignore_expiry=True))
        .order_by(Invitation.id)
    ))


def request_new_link(email: str, now: datetime | None = None) -> int:
    """Tell each blogger that this address asks for a new link; queues email; flushes.

    One message per renewable invitation of the address, per blogger (in their language) and
    per day. Raises MailError when the address is not one. Returns how many invitations
    matched: the person must never be told.
    """
    address = checked_address(email)
    day = (now or utcnow()).date().isoformat()
    invitations = renewable_invitations(address)
    for invitation in invitations:
        admin_url = absolute_url("review.invitation", invitation_id=invitation.id)
        for blogger in Recipient.bloggers():
            queue_templated(MailKind.NEW_LINK_REQUESTED, blogger, submission=invitation.submission,
                            invitation=invitation, admin_url=admin_url,
                            dedupe_key=f"new_link_requested:{invitation.id}:{day}:"
                                       f"{blogger.address}")
    return len(invitations)

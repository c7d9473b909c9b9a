"""Invitee links in stored mail: the outbox keeps a slot naming the invitation, never its
working link; the link is put in only when the message is sent (intake/mail/message.py)."""

import re

from intake.links import absolute_url, sample_invitation_link, token_for
from intake.models import Invitation

# What an invitee's link is stored as, e.g. [[lien:questionnaire:42]] or [[lien:proof:42]]:
# plain ASCII without & < > " ', so it reads the same in the text part and, escaped, in HTML.
SLOT = re.compile(r"\[\[lien:(questionnaire|proof):(\d{1,12})\]\]")
ENDPOINTS = {"questionnaire": "respond.questionnaire", "proof": "respond.proof"}


class LinkUnavailable(ValueError):
    """A message whose link cannot be put in (its invitation was revoked): it is not sent."""


def link_slot(invitation: Invitation, purpose: str = "questionnaire") -> str:
    """Return the slot that stands for an invitation's link (or proof link) in stored mail."""
    if invitation.id is None:
        raise ValueError("an invitation gets its link slot once it has an id (flush first)")
    return f"[[lien:{purpose}:{invitation.id}]]"


def fill_links(text: str, invitation: Invitation | None, to_addr: str) -> str:
    """Return `text` with the slots of `invitation` replaced by its current working link.

    Only a message to the invitation's own address gets its link; any other slot (typed by
    someone, or of another invitation) stays as written. Raises LinkUnavailable when the
    invitation was revoked: its link is dead and the message must not go. A link regenerated
    since queueing is the current one, so the message carries the link that works.
    """
    if invitation is None or (to_addr or "").lower() != (invitation.email or "").lower():
        return text or ""

    def link(match: re.Match) -> str:
        if int(match.group(2)) != invitation.id:
            return match.group(0)
        if invitation.revoked_at is not None:
            raise LinkUnavailable("the invitation was revoked after this message was queued: "
                                  "its link no longer works, so the message was not sent")
        return absolute_url(ENDPOINTS[match.group(1)], token=token_for(invitation))

    return SLOT.sub(link, text or "")


def masked_links(text: str) -> str:
    """Return `text` with every slot shown as its link with the token hidden by dots."""
    return SLOT.sub(lambda match: sample_invitation_link(ENDPOINTS[match.group(1)]), text or "")

"""What every email about an invitation is rendered with: the invitation, its link, its date."""

from flask_babel import force_locale, format_date

from intake.links import invitation_link
from intake.models import Invitation


def expiry_text(invitation: Invitation) -> str:
    """Return the expiry date written in the invitee's language."""
    with force_locale(invitation.language):
        return format_date(invitation.expires_at, "long")


def invitee_context(invitation: Invitation, **extra) -> dict:
    """Return what the templates of an email about an invitation see, plus `extra`.

    queue_templated adds `submission` (its own argument) to what templates see.
    """
    context = {
        "invitation": invitation,
        "link": invitation_link(invitation),
        "message": "",
        "name": invitation.name,
        "note": invitation.note,
        "series": invitation.questionnaire.title(invitation.language),
        "expires": expiry_text(invitation),
    }
    context.update(extra)
    return context

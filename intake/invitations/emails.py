"""The emails of an invitation: its context, the editable default message, queueing it."""

from flask import render_template
from flask_babel import force_locale, format_date

from intake.links import invitation_link
from intake.mail.addresses import one_line
from intake.mail.outbox import queue_message
from intake.models import Invitation, OutboxMessage, utcnow
from intake.questionnaire.series import current_questionnaire
from intake.workflow import audit

# The placeholders written in the editable default message, per language.
EDITOR_PLACEHOLDERS = {
    "fr": {"name": "{nom}", "link": "{lien}", "expires": "{date_limite}"},
    "en": {"name": "{name}", "link": "{link}", "expires": "{expires}"},
}


def expiry_text(invitation: Invitation) -> str:
    """Return the expiry date written in the invitee's language."""
    with force_locale(invitation.language):
        return format_date(invitation.expires_at, "long")


def placeholder_values(invitation: Invitation) -> dict[str, str]:
    """Return the plain values of the message placeholders for an invitation."""
    return {"name": invitation.name, "link": invitation_link(invitation),
            "expires": expiry_text(invitation)}


def email_context(invitation: Invitation, **extra) -> dict:
    """Return what the invitation, reminder and link emails are rendered with.

    queue_message adds `submission` (its own argument) to what templates see.
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


def default_message(language: str, note: str = "") -> tuple[str, str]:
    """Return the editable invitation subject and body, with placeholders, in a language."""
    questionnaire = current_questionnaire()
    values = EDITOR_PLACEHOLDERS.get(language, EDITOR_PLACEHOLDERS["fr"])
    context = {"submission": None, "invitation": None, "message": "", "note": (note or "").strip(),
               "series": questionnaire.title(language) if questionnaire else "",
               "email_language": language, **values}
    with force_locale(language):
        subject = render_template("email/invitation.subject.txt", **context)
        body = render_template("email/invitation.txt", **context)
    return one_line(subject), body


def record_email(invitation: Invitation, kind: str, actor,
                 message: OutboxMessage) -> OutboxMessage:
    """Stamp the invitation's last email and audit the message queued for it."""
    invitation.last_email_at = utcnow()
    audit.record(invitation.submission, "email", actor, kind=kind, outbox_id=message.id)
    return message


def queue_invitation_email(invitation: Invitation, *, subject: str | None = None,
                           body: str | None = None, actor=None) -> OutboxMessage:
    """Queue the invitation email (the blogger's edited text, else the template); audits."""
    common = {"to_addr": invitation.email, "to_name": invitation.name,
              "language": invitation.language, "submission": invitation.submission}
    if body is not None:
        message = queue_message("invitation", edited_subject=subject, edited_body=body,
                                placeholders=placeholder_values(invitation), **common)
    else:
        message = queue_message("invitation", **common, **email_context(invitation))
    return record_email(invitation, "invitation", actor, message)

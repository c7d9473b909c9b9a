"""The emails of an invitation: its context, the editable default message, queueing it."""

from flask import render_template
from flask_babel import force_locale

from intake.enums import MailKind
from intake.i18n import use_series
from intake.mail.addresses import one_line
from intake.mail.invitee import expiry_text, invitee_context, signer_name
from intake.mail.link_slots import link_slot
from intake.mail.outbox import Recipient, queue_templated, queue_written
from intake.models import Invitation, OutboxMessage, Series, User, utcnow
from intake.questionnaire.series import default_series
from intake.text import clean_text
from intake.workflow import audit

# The placeholders written in the editable default message, per language.
EDITOR_PLACEHOLDERS = {
    "fr": {"name": "{nom}", "link": "{lien}", "expires": "{date_limite}"},
    "en": {"name": "{name}", "link": "{link}", "expires": "{expires}"},
}
# Where each person's note goes in a message written once for a whole list.
NOTE_PLACEHOLDER = {"fr": "{mot_personnel}", "en": "{note}"}


def placeholder_values(invitation: Invitation) -> dict[str, str]:
    """Return the plain values of the message placeholders for an invitation (its link as a
    slot, filled when the message is sent)."""
    return {"name": invitation.name, "link": link_slot(invitation),
            "expires": expiry_text(invitation), "note": invitation.note}


def default_message(language: str, note: str = "", author: User | None = None,
                    series: Series | None = None) -> tuple[str, str]:
    """Return the editable invitation subject and body of a series (the default one when none
    is given), with placeholders, in a language, signed as the invitation `author` will sign
    it (see signer_name). Makes the series the one in use (its register)."""
    questionnaire = series or default_series()
    if questionnaire is not None:
        use_series(questionnaire)
    values = EDITOR_PLACEHOLDERS.get(language, EDITOR_PLACEHOLDERS["fr"])
    context = {"submission": None, "invitation": None, "message": "", "note": (note or "").strip(),
               "series": questionnaire.title(language) if questionnaire else "",
               "email_language": language, "signer": signer_name(author), **values}
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
    to, submission = Recipient.invitee(invitation), invitation.submission
    if body is not None:
        message = queue_written(MailKind.INVITATION, to, one_line(subject or ""),
                                clean_text(body, multiline=True),
                                placeholder_values(invitation), submission=submission)
    else:
        message = queue_templated(MailKind.INVITATION, to, submission=submission,
                                  **invitee_context(invitation))
    return record_email(invitation, MailKind.INVITATION, actor, message)

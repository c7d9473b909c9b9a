"""Invitations: create, revoke, regenerate, extend, resend; the reminders that follow them."""

from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from intake.database import writing
from intake.enums import EDITABLE, LINK_ALIVE, REMINDABLE, State
from intake.extensions import db
from intake.links import invitation_link, issue_token
from intake.mail.addresses import checked_address, one_line
from intake.mail.outbox import queue_message
from intake.models import Invitation, OutboxMessage, Question, Submission, utcnow
from intake.services.series import current_questionnaire
from intake.workflow import audit
from intake.workflow.transitions import WorkflowError, set_state

MAX_EXTRA_QUESTIONS = 5
EXTRA_QUESTION_MAX_LENGTH = 500
# No automatic reminder within this long of the last email the person received.
MIN_GAP = timedelta(days=1)
# The placeholders written in the editable default message, per language.
EDITOR_PLACEHOLDERS = {
    "fr": {"name": "{nom}", "link": "{lien}", "expires": "{date_limite}"},
    "en": {"name": "{name}", "link": "{link}", "expires": "{expires}"},
}


class InvitationError(Exception):
    """A refused invitation operation; `.code` says why, `.message` says it in words."""

    MESSAGES = {
        "closed": _l("Cette action n’est plus possible pour cette invitation."),
        "no_questionnaire": _l("Il n’y a pas encore de questionnaire : lancez « flask --app "
                               "intake db upgrade » (ou « setup »), qui charge le questionnaire "
                               "par défaut."),
    }

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        self.message = self.MESSAGES.get(code, code)


def create_invitation(*, name: str, email: str, language: str = "fr", organisation: str = "",
                      note: str = "", extra_questions=(), expires_days: int | None = None,
                      created_by=None) -> tuple[Invitation, str]:
    """Create an invitation, its submission ('invited') and its own questions; audits; flushes.

    Returns the invitation and its token (shown once). Queues no email.
    """
    questionnaire = current_questionnaire()
    if questionnaire is None:
        raise InvitationError("no_questionnaire")
    days = expires_days or current_app.config["INVITATION_DAYS"]
    invitation = Invitation(
        questionnaire_id=questionnaire.id,
        name=one_line(name, 200),
        email=checked_address(email),
        organisation=one_line(organisation, 200),
        language=language if language in current_app.config["LANGUAGES"] else "fr",
        note=(note or "").strip(),
        created_at=utcnow(),
        expires_at=utcnow() + timedelta(days=int(days)),
        created_by_id=getattr(created_by, "id", None),
    )
    token = issue_token(invitation)
    invitation.submission = Submission(state=State.INVITED, display_name=invitation.name,
                                       organisation=invitation.organisation)
    for number, text in enumerate(list(extra_questions)[:MAX_EXTRA_QUESTIONS], start=1):
        invitation.extra_questions.append(Question(
            questionnaire_id=questionnaire.id, key=f"extra-{number}", section="extra",
            position=1000 + number, text_fr=text.strip(), text_en=text.strip(),
            max_length=5000,
        ))
    db.session.add(invitation)
    db.session.flush()
    audit.record(invitation.submission, "invited", created_by, to_state=State.INVITED.value,
                 email=invitation.email, expires_days=int(days))
    return invitation, token


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


def _emailed(invitation: Invitation, kind: str, actor, message: OutboxMessage) -> OutboxMessage:
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
    return _emailed(invitation, "invitation", actor, message)


def revoke(invitation: Invitation, actor=None) -> None:
    """Revoke the invitation: its link dies and reminders stop; state 'revoked', audited."""
    set_state(invitation.submission, State.REVOKED, actor, notify=False)
    invitation.revoked_at = utcnow()
    db.session.flush()


def regenerate_link(invitation: Invitation, actor=None) -> str:
    """Give the invitation a new link (the old one dies), email it; audits; returns the token."""
    if invitation.revoked_at is not None or invitation.submission.state not in LINK_ALIVE:
        raise InvitationError("closed")
    token = issue_token(invitation)
    db.session.flush()
    audit.record(invitation.submission, "link_regenerated", actor)
    message = queue_message("link_regenerated", to_addr=invitation.email,
                            to_name=invitation.name, language=invitation.language,
                            submission=invitation.submission, **email_context(invitation))
    _emailed(invitation, "link_regenerated", actor, message)
    return token


def has_answers(submission: Submission) -> bool:
    """Say whether the invitee has saved anything yet."""
    return submission.last_saved_at is not None or any(a.body for a in submission.answers)


def extend(invitation: Invitation, days: int, actor=None) -> None:
    """Push the expiry back by `days` (from now if already past); reopens an expired one."""
    submission = invitation.submission
    if invitation.revoked_at is not None or submission.state not in (
            REMINDABLE | {State.EXPIRED, State.CHANGES_REQUESTED}):
        raise InvitationError("closed")
    now = utcnow()
    invitation.expires_at = max(invitation.expires_at, now) + timedelta(days=int(days))
    audit.record(submission, "extended", actor, days=int(days),
                 expires_at=invitation.expires_at.isoformat())
    if submission.state == State.EXPIRED:
        back = State.IN_PROGRESS if has_answers(submission) else State.INVITED
        set_state(submission, back, actor, notify=False)
    db.session.flush()


def resend(invitation: Invitation, actor=None) -> OutboxMessage:
    """Queue the invitation email again with the current link; audits."""
    if not can_receive_link(invitation):
        raise InvitationError("closed")
    return queue_invitation_email(invitation, actor=actor)


def can_receive_link(invitation: Invitation, now: datetime | None = None) -> bool:
    """Say whether the invitee may still be sent their editable link."""
    return (invitation.revoked_at is None and invitation.submission.state in EDITABLE
            and invitation.expires_at > (now or utcnow()))


# Reminders -------------------------------------------------------------------------------

def reminder_schedule(invitation: Invitation) -> list[int]:
    """Return the days after the invitation when automatic reminders go out (series setting)."""
    questionnaire = invitation.questionnaire
    days = sorted(d for d in (questionnaire.reminder_days or []) if isinstance(d, int) and d > 0)
    return days[:max(0, questionnaire.max_reminders or 0)]


def next_reminder_at(invitation: Invitation) -> datetime | None:
    """Return when the next automatic reminder is due, or None when none is left."""
    days = reminder_schedule(invitation)
    if invitation.reminders_sent >= len(days):
        return None
    return invitation.created_at + timedelta(days=days[invitation.reminders_sent])


def can_remind(invitation: Invitation, now: datetime | None = None) -> bool:
    """Say whether a reminder may go out: nothing submitted, not revoked, not expired."""
    return (invitation.revoked_at is None and invitation.submission.state in REMINDABLE
            and invitation.expires_at > (now or utcnow()))


def reminders_due(now: datetime | None = None) -> list[Invitation]:
    """Return the invitations whose next automatic reminder is due now."""
    now = now or utcnow()
    candidates = db.session.scalars(
        select(Invitation).join(Submission)
        .where(Submission.state.in_([s.value for s in REMINDABLE]),
               Invitation.revoked_at.is_(None), Invitation.expires_at > now)
        .order_by(Invitation.id)
    )
    return [
        invitation for invitation in candidates
        if (due := next_reminder_at(invitation)) is not None and due <= now
        and (invitation.last_email_at is None or invitation.last_email_at <= now - MIN_GAP)
    ]


def send_reminder(invitation: Invitation, number: int, actor=None,
                  now: datetime | None = None) -> OutboxMessage | None:
    """Queue reminder `number` unless it went out already (conditional UPDATE); audits."""
    now = now or utcnow()
    if not can_remind(invitation, now):
        return None
    key = f"reminder:{invitation.id}:{number}"
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.reminders_sent == number - 1)
        .values(reminders_sent=number, last_email_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1 or db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        db.session.refresh(invitation)
        return None
    set_committed_value(invitation, "reminders_sent", number)
    set_committed_value(invitation, "last_email_at", now)
    message = queue_message("reminder", to_addr=invitation.email, to_name=invitation.name,
                            language=invitation.language, submission=invitation.submission,
                            dedupe_key=key, **email_context(invitation, number=number))
    audit.record(invitation.submission, "email", actor, kind="reminder", number=number,
                 outbox_id=message.id)
    return message


def remind_now(invitation: Invitation, actor=None) -> OutboxMessage:
    """Queue the next reminder at once (the blogger's button); audits."""
    message = send_reminder(invitation, invitation.reminders_sent + 1, actor)
    if message is None:
        raise InvitationError("closed")
    return message


def expire_overdue(now: datetime | None = None) -> int:
    """Move invited/in-progress submissions whose invitation has expired to 'expired'."""
    now = now or utcnow()
    overdue = db.session.scalars(
        select(Submission).join(Invitation)
        .where(Submission.state.in_([s.value for s in REMINDABLE]), Invitation.expires_at <= now)
    ).all()
    moved = 0
    for submission in overdue:
        try:
            set_state(submission, State.EXPIRED, audit.SYSTEM, notify=False)
            moved += 1
        except WorkflowError:
            continue
    return moved


def queue_due_reminders(now: datetime | None = None) -> int:
    """Expire overdue invitations, then queue each due reminder once; returns how many.

    Run from a command, it writes: on SQLite its transaction takes the write lock up front, so
    that two runs at once (or a run beside the web app's saves) wait instead of failing with
    "database is locked" when a read transaction tries to write.
    """
    now = now or utcnow()
    with writing():
        expire_overdue(now)
        return sum(1 for invitation in reminders_due(now)
                   if send_reminder(invitation, invitation.reminders_sent + 1, audit.SYSTEM, now))


def list_invitations(state: str | None = None) -> list[tuple[Invitation, OutboxMessage | None]]:
    """Return the invitations, newest first, each with the last email queued for it."""
    query = select(Invitation).join(Submission).order_by(Invitation.created_at.desc(),
                                                         Invitation.id.desc())
    if state:
        query = query.where(Submission.state == state)
    invitations = db.session.scalars(query).all()
    last_ids = (select(func.max(OutboxMessage.id)).where(OutboxMessage.submission_id.isnot(None))
                .group_by(OutboxMessage.submission_id))
    last = {m.submission_id: m for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(last_ids)))}
    return [(inv, last.get(inv.submission.id)) for inv in invitations]

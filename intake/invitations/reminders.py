"""Reminders: when the automatic ones are due, sending each once, expiring overdue links.

The schedule is a series setting (Questionnaire.reminder_days and max_reminders, edited in
questionnaire/editor.py); the reminder email is templates/email/reminder.*.
"""

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from intake.database import writing
from intake.enums import REMINDABLE, MailKind, State
from intake.extensions import db
from intake.invitations.operations import InvitationError
from intake.mail.invitee import invitee_context
from intake.mail.outbox import Recipient, queue_templated
from intake.models import Invitation, OutboxMessage, Submission, utcnow
from intake.workflow import audit
from intake.workflow.transitions import WorkflowError, set_state

# No automatic reminder within this long of the last email the person received.
MIN_GAP = timedelta(days=1)


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
    return invitation.link_is_open(REMINDABLE, now)


def reminders_due(now: datetime | None = None) -> list[Invitation]:
    """Return the invitations whose next automatic reminder is due now."""
    now = now or utcnow()
    candidates = db.session.scalars(
        select(Invitation).join(Submission)
        .where(Invitation.open_clause(REMINDABLE, now))
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
    message = queue_templated(MailKind.REMINDER, Recipient.invitee(invitation),
                              submission=invitation.submission, dedupe_key=key,
                              **invitee_context(invitation, number=number))
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
        .where(Invitation.open_clause(REMINDABLE, ignore_expiry=True),
               Invitation.expires_at <= now)
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

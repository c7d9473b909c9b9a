"""Invitations: create, open a link, revoke, regenerate, extend, resend, list."""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from intake.enums import EDITABLE, EXTENDABLE, LINK_ALIVE, MailKind, State
from intake.errors import Refused
from intake.extensions import db
from intake.invitations.emails import queue_invitation_email, record_email
from intake.links import find_invitation, issue_token
from intake.mail.addresses import checked_address, one_line
from intake.mail.invitee import invitee_context
from intake.mail.outbox import Recipient, queue_templated
from intake.models import Invitation, OutboxMessage, Question, Series, Submission, utcnow
from intake.questionnaire.series import default_series
from intake.text import clean_line, clean_text
from intake.workflow import audit
from intake.workflow.transitions import WorkflowError, set_state

MAX_EXTRA_QUESTIONS = 5
EXTRA_QUESTION_MAX_LENGTH = 500


class InvitationError(Refused):
    """A refused invitation operation; `.code` says why, `.message` says it in words."""

    MESSAGES = {
        "closed": _l("Cette action n’est plus possible pour cette invitation."),
        "language": _l("Cette série ne propose pas cette langue : choisissez-en une autre "
                       "(« Réglages de la série »)."),
        "no_questionnaire": _l("Il n’y a pas encore de questionnaire : lancez « flask --app "
                               "intake db upgrade » (ou « setup »), qui charge le questionnaire "
                               "par défaut."),
    }


def create_invitation(*, name: str, email: str, language: str = "fr", organisation: str = "",
                      note: str = "", extra_questions=(), expires_days: int | None = None,
                      created_by=None, series: Series | None = None) -> tuple[Invitation, str]:
    """Create an invitation to a series (the default one when none is given), its submission
    ('invited') and its own questions; audits; flushes.

    Returns the invitation and its token (shown once). Queues no email.
    """
    questionnaire = series or default_series()
    if questionnaire is None:
        raise InvitationError("no_questionnaire")
    if not questionnaire.offers(language):
        raise InvitationError("language")
    days = expires_days or current_app.config["INVITATION_DAYS"]
    invitation = Invitation(
        questionnaire_id=questionnaire.id,
        name=one_line(name, 200),
        email=checked_address(email),
        organisation=one_line(organisation, 200),
        language=language if language in current_app.config["LANGUAGES"] else "fr",
        note=clean_text(note, multiline=True),
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
            position=1000 + number, text_fr=clean_line(text), text_en=clean_line(text),
            max_length=5000,
        ))
    db.session.add(invitation)
    db.session.flush()
    audit.record(invitation.submission, "invited", created_by, to_state=State.INVITED.value,
                 email=invitation.email, expires_days=int(days), series=questionnaire.slug)
    return invitation, token


def open_invitation(token: str) -> Invitation | None:
    """Return the invitation a link still opens, or None (wrong, expired, revoked, closed alike)."""
    invitation = find_invitation(token)
    if invitation is None or not invitation.link_is_open(LINK_ALIVE):
        return None
    return invitation


def revoke(invitation: Invitation, actor=None) -> None:
    """Revoke the invitation: its link dies and reminders stop; state 'revoked', audited.

    Raises InvitationError('closed') when the flow no longer allows it.
    """
    try:
        set_state(invitation.submission, State.REVOKED, actor, notify=False)
    except WorkflowError as error:
        raise InvitationError("closed") from error
    invitation.revoked_at = utcnow()
    db.session.flush()


def regenerate_link(invitation: Invitation, actor=None) -> str:
    """Give the invitation a new link (the old one dies), email it; audits; returns the token."""
    if not invitation.link_is_open(LINK_ALIVE, ignore_expiry=True):
        raise InvitationError("closed")
    token = issue_token(invitation)
    db.session.flush()
    audit.record(invitation.submission, "link_regenerated", actor)
    message = queue_templated(MailKind.LINK_REGENERATED, Recipient.invitee(invitation),
                              submission=invitation.submission, **invitee_context(invitation))
    record_email(invitation, MailKind.LINK_REGENERATED, actor, message)
    return token


def has_answers(submission: Submission) -> bool:
    """Say whether the invitee has saved anything yet."""
    return submission.last_saved_at is not None or any(a.body for a in submission.answers)


def extend(invitation: Invitation, days: int, actor=None) -> None:
    """Push the expiry back by `days` (from now if already past); reopens an expired one."""
    submission = invitation.submission
    if not invitation.link_is_open(EXTENDABLE, ignore_expiry=True):
        raise InvitationError("closed")
    now = utcnow()
    invitation.expires_at = max(invitation.expires_at, now) + timedelta(days=int(days))
    audit.record(submission, "extended", actor, days=int(days),
                 expires_at=invitation.expires_at.isoformat())
    if submission.state == State.EXPIRED:
        back = State.IN_PROGRESS if has_answers(submission) else State.INVITED
        try:
            set_state(submission, back, actor, notify=False)
        except WorkflowError as error:
            raise InvitationError("closed") from error
    db.session.flush()


def resend(invitation: Invitation, actor=None) -> OutboxMessage:
    """Queue the invitation email again with the current link; audits."""
    if not can_receive_link(invitation):
        raise InvitationError("closed")
    return queue_invitation_email(invitation, actor=actor)


def can_receive_link(invitation: Invitation, now: datetime | None = None) -> bool:
    """Say whether the invitee may still be sent their editable link."""
    return invitation.link_is_open(EDITABLE, now)


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

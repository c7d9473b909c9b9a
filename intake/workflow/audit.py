"""The audit trail: one line per move, edit and email."""

from flask_login import current_user

from intake.enums import Actor
from intake.extensions import db
from intake.models import AuditEvent, Submission

SYSTEM, INVITEE = Actor.SYSTEM.value, Actor.INVITEE.value


def actor_name(actor=None) -> str:
    """Return how an actor is written in the audit trail (a blogger's email, or a role)."""
    if isinstance(actor, str):
        return actor
    if actor is not None and getattr(actor, "email", None):
        return actor.email
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.email
    return SYSTEM


def record(submission: Submission | None, action: str, actor=None, *, from_state: str = "",
           to_state: str = "", **detail) -> AuditEvent:
    """Add an audit line for a submission; flushes nothing (the caller's commit keeps it)."""
    event = AuditEvent(
        submission_id=submission.id if submission is not None else None,
        actor=actor_name(actor),
        action=action,
        from_state=from_state,
        to_state=to_state,
        detail=detail,
    )
    db.session.add(event)
    return event

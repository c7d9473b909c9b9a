"""Erase a person on request, leaving only an anonymous line that it happened."""

from sqlalchemy import delete, or_

from intake.database import lock_row
from intake.extensions import db
from intake.models import AuditEvent, Invitation, OutboxMessage, Submission
from intake.publishing import renditions
from intake.wordpress.queue import queue_erase
from intake.workflow import audit


def erase_person(submission: Submission, actor) -> None:
    """Delete the invitation, answers, photos, links, renditions, emails and audit trail of a
    person; flushes; keeps one anonymous audit line and queues deleting their WordPress post
    and media. Does nothing when already erased.

    The submission's row is locked first, as every save and submit does, so an erasure waits
    for the person's request in flight (or makes it wait) instead of deadlocking with it.
    """
    if not lock_row(submission):
        return
    shown = renditions.shown_among_others(submission)
    invitation: Invitation = submission.invitation
    series_id = invitation.questionnaire_id
    email = invitation.email
    was_state = submission.state
    queue_erase(submission)
    db.session.execute(
        delete(OutboxMessage).where(
            or_(OutboxMessage.submission_id == submission.id, OutboxMessage.to_addr == email)
        )
    )
    db.session.execute(delete(AuditEvent).where(AuditEvent.submission_id == submission.id))
    db.session.delete(submission)
    db.session.flush()
    db.session.delete(invitation)
    db.session.flush()
    audit.record(None, "person_erased", actor, from_state=was_state)
    if shown:  # the others' « Autres portraits » listed this person
        renditions.mark_stale(series_id)

"""The proof: the invitee checks the edited portrait before publication, then confirms or
comments."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from intake.database import lock_row
from intake.enums import PROOF_STATES, MailKind, ProofStatus
from intake.errors import Refused
from intake.extensions import db
from intake.links import absolute_url
from intake.mail.invitee import invitee_context
from intake.mail.link_slots import link_slot
from intake.mail.outbox import Recipient, queue_templated
from intake.models import Submission, utcnow
from intake.text import clean_text
from intake.workflow import audit

# Proof answers that wait for the blogger while the portrait is still submitted or approved.
ANSWERED = frozenset({ProofStatus.CONFIRMED, ProofStatus.COMMENTED})


class ProofRefused(Refused):
    """A proof that cannot be sent now ('state') or answered again ('answered')."""

    MESSAGES = {
        "state": _l("L’épreuve s’envoie quand le portrait est soumis ou approuvé."),
        "answered": _l("Cette épreuve a déjà reçu une réponse."),
    }


def send_proof(submission: Submission, actor) -> None:
    """Email the invitee a link to check the edited portrait before publication; audits."""
    if submission.state not in PROOF_STATES:
        raise ProofRefused("state")
    invitation = submission.invitation
    submission.proof_requested = True
    submission.proof_status = ProofStatus.PENDING.value
    submission.proof_comment = ""
    submission.updated_at = utcnow()
    queue_templated(MailKind.PROOF, Recipient.invitee(invitation), submission=submission,
                    **invitee_context(invitation, link=link_slot(invitation, "proof")))
    audit.record(submission, "proof_sent", actor)


def answer_proof(submission: Submission, confirmed: bool, comment: str) -> None:
    """Record the invitee's answer to the proof (confirmed, or a comment); audits; queues the
    bloggers' notice. Locks the submission's row first, as saves and erasure do."""
    if not lock_row(submission):
        raise ProofRefused("answered")
    if submission.proof_status != ProofStatus.PENDING:
        raise ProofRefused("answered")
    status = ProofStatus.CONFIRMED if confirmed else ProofStatus.COMMENTED
    submission.proof_status = status.value
    submission.proof_comment = clean_text(comment, multiline=True)[:5000]
    submission.updated_at = utcnow()
    audit.record(submission, "proof_" + status.value, audit.INVITEE,
                 comment=submission.proof_comment)
    notify_proof_answered(submission)


def notify_proof_answered(submission: Submission) -> None:
    """Queue, for each blogger in their language, the invitee's answer to the proof with the
    comment and a link to the review page; flushes."""
    review_url = absolute_url("review.submission", submission_id=submission.id)
    for blogger in Recipient.bloggers():
        queue_templated(MailKind.PROOF_ANSWERED, blogger, submission=submission,
                        invitation=submission.invitation, review_url=review_url,
                        confirmed=submission.proof_status == ProofStatus.CONFIRMED,
                        comment=submission.proof_comment)


def proof_answered(submission: Submission) -> bool:
    """Say whether the person answered the proof and the blogger has yet to publish (or to
    send another proof): the portrait is still submitted or approved."""
    return submission.proof_status in ANSWERED and submission.state in PROOF_STATES


def answered_proofs(limit: int = 5) -> tuple[int, list[Submission]]:
    """Return how many portraits stand as proof_answered says, and the latest few (one query)."""
    rows = db.session.execute(
        select(Submission, func.count().over())
        .where(Submission.proof_status.in_([status.value for status in ANSWERED]),
               Submission.state.in_([state.value for state in PROOF_STATES]))
        .order_by(Submission.updated_at.desc(), Submission.id.desc()).limit(limit)
    ).all()
    return (rows[0][1] if rows else 0), [submission for submission, _count in rows]

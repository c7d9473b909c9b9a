"""The proof: the invitee checks the edited portrait before publication, then confirms or
comments."""

from intake.enums import State
from intake.links import proof_link
from intake.mail.invitee import invitee_context
from intake.mail.outbox import Recipient, queue_templated
from intake.models import Submission, utcnow
from intake.submissions.editing import EditError
from intake.workflow import audit


def send_proof(submission: Submission, actor) -> None:
    """Email the invitee a link to check the edited portrait before publication; audits."""
    if submission.state not in (State.SUBMITTED, State.APPROVED):
        raise EditError("proof", "state")
    invitation = submission.invitation
    submission.proof_requested = True
    submission.proof_status = "pending"
    submission.proof_comment = ""
    submission.updated_at = utcnow()
    queue_templated("proof", Recipient.invitee(invitation), submission=submission,
                    **invitee_context(invitation, link=proof_link(invitation)))
    audit.record(submission, "proof_sent", actor)


def answer_proof(submission: Submission, confirmed: bool, comment: str) -> None:
    """Record the invitee's answer to the proof (confirmed, or a comment); audits."""
    if submission.proof_status != "pending":
        raise EditError("proof", "not_pending")
    submission.proof_status = "confirmed" if confirmed else "commented"
    submission.proof_comment = comment.strip()[:5000]
    submission.updated_at = utcnow()
    audit.record(submission, "proof_" + submission.proof_status, audit.INVITEE,
                 comment=submission.proof_comment)

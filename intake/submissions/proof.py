"""The proof: the invitee checks the edited portrait before publication, then confirms or
comments."""

from flask_babel import lazy_gettext as _l

from intake.database import lock_row
from intake.enums import PROOF_STATES, MailKind, ProofStatus
from intake.errors import Refused
from intake.links import proof_link
from intake.mail.invitee import invitee_context
from intake.mail.outbox import Recipient, queue_templated
from intake.models import Submission, utcnow
from intake.text import clean_text
from intake.workflow import audit


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
                    **invitee_context(invitation, link=proof_link(invitation)))
    audit.record(submission, "proof_sent", actor)


def answer_proof(submission: Submission, confirmed: bool, comment: str) -> None:
    """Record the invitee's answer to the proof (confirmed, or a comment); audits. Locks the
    submission's row first, as saves and erasure do."""
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

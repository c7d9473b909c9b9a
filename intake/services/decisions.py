"""The blogger's decisions: ask for changes, approve, reject, publish, unpublish, proof."""

from datetime import timedelta

from flask import current_app

from intake.enums import State
from intake.i18n import local_today
from intake.links import invitation_link
from intake.mail.outbox import queue_message
from intake.models import Submission, utcnow
from intake.publishing import renditions
from intake.services.editing import EditError, unique_slug
from intake.workflow import audit
from intake.workflow.transitions import set_state


def request_changes(submission: Submission, actor, message: str, version: int) -> None:
    """Send the submission back to the invitee, editable again (their link kept alive for at
    least INVITATION_DAYS more days); emails them the message."""
    submission.review_message = message.strip()
    invitation = submission.invitation
    floor = utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"])
    if invitation.expires_at < floor:
        invitation.expires_at = floor
    set_state(submission, State.CHANGES_REQUESTED, actor, expected_version=version,
              message=message.strip())


def approve(submission: Submission, actor, version: int) -> None:
    """Approve the submission for publication; emails the invitee."""
    set_state(submission, State.APPROVED, actor, expected_version=version)


def reject(submission: Submission, actor, message: str, version: int) -> None:
    """Decline the submission; emails the invitee, with the message if one is given."""
    set_state(submission, State.REJECTED, actor, expected_version=version,
              message=message.strip())


def publish(submission: Submission, actor, version: int) -> None:
    """Publish an approved portrait (slug and date filled if empty); renders its PDF; emails."""
    if not submission.consents:
        raise EditError("publish", "no_consent")
    if not submission.slug:
        submission.slug = unique_slug(submission, submission.display_name
                                      or submission.invitation.name)
    if submission.publication_date is None:
        submission.publication_date = local_today()
    set_state(submission, State.PUBLISHED, actor, expected_version=version)
    renditions.refresh_renditions(submission)


def unpublish(submission: Submission, actor, version: int) -> None:
    """Take a portrait off the public site (back to approved); drops its rendered files."""
    set_state(submission, State.APPROVED, actor, expected_version=version)
    renditions.remove_renditions(submission)


def send_proof(submission: Submission, actor) -> None:
    """Email the invitee a link to check the edited portrait before publication; audits."""
    if submission.state not in (State.SUBMITTED, State.APPROVED):
        raise EditError("proof", "state")
    invitation = submission.invitation
    submission.proof_requested = True
    submission.proof_status = "pending"
    submission.proof_comment = ""
    submission.updated_at = utcnow()
    queue_message("proof", to_addr=invitation.email, to_name=invitation.name,
                  language=invitation.language, submission=submission,
                  invitation=invitation, message="",
                  link=invitation_link(invitation) + "/proof")
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

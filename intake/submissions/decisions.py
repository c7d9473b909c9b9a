"""The blogger's decisions: ask for changes, approve, reject, publish, unpublish."""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from intake.enums import Decision, State
from intake.errors import Refused
from intake.i18n import local_today
from intake.models import Submission, utcnow
from intake.publishing import renditions
from intake.publishing.slugs import publication_slug
from intake.text import clean_text
from intake.wordpress.queue import queue_unpublish
from intake.workflow.transitions import set_state


class DecisionRefused(Refused):
    """A decision the portrait does not allow yet ('no_consent': publishing without consent)."""

    MESSAGES = {
        "no_consent": _l("La personne n’a pas donné son consentement à la publication."),
    }


def decide(submission: Submission, decision: Decision, actor, version: int,
           message: str = "") -> None:
    """Apply one of the blogger's decisions (each function below says its effects); raises
    WorkflowError or DecisionRefused when it cannot be applied."""
    if decision == Decision.REQUEST_CHANGES:
        request_changes(submission, actor, message, version)
    elif decision == Decision.REJECT:
        reject(submission, actor, message, version)
    else:
        {Decision.APPROVE: approve, Decision.PUBLISH: publish,
         Decision.UNPUBLISH: unpublish}[decision](submission, actor, version)


def request_changes(submission: Submission, actor, message: str, version: int) -> None:
    """Send the submission back to the invitee, editable again (their link kept alive for at
    least INVITATION_DAYS more days); emails them the message."""
    submission.review_message = clean_text(message, multiline=True)
    invitation = submission.invitation
    floor = utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"])
    if invitation.expires_at < floor:
        invitation.expires_at = floor
    set_state(submission, State.CHANGES_REQUESTED, actor, expected_version=version,
              message=clean_text(message, multiline=True))


def approve(submission: Submission, actor, version: int) -> None:
    """Approve the submission for publication; emails the invitee."""
    set_state(submission, State.APPROVED, actor, expected_version=version)


def reject(submission: Submission, actor, message: str, version: int) -> None:
    """Decline the submission; emails the invitee, with the message if one is given."""
    set_state(submission, State.REJECTED, actor, expected_version=version,
              message=clean_text(message, multiline=True))


def publish(submission: Submission, actor, version: int) -> None:
    """Publish an approved portrait (slug and date filled if empty); stores its page, queues
    its PDF for the worker and asks for new pages and PDFs of the others of its series when it
    joins their « Autres portraits »; emails."""
    if not submission.consents:
        raise DecisionRefused("no_consent")
    submission.slug = publication_slug(submission)
    if submission.publication_date is None:
        submission.publication_date = local_today()
    set_state(submission, State.PUBLISHED, actor, expected_version=version)
    renditions.queue_render(submission)
    renditions.mark_others_stale(submission)


def unpublish(submission: Submission, actor, version: int) -> None:
    """Take a portrait off the public site (back to approved); drops its rendered files, asks
    for new pages and PDFs of the others when it was in their « Autres portraits » and queues
    moving its WordPress post back to draft."""
    shown = renditions.shown_among_others(submission)
    set_state(submission, State.APPROVED, actor, expected_version=version)
    renditions.remove_renditions(submission)
    renditions.mark_others_stale(submission, was_shown=shown)
    queue_unpublish(submission)

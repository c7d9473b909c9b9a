"""The one place where a submission changes state."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from intake.enums import MailKind, State, can_move, state_label
from intake.errors import Refused
from intake.extensions import db
from intake.links import absolute_url
from intake.mail.invitee import invitee_context
from intake.mail.outbox import Recipient, queue_templated
from intake.models import Submission, utcnow
from intake.workflow import audit

# Timestamp column stamped when a submission enters a state.
STAMPS = {
    State.SUBMITTED: "submitted_at",
    State.APPROVED: "approved_at",
    State.PUBLISHED: "published_at",
}


class WorkflowError(Refused):
    """A move that was refused; `.code` says why ('not_allowed' or 'stale')."""

    def __init__(self, code: str, submission: Submission, to_state: str):
        super().__init__(code)
        self.current_state = submission.state
        self.to_state = to_state

    def __str__(self) -> str:
        return f"{self.code}: {self.current_state} -> {self.to_state}"

    @property
    def message(self):
        """Say why the move was not applied, naming the state the submission is in now."""
        if self.code == "stale":
            return _l("Ce portrait a changé pendant que vous le regardiez : il est maintenant "
                      "« %(state)s ». Rien n’a été appliqué; vérifiez et recommencez au besoin.",
                      state=state_label(self.current_state))
        return _l("Cette action n’est pas possible quand le portrait est « %(state)s ».",
                  state=state_label(self.current_state))


def set_state(submission: Submission, to_state: State, actor=None, *,
              expected_version: int | None = None, message: str = "",
              notify: bool = True) -> Submission:
    """Move a submission, once even under races; audit it and queue the emails it implies.

    The UPDATE only applies if state and version are still the ones read, so of two
    concurrent moves one wins and the other raises WorkflowError('stale').
    """
    to_state = State(to_state)
    from_state = State(submission.state)
    version = submission.version if expected_version is None else expected_version
    if version != submission.version:
        raise WorkflowError("stale", submission, to_state)
    if not can_move(from_state, to_state):
        raise WorkflowError("not_allowed", submission, to_state)
    now = utcnow()
    values = {"state": to_state.value, "version": version + 1, "updated_at": now}
    if to_state in STAMPS:
        values[STAMPS[to_state]] = now
    if from_state == State.PUBLISHED:
        values["published_at"] = None
    result = db.session.execute(
        update(Submission)
        .where(Submission.id == submission.id, Submission.version == version,
               Submission.state == from_state.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(submission)
        raise WorkflowError("stale", submission, to_state)
    for name, value in values.items():
        set_committed_value(submission, name, value)
    audit.record(submission, "state", actor, from_state=from_state.value,
                 to_state=to_state.value, message=message)
    if notify:
        queue_move_emails(submission, to_state, message)
    return submission


def queue_move_emails(submission: Submission, to_state: State, message: str = "") -> None:
    """Queue the messages a move implies, once per move (deduplicated by version)."""
    invitation = submission.invitation
    context = invitee_context(invitation, message=message)
    key = f"{submission.id}:{submission.version}"

    def to_invitee(kind: MailKind, **extra) -> None:
        queue_templated(kind, Recipient.invitee(invitation), submission=submission,
                        dedupe_key=f"{kind}:{key}", **context, **extra)

    if to_state == State.SUBMITTED:
        to_invitee(MailKind.RECEIPT)
        review_url = absolute_url("review.submission", submission_id=submission.id)
        for blogger in Recipient.bloggers():
            queue_templated(MailKind.NEW_SUBMISSION, blogger, submission=submission,
                            dedupe_key=f"new_submission:{key}:{blogger.address}",
                            review_url=review_url, **context)
    elif to_state in (State.CHANGES_REQUESTED, State.APPROVED, State.REJECTED):
        to_invitee(MailKind(to_state.value))
    elif to_state == State.PUBLISHED and submission.slug:
        to_invitee(
            MailKind.PUBLISHED,
            post_url=absolute_url("public.portrait", slug=submission.slug),
            pdf_url=absolute_url("public.portrait_pdf", slug=submission.slug),
        )

"""Every move of the state machine, and races between two bloggers."""

import threading
from itertools import product

import pytest
from sqlalchemy import func, select

from intake.enums import TRANSITIONS, State
from intake.extensions import db
from intake.models import AuditEvent, OutboxMessage, Submission
from intake.workflow.transitions import WorkflowError, set_state
from tests.support.factories import make_submission

ALL_MOVES = list(product(State, State))


@pytest.mark.parametrize(("from_state", "to_state"), ALL_MOVES,
                         ids=[f"{a.value}->{b.value}" for a, b in ALL_MOVES])
def test_set_state_allows_exactly_the_drawn_moves(app, from_state, to_state):
    submission = make_submission(from_state)
    version = submission.version
    allowed = to_state in TRANSITIONS[from_state]
    if allowed:
        set_state(submission, to_state, "tester", notify=False)
        db.session.commit()
        db.session.rollback()
        stored = db.session.get(Submission, submission.id)
        assert (stored.state, stored.version) == (to_state.value, version + 1)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "state"))
        assert (event.from_state, event.to_state, event.actor) == (
            from_state.value, to_state.value, "tester")
    else:
        with pytest.raises(WorkflowError) as error:
            set_state(submission, to_state, "tester", notify=False)
        assert error.value.code == "not_allowed"
        db.session.rollback()
        assert db.session.get(Submission, submission.id).state == from_state.value


def test_set_state_stale_version_refused(app):
    submission = make_submission(State.SUBMITTED)
    with pytest.raises(WorkflowError) as error:
        set_state(submission, State.APPROVED, "tester", expected_version=submission.version - 1)
    assert error.value.code == "stale"


def test_set_state_stamps_timestamps(app):
    submission = make_submission(State.SUBMITTED)
    set_state(submission, State.APPROVED, "tester", notify=False)
    db.session.commit()
    assert db.session.get(Submission, submission.id).approved_at is not None


def test_two_concurrent_approvals_give_one_approval_and_one_email(app):
    submission = make_submission(State.SUBMITTED)
    submission_id, version = submission.id, submission.version
    barrier = threading.Barrier(2, timeout=30)
    outcomes = []

    def approve():
        # Both pages showed `version`; both POSTs arrive at the same moment.
        barrier.wait()
        with app.test_request_context(method="POST"):
            item = db.session.get(Submission, submission_id)
            try:
                set_state(item, State.APPROVED, "blogger", expected_version=version)
                db.session.commit()
                outcomes.append("approved")
            except WorkflowError as error:
                db.session.rollback()
                outcomes.append(error.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()  # end this session's read snapshot
    assert sorted(outcomes) == ["approved", "stale"]
    assert db.session.get(Submission, submission_id).version == version + 1
    approvals = db.session.scalar(select(func.count(AuditEvent.id))
                                  .where(AuditEvent.to_state == "approved"))
    emails = db.session.scalar(select(func.count(OutboxMessage.id))
                               .where(OutboxMessage.kind == "approved"))
    assert (approvals, emails) == (1, 1)

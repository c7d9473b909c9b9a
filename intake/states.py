"""Submission states and the moves allowed between them."""

from enum import StrEnum


class State(StrEnum):
    """Where a submission stands in the flow drawn in DESIGN.md."""

    INVITED = "invited"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    REVOKED = "revoked"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"


TRANSITIONS: dict[State, frozenset[State]] = {
    State.INVITED: frozenset(
        {State.IN_PROGRESS, State.REVOKED, State.EXPIRED, State.WITHDRAWN}
    ),
    State.IN_PROGRESS: frozenset(
        {State.SUBMITTED, State.WITHDRAWN, State.REVOKED, State.EXPIRED}
    ),
    State.SUBMITTED: frozenset({State.APPROVED, State.CHANGES_REQUESTED, State.REJECTED}),
    State.CHANGES_REQUESTED: frozenset({State.SUBMITTED, State.WITHDRAWN, State.REVOKED}),
    State.APPROVED: frozenset({State.PUBLISHED, State.CHANGES_REQUESTED, State.REJECTED}),
    State.PUBLISHED: frozenset({State.APPROVED}),
    State.EXPIRED: frozenset({State.INVITED, State.IN_PROGRESS}),
    State.REVOKED: frozenset(),
    State.WITHDRAWN: frozenset(),
    State.REJECTED: frozenset(),
}

# States in which the invitee's link opens an editable questionnaire.
EDITABLE = frozenset({State.INVITED, State.IN_PROGRESS, State.CHANGES_REQUESTED})
# States in which the invitee's link still opens something (read-only or editable).
LINK_ALIVE = EDITABLE | {State.SUBMITTED, State.APPROVED, State.PUBLISHED, State.REJECTED}
# States in which automatic reminders may still go out.
REMINDABLE = frozenset({State.INVITED, State.IN_PROGRESS})


def can_move(from_state: State | str, to_state: State | str) -> bool:
    """Say whether the flow allows moving from one state to another."""
    return State(to_state) in TRANSITIONS[State(from_state)]

"""Every state of a submission with the moves allowed between them, and their labels."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


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
# States in which the blogger may push an invitation's expiry back.
EXTENDABLE = REMINDABLE | {State.EXPIRED, State.CHANGES_REQUESTED}
# Invitations whose link the blogger may still renew (extend, regenerate): never one that was
# revoked, withdrawn or rejected.
RENEWABLE = (LINK_ALIVE - {State.REJECTED}) | {State.EXPIRED}


def can_move(from_state: State | str, to_state: State | str) -> bool:
    """Say whether the flow allows moving from one state to another."""
    return State(to_state) in TRANSITIONS[State(from_state)]


# Labels ----------------------------------------------------------------------------------

STATE_LABELS = {
    State.INVITED: _l("Invité"),
    State.IN_PROGRESS: _l("En cours"),
    State.SUBMITTED: _l("Soumis"),
    State.CHANGES_REQUESTED: _l("Modifications demandées"),
    State.APPROVED: _l("Approuvé"),
    State.PUBLISHED: _l("Publié"),
    State.REVOKED: _l("Révoqué"),
    State.EXPIRED: _l("Expiré"),
    State.WITHDRAWN: _l("Retiré"),
    State.REJECTED: _l("Refusé"),
}


def state_label(state: str) -> str:
    """Return the label of a state in the page language."""
    try:
        return str(STATE_LABELS[State(state)])
    except ValueError:
        return state


ACTION_LABELS = {
    "invited": _l("Invitation créée"),
    "email": _l("Courriel mis en file"),
    "link_regenerated": _l("Nouveau lien"),
    "extended": _l("Échéance prolongée"),
    "settings": _l("Billet modifié"),
    "edit_answers": _l("Réponses retouchées"),
    "crop": _l("Recadrage de la photo"),
    "proof_sent": _l("Épreuve envoyée"),
    "proof_confirmed": _l("Épreuve confirmée"),
    "proof_commented": _l("Épreuve commentée"),
}


def action_label(action: str) -> str:
    """Return the label of an audit action in the page language, the code when unknown."""
    label = ACTION_LABELS.get(action)
    return str(label) if label else action

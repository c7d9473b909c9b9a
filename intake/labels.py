"""Human names of states and actions, in both languages."""

from flask_babel import lazy_gettext as _l

from intake.states import State

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

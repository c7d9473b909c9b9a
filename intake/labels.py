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

"""The blogger's blueprint: the login wall and the menu; every page behind it."""

from flask import Blueprint, current_app, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from intake.enums import action_label, state_label
from intake.questionnaire.handles import NETWORKS

bp = Blueprint("review", __name__, url_prefix="/admin")

NAV = [
    ("review.invitations", _l("Invitations")),
    ("review.questionnaire", _l("Questionnaire")),
    ("review.outbox", _l("Courriels")),
    ("auth.account", _l("Compte")),
]


@bp.app_context_processor
def navigation():
    """Give templates the blogger menu, limited to the pages that exist."""

    def admin_nav():
        return [(e, label) for e, label in NAV if e in current_app.view_functions]

    def has_endpoint(name: str) -> bool:
        return name in current_app.view_functions

    def network_label(network: str) -> str:
        return str(NETWORKS.get(network, network))

    return {"admin_nav": admin_nav, "state_label": state_label, "action_label": action_label,
            "has_endpoint": has_endpoint, "network_label": network_label}


@bp.before_request
@login_required
def require_login():
    """Send anonymous visitors to the login page, and a first login to the welcome step."""
    if current_user.welcomed_at is None:
        return redirect(url_for("auth.welcome"))
    return None

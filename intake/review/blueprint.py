"""The blogger's blueprint: the login wall, the menu, the template helpers, and refusals."""

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from intake.enums import (
    PREVIEW_STATES,
    PROOF_STATES,
    REVIEWABLE,
    Decision,
    ProofStatus,
    action_label,
    actor_label,
    allowed_decisions,
    decision_label,
    mail_kind_label,
    outbox_label,
    proof_label,
    push_label,
    state_label,
)
from intake.errors import Refused
from intake.extensions import db
from intake.mail.wording import error_in_words
from intake.questionnaire.handles import NETWORKS
from intake.submissions.proof import proof_answered
from intake.wordpress.client import reason

bp = Blueprint("review", __name__, url_prefix="/admin")

NAV = [
    ("review.invitations", _l("Invitations")),
    ("review.series_list", _l("Séries")),
    ("review.outbox", _l("Courriels")),
    ("review.wordpress", _l("WordPress")),
    ("auth.account", _l("Compte")),
]
# Where a refused POST goes back to: the page of what its URL names.
BACK = [("submission_id", "review.submission"), ("invitation_id", "review.invitation"),
        ("message_id", "review.outbox_message"), ("push_id", "review.wordpress")]


@bp.app_context_processor
def navigation():
    """Give templates the blogger menu, the labels of states and statuses, and the moves."""

    def admin_nav():
        return [(e, label) for e, label in NAV if e in current_app.view_functions]

    def has_endpoint(name: str) -> bool:
        return name in current_app.view_functions

    def network_label(network: str) -> str:
        return str(NETWORKS.get(network, network))

    return {"admin_nav": admin_nav, "state_label": state_label, "action_label": action_label,
            "actor_label": actor_label, "proof_answered": proof_answered,
            "has_endpoint": has_endpoint, "network_label": network_label,
            "kind_label": mail_kind_label, "status_label": outbox_label,
            "error_in_words": error_in_words, "proof_label": proof_label,
            "decision_label": decision_label, "allowed_decisions": allowed_decisions,
            "Decision": Decision, "ProofStatus": ProofStatus, "PROOF_STATES": PROOF_STATES,
            "PREVIEW_STATES": PREVIEW_STATES,
            "REVIEWABLE": REVIEWABLE, "push_label": push_label, "push_reason": push_reason}


def push_reason(row) -> str:
    """Return why a push to WordPress failed, in words."""
    return reason(row.error_code, row.error_detail)


@bp.before_request
@login_required
def require_login():
    """Send anonymous visitors to the login page, and a first login to the welcome step."""
    if current_user.welcomed_at is None:
        return redirect(url_for("auth.welcome"))
    return None


@bp.errorhandler(Refused)
def refused(error: Refused):
    """Undo a refused change, say why, and go back to the page it came from (303)."""
    db.session.rollback()
    flash(str(error.message), "error")
    args = request.view_args or {}
    for name, endpoint in BACK:
        if name in args:
            return redirect(url_for(endpoint, **{name: args[name]}), code=303)
    return redirect(url_for("review.dashboard"), code=303)

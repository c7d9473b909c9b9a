"""The invitee checks the edited portrait before publication: confirm or comment."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from intake.addressing import tu_vous
from intake.extensions import db
from intake.models import Submission
from intake.publishing.view import portrait_view
from intake.respond.blueprint import InvalidLink, bp, load
from intake.submissions.proof import answer_proof


def proof_submission(token: str) -> Submission:
    """Return the submission whose proof this live link opens, or raise the invalid-link 404."""
    submission = load(token).submission
    if submission is None or not submission.proof_status:
        raise InvalidLink()
    return submission


@bp.get("/<token>/proof")
def proof(token: str):
    """Show the portrait as it will be published, with confirm and comment buttons."""
    submission = proof_submission(token)
    return render_template("respond/proof.html", submission=submission, token=token,
                           portrait=portrait_view(submission))


@bp.post("/<token>/proof")
def proof_answer(token: str):
    """Record the invitee's confirmation or comment on the proof."""
    submission = proof_submission(token)
    answer_proof(submission, request.form.get("decision") == "confirm",
                 request.form.get("comment", ""))
    db.session.commit()
    flash(tu_vous(_("Merci! Ta réponse a été transmise."),
                  _("Merci! Votre réponse a été transmise.")), "success")
    return redirect(url_for("respond.proof", token=token), code=303)

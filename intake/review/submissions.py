"""Reviewing one submission: see it, edit it, decide, erase."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from intake.database import commit_retrying
from intake.enums import Decision, PhotoKind, state_label
from intake.extensions import db
from intake.models import AuditEvent, OutboxMessage, Submission
from intake.numbers import bounded_int
from intake.publishing import renditions
from intake.publishing.series_text import english_series_missing
from intake.review.blueprint import bp
from intake.review.forms import CropForm, DecisionForm, EraseForm, SettingsForm
from intake.review.wordpress_forms import PushForm
from intake.submissions import decisions, editing, erasure, proof
from intake.submissions.editing import AnswerEdit, EditRefused
from intake.wordpress import queue


def load(submission_id: int) -> Submission:
    """Return the submission or answer 404."""
    return db.session.get(Submission, submission_id) or abort(404)


def back(submission: Submission):
    """Redirect to the submission page (POST → 303 → GET)."""
    return redirect(url_for("review.submission", submission_id=submission.id), code=303)


@bp.get("/submissions/<int:submission_id>")
def submission(submission_id: int):
    """Show everything about a submission, with the edit and decision forms."""
    item = load(submission_id)
    timeline = db.session.scalars(select(AuditEvent).where(AuditEvent.submission_id == item.id)
                                  .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    emails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.submission_id == item.id)
                                .order_by(OutboxMessage.created_at.desc()))
    return render_template(
        "review/submission.html", item=item, timeline=list(timeline), emails=list(emails),
        settings=SettingsForm(obj=item), decision=DecisionForm(version=item.version),
        crop=CropForm(data=(item.photo(PhotoKind.PORTRAIT).crop
                            if item.photo(PhotoKind.PORTRAIT) else None)),
        changes=editing.changes_since_last_submit(item), diff=editing.word_diff,
        english_series_missing=english_series_missing(item.invitation.language,
                                                      item.invitation.series),
        push_form=PushForm(formdata=None), wordpress=queue.push_panel(item),
        pdf=renditions.pdf_state(item),
    )


@bp.post("/submissions/<int:submission_id>/settings")
def save_settings(submission_id: int):
    """Save title, slug, date, introduction and proof wish; never changes the state."""
    item, form = load(submission_id), SettingsForm()
    if not form.validate():
        raise EditRefused("invalid")
    editing.save_settings(item, current_user, title=form.title.data or "",
                          slug=form.slug.data or "", editor_intro=form.editor_intro.data or "",
                          publication_date=form.publication_date.data,
                          proof_requested=form.proof_requested.data)
    db.session.commit()
    flash(_("Modifications enregistrées."), "success")
    return back(item)


@bp.post("/submissions/<int:submission_id>/answers")
def save_answers(submission_id: int):
    """Save the edited answers, hidden flags and order; the invitee's originals stay."""
    item = load(submission_id)
    edits = [
        AnswerEdit(answer.id, request.form.get(f"text-{answer.id}", answer.published_body),
                   request.form.get(f"hidden-{answer.id}") == "on",
                   request.form.get(f"position-{answer.id}", answer.position,
                                    type=bounded_int))
        for answer in item.answers
    ]
    count = editing.save_answer_edits(item, current_user, edits)
    db.session.commit()
    flash(ngettext("%(num)d réponse modifiée.", "%(num)d réponses modifiées.", count)
          if count else _("Aucune réponse modifiée."), "success")
    return back(item)


@bp.post("/submissions/<int:submission_id>/crop")
def save_crop(submission_id: int):
    """Store the square crop of the portrait photo."""
    item, form = load(submission_id), CropForm()
    if not form.validate():
        raise EditRefused("range")
    editing.save_crop(item, current_user, form.x.data, form.y.data, form.size.data)
    db.session.commit()
    flash(_("Recadrage enregistré."), "success")
    return back(item)


@bp.post("/submissions/<int:submission_id>/decide/<action>")
def decide(submission_id: int, action: str):
    """Apply a decision; a stale page or a refused move is explained, never applied."""
    item, form = load(submission_id), DecisionForm()
    if action not in set(Decision) or not form.validate():
        abort(400)
    decisions.decide(item, Decision(action), current_user, form.version_number(),
                     form.message.data or "")
    db.session.commit()
    flash(_("C’est fait : le portrait est maintenant « %(state)s ».",
            state=state_label(item.state)), "success")
    return back(item)


@bp.post("/submissions/<int:submission_id>/proof")
def send_proof(submission_id: int):
    """Email the invitee a link to check the edited portrait."""
    item = load(submission_id)
    proof.send_proof(item, current_user)
    db.session.commit()
    flash(_("Épreuve envoyée à la personne."), "success")
    return back(item)


@bp.route("/submissions/<int:submission_id>/erase", methods=["GET", "POST"])
def erase(submission_id: int):
    """Ask for confirmation, then erase the person and everything about them."""
    item, form = load(submission_id), EraseForm()
    if form.validate_on_submit():
        if form.confirm.data.strip().lower() == item.invitation.email.lower():
            commit_retrying(lambda: erasure.erase_person(load(submission_id), current_user))
            flash(_("La personne et toutes ses données ont été effacées."), "success")
            return redirect(url_for("review.dashboard"), code=303)
        form.confirm.errors.append(_("L’adresse ne correspond pas à celle de la personne."))
    return render_template("review/erase.html", item=item, form=form)


@bp.get("/submissions/<int:submission_id>/photo/<kind>")
def photo(submission_id: int, kind: str):
    """Serve a submission's stored photo to the blogger."""
    stored = load(submission_id).photo(kind) or abort(404)
    response = make_response(stored.data)
    response.headers.update({"Content-Type": stored.mime, "Cache-Control": "private, no-store",
                             "Content-Disposition": "inline"})
    return response

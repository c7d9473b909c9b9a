"""The blogger's invitation pages: list, invite with a previewed email, and follow-ups."""

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from intake.enums import State
from intake.extensions import db
from intake.invitations import emails, operations, reminders
from intake.links import invitation_link, sample_invitation_link
from intake.mail.placeholders import fill_placeholders
from intake.models import Invitation, OutboxMessage, utcnow
from intake.questionnaire.series import all_series, find_series
from intake.review.blueprint import bp
from intake.review.invitation_forms import (
    ConfirmForm,
    ExtendForm,
    InvitationForm,
    MessageForm,
    extra_question_lines,
)

TEMPLATES = "review/invitations/"


@bp.get("/invitations")
def invitations():
    """List every invitation with its state, last email, reminders and expiry."""
    state = request.args.get("state") or None
    if state not in {s.value for s in State}:
        state = None
    return render_template(TEMPLATES + "list.html", rows=operations.list_invitations(state),
                           state=state, states=list(State), now=utcnow(),
                           series_list=all_series())


def with_series(form: InvitationForm) -> InvitationForm:
    """Give the form its series to choose from, the default one (or `?series=`) chosen."""
    form.series.choices = [(series.slug, series.title_fr) for series in all_series()]
    if not form.series.data and form.series.choices:
        form.series.data = request.args.get("series") or form.series.choices[0][0]
    return form


@bp.get("/invitations/new")
def invitation_new():
    """Show the form to invite someone."""
    form = with_series(InvitationForm(expires_days=current_app.config["INVITATION_DAYS"]))
    return render_template(TEMPLATES + "new.html", form=form)


@bp.post("/invitations/preview")
def invitation_preview():
    """Preview and edit the email; on 'send', create the invitation and queue it."""
    form, person = with_series(MessageForm()), with_series(InvitationForm())
    action = request.form.get("action", "preview")
    if action == "edit" or not person.validate():
        return render_template(TEMPLATES + "new.html", form=person)
    if not (form.body.data or "").strip():
        form.subject.data, form.body.data = emails.default_message(
            form.language.data, form.note.data, author=blogger(),
            series=find_series(form.series.data))
        return render_preview(form)
    if not form.validate() or action != "send":
        return render_preview(form)
    invitation = create_from(form)
    db.session.commit()
    remember_link(invitation)
    flash(_("Invitation créée; le courriel part dès que possible."), "success")
    return redirect(url_for("review.invitation", invitation_id=invitation.id), code=303)


def create_from(form: MessageForm) -> Invitation:
    """Create the invitation of a checked form and queue its edited email."""
    invitation, _token = operations.create_invitation(
        name=form.name.data, email=form.email.data, language=form.language.data,
        organisation=form.organisation.data or "", note=form.note.data or "",
        extra_questions=extra_question_lines(form.extra_questions.data),
        expires_days=form.expires_days.data, created_by=blogger(),
        series=find_series(form.series.data))
    emails.queue_invitation_email(invitation, subject=form.subject.data, body=form.body.data,
                                   actor=blogger())
    return invitation


def render_preview(form: MessageForm):
    """Render the preview page: the editable message and what the person will read."""
    language = form.language.data if form.language.data in ("fr", "en") else "fr"
    with force_locale(language):
        expires = format_date(utcnow() + timedelta(days=form.expires_days.data or 1), "long")
    values = {"name": form.name.data or "", "expires": expires,
              "link": sample_invitation_link()}
    return render_template(
        TEMPLATES + "preview.html", form=form, language=language,
        preview_subject=fill_placeholders(form.subject.data or "", values),
        preview_body=fill_placeholders(form.body.data or "", values),
        questions=extra_question_lines(form.extra_questions.data))


def remember_link(invitation: Invitation) -> None:
    """Mark the invitation whose link the detail page shows once: the session (a signed, not
    encrypted cookie) holds its id, never the link, which is recomputed there."""
    session["new_link"] = invitation.id


@bp.get("/invitations/<int:invitation_id>")
def invitation(invitation_id: int):
    """Show one invitation, its emails, and the follow-up actions."""
    invitation = db.get_or_404(Invitation, invitation_id)
    fresh = session.pop("new_link", None) == invitation.id
    new_link = invitation_link(invitation) if fresh else None
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.submission_id == invitation.submission.id)
        .order_by(OutboxMessage.id.desc())).all()
    return render_template(
        TEMPLATES + "detail.html", invitation=invitation, new_link=new_link, messages=messages,
        extend_form=ExtendForm(), action_form=ConfirmForm(), now=utcnow(),
        can_link=operations.can_receive_link(invitation),
        can_remind=reminders.can_remind(invitation),
        next_reminder=reminders.next_reminder_at(invitation))


def back_to(invitation_id: int):
    """Redirect to an invitation's page after a POST."""
    return redirect(url_for("review.invitation", invitation_id=invitation_id), code=303)


def blogger():
    """Return the logged-in blogger (the actor of the follow-ups)."""
    return current_user._get_current_object()


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["GET", "POST"])
def invitation_revoke(invitation_id: int):
    """Ask for confirmation, then revoke: the link dies and reminders stop."""
    invitation, form = db.get_or_404(Invitation, invitation_id), ConfirmForm()
    if not form.validate_on_submit():
        return render_template(TEMPLATES + "confirm.html", invitation=invitation, form=form,
                               action="revoke")
    operations.revoke(invitation, actor=blogger())
    db.session.commit()
    flash(_("Invitation révoquée : le lien ne fonctionne plus."), "success")
    return back_to(invitation_id)


@bp.route("/invitations/<int:invitation_id>/regenerate", methods=["GET", "POST"])
def invitation_regenerate(invitation_id: int):
    """Ask for confirmation, then replace the link and email the new one."""
    invitation, form = db.get_or_404(Invitation, invitation_id), ConfirmForm()
    if not form.validate_on_submit():
        return render_template(TEMPLATES + "confirm.html", invitation=invitation, form=form,
                               action="regenerate")
    operations.regenerate_link(invitation, actor=blogger())
    db.session.commit()
    remember_link(invitation)
    flash(_("Nouveau lien créé et envoyé; l’ancien ne fonctionne plus."), "success")
    return back_to(invitation_id)


@bp.post("/invitations/<int:invitation_id>/extend")
def invitation_extend(invitation_id: int):
    """Push the expiry back by the number of days given."""
    invitation, form = db.get_or_404(Invitation, invitation_id), ExtendForm()
    if not form.validate_on_submit():
        flash(_("Indiquez un nombre de jours entre 1 et 365."), "error")
        return back_to(invitation_id)
    operations.extend(invitation, form.days.data, actor=blogger())
    db.session.commit()
    flash(_("Validité prolongée."), "success")
    return back_to(invitation_id)


@bp.post("/invitations/<int:invitation_id>/resend")
def invitation_resend(invitation_id: int):
    """Queue the invitation email again."""
    invitation = db.get_or_404(Invitation, invitation_id)
    if ConfirmForm().validate_on_submit():
        operations.resend(invitation, actor=blogger())
        db.session.commit()
        flash(_("Invitation renvoyée."), "success")
    return back_to(invitation_id)


@bp.post("/invitations/<int:invitation_id>/remind")
def invitation_remind(invitation_id: int):
    """Queue a reminder now."""
    invitation = db.get_or_404(Invitation, invitation_id)
    if ConfirmForm().validate_on_submit():
        reminders.remind_now(invitation, actor=blogger())
        db.session.commit()
        flash(_("Rappel envoyé."), "success")
    return back_to(invitation_id)

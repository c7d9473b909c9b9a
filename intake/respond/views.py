"""The invitee's pages, reached through the tokenised link.

GET never changes anything (mail scanners open links); every POST saves what it can before
anything else can go wrong, and a page that cannot save re-renders with what was typed.
"""

from flask import (
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime, format_time
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from intake.addressing import tu_vous
from intake.database import reading
from intake.enums import EDITABLE, State, invitee_state_label
from intake.errors import Refused, render_csrf_error, render_error
from intake.extensions import db
from intake.questionnaire.drafts import PhotoDraft, QuestionnaireError, form_version, save_draft
from intake.questionnaire.handles import NETWORKS
from intake.questionnaire.structure import (
    IDENTITY_LIMITS,
    PHOTO_KINDS,
    all_questions,
    answer_field,
    questions_for,
)
from intake.questionnaire.submit import save_and_submit, withdraw
from intake.request_limits import TooManyFields
from intake.respond.blueprint import (
    TooManySaves,
    bp,
    invalid_link,
    load,
    open_from_request,
    wants_json,
)
from intake.respond.forms import (
    NewLinkForm,
    build_form,
    draft_values,
    page_version,
    uploaded_photos,
)
from intake.respond.page_fields import page_form
from intake.respond.page_shapes import questionnaire_html, shown_photo
from intake.respond.page_text import page_text, text_key


def post_url(submission) -> str:
    """Return the public address of a published portrait, when the public pages exist."""
    if submission.state != State.PUBLISHED or not submission.slug:
        return ""
    if "public.portrait" not in current_app.view_functions:
        return ""
    return url_for("public.portrait", slug=submission.slug)


def render_page(token: str, invitation, form, questions, errors=None, message=None,
                status=200):
    """Render the editable questionnaire with the given values (a posted form, or the stored
    values as a PageForm), errors and notice."""
    return questionnaire_html(page_context(token, invitation, form, questions, errors,
                                           message)), status


def page_context(token: str, invitation, form, questions, errors=None, message=None) -> dict:
    """Return what the questionnaire template shows; puts the errors on the form's fields."""
    submission = invitation.submission
    form.populate_errors(errors or {})
    form.version.data = str(form_version(submission))
    sections = questions_for(submission, questions)
    questions = [q for section in sections for q in section.questions]
    answered = sum(1 for q in questions if (form[answer_field(q.id)].data or "").strip())
    saved = submission.last_saved_at
    return dict(
        token=token, invitation=invitation, person_name=invitation.name,
        submission=submission, form=form, sections=sections, message=message,
        answered=answered, total=len(questions), networks=NETWORKS,
        summary_items=summary_items(form, questions),
        saved_label=format_datetime(saved, "d MMMM, HH:mm") if saved else "",
        photos={kind: shown_photo(submission.photo(kind)) for kind in PHOTO_KINDS},
        **page_text(text_key()))


def summary_items(form, questions) -> list[tuple[str, str, str]]:
    """Return (field id, label, message) for each error, in the order of the page."""
    names = [*IDENTITY_LIMITS, *(answer_field(q.id) for q in questions),
             *(f"link_{network}" for network in NETWORKS),
             *(f"{part}_{kind}" for kind in PHOTO_KINDS for part in ("photo", "caption", "credit")),
             "consent"]
    return [(form[name].id, str(form[name].label.text), str(message))
            for name in names if name in form for message in form[name].errors]


@bp.get("/<token>")
def questionnaire(token: str):
    """Show the questionnaire, or a read-only copy of what was sent and where it stands."""
    invitation = load(token)
    submission = invitation.submission
    if submission.state not in EDITABLE:
        revision = submission.revisions[-1] if submission.revisions else None
        return render_template("respond/sent.html", token=token, invitation=invitation,
                               submission=submission, revision=revision, networks=NETWORKS,
                               state_label=invitee_state_label(submission.state),
                               post_url=post_url(submission))
    questions = all_questions(submission)
    return render_page(token, invitation, page_form(submission, questions), questions)


def decoded_photos(token: str) -> dict[str, PhotoDraft]:
    """Return the request's new images decoded and re-encoded, the link checked first in a
    read-only transaction: no write transaction is open while Pillow works, so on SQLite
    nobody else's save waits for this upload."""
    photos = uploaded_photos()
    if photos:
        with reading():
            load(token)
        for photo in photos.values():
            photo.decode()
    return photos


@bp.post("/<token>/save")
@bp.post("/<token>/photo/<kind>")
def save(token: str, kind: str | None = None):
    """Save the draft (autosave, the save button or a photo upload), then come back to it."""
    photos = decoded_photos(token)
    invitation = load(token)
    submission, questions = invitation.submission, all_questions(invitation.submission)
    form = build_form(submission, questions, posted=True)
    errors = save_draft(submission, draft_values(form, questions, photos), questions=questions,
                        expected_version=page_version(form))
    db.session.commit()
    if kind in PHOTO_KINDS and submission.photo(kind) is None:
        errors.setdefault(f"photo_{kind}", tu_vous(
            _("Choisis d’abord une image sur ton appareil."),
            _("Choisissez d’abord une image sur votre appareil.")))
    if wants_json():
        return jsonify(saved_at=format_time(submission.last_saved_at, "HH:mm"),
                       version=form_version(submission),
                       errors={name: str(message) for name, message in errors.items()})
    if errors:
        return render_page(token, invitation, form, questions, errors, status=422)
    flash(tu_vous(_("Tes réponses sont enregistrées. Reviens quand tu veux avec le même lien."),
                  _("Vos réponses sont enregistrées. Revenez quand vous voulez avec le même "
                    "lien.")), "success")
    anchor = f"photos-{kind}" if kind in PHOTO_KINDS else None
    return redirect(url_for(".questionnaire", token=token, _anchor=anchor), code=303)


@bp.post("/<token>/submit")
def submit(token: str):
    """Save the page's values and send them to the blogger, once."""
    photos = decoded_photos(token)
    invitation = load(token)
    submission, questions = invitation.submission, all_questions(invitation.submission)
    form = build_form(submission, questions, posted=True)
    missing = save_and_submit(submission, draft_values(form, questions, photos),
                              questions=questions, expected_version=page_version(form),
                              consent=form.consent.data)
    db.session.commit()  # keeps every valid value of an incomplete page too
    if missing:
        message = tu_vous(_("Tes réponses sont enregistrées, mais pas encore envoyées : il "
                            "manque quelques éléments."),
                          _("Vos réponses sont enregistrées, mais pas encore envoyées : il "
                            "manque quelques éléments."))
        return render_page(token, invitation, form, questions, missing, message, status=422)
    flash(tu_vous(_("Merci! Tes réponses ont été envoyées. Tu recevras une confirmation par "
                    "courriel."),
                  _("Merci! Vos réponses ont été envoyées. Vous recevrez une confirmation par "
                    "courriel.")), "success")
    return redirect(url_for(".questionnaire", token=token), code=303)


@bp.post("/<token>/withdraw")
def withdraw_participation(token: str):
    """Withdraw from the series after an explicit confirmation; the link then closes."""
    invitation = load(token)
    if request.form.get("confirm") != "yes":
        flash(tu_vous(_("Coche la case de confirmation pour retirer ta participation."),
                      _("Cochez la case de confirmation pour retirer votre participation.")),
              "error")
        return redirect(url_for(".questionnaire", token=token, _anchor="withdraw"), code=303)
    withdraw(invitation.submission)
    db.session.commit()
    return render_template("respond/withdrawn.html", invitation=invitation)


@bp.get("/<token>/photos/<kind>.jpg")
def photo(token: str, kind: str):
    """Serve a stored photo to its owner: a clean JPEG, never cached, never sniffed."""
    invitation = load(token)
    stored = invitation.submission.photo(kind)
    if stored is None:
        raise NotFound()
    response = make_response(stored.data)
    response.headers["Content-Type"] = "image/jpeg"
    response.headers["Content-Disposition"] = f'inline; filename="{kind}.jpg"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def page_again(invitation, message: str, status: int):
    """Re-show the questionnaire with what was typed (nothing was saved) and a notice."""
    questions = all_questions(invitation.submission)
    form = build_form(invitation.submission, questions, posted=True)
    token = (request.view_args or {}).get("token", "")
    return render_page(token, invitation, form, questions, message=message, status=status)


@bp.errorhandler(Refused)
def refused(error: Refused):
    """Undo a save, submit, withdrawal or proof answer refused as a whole and say why: in
    JSON to the autosave, on the page again with what was typed when it was out of date,
    else as a notice back on the questionnaire or the proof (303)."""
    db.session.rollback()
    message = str(error.message)
    if wants_json():
        return jsonify(error=error.code, message=message), 409
    if isinstance(error, QuestionnaireError) and error.code != "already_submitted":
        invitation = open_from_request()
        return invalid_link(error) if invitation is None else page_again(invitation, message, 409)
    flash(message, "info")
    endpoint = ".proof" if request.endpoint == "respond.proof_answer" else ".questionnaire"
    return redirect(url_for(endpoint, token=request.view_args["token"]), code=303)


@bp.errorhandler(CSRFError)
def form_expired(error):
    """Re-show the page with what was typed when its form token expired; nothing is saved."""
    if request.endpoint == "respond.new_link":
        message = tu_vous(_("Ta session a expiré, alors rien n’a été envoyé. Envoie de nouveau "
                            "ta demande."),
                          _("Votre session a expiré, alors rien n’a été envoyé. Envoyez de "
                            "nouveau votre demande."))
        return render_template("respond/new_link.html", form=NewLinkForm(),
                               message=message), 400
    invitation = open_from_request()
    if invitation is None:
        return invalid_link(error)
    message = tu_vous(_("Ta session a expiré, alors rien n’a été enregistré. Tes réponses sont "
                        "toujours sur cette page : enregistre-les de nouveau."),
                      _("Votre session a expiré, alors rien n’a été enregistré. Vos réponses "
                        "sont toujours sur cette page : enregistrez-les de nouveau."))
    if wants_json():
        return jsonify(error="csrf", csrf_token=generate_csrf(), message=message), 400
    if invitation.submission.state not in EDITABLE:
        return render_csrf_error(error)
    return page_again(invitation, message, 400)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    """Explain a request over a limit without losing the questionnaire: too many fields, the
    autosave's text (it never carries a photo) or a photo over the size limit."""
    invitation = open_from_request()
    if invitation is None:
        return invalid_link(error)
    if isinstance(error, TooManyFields):
        message = error.message
    elif wants_json():
        mb = current_app.config["MAX_CONTENT_LENGTH"] // 2**20
        message = tu_vous(_("Ce que tu as tapé dépasse %(mb)d Mo : rien n’a été enregistré. "
                            "Raccourcis le dernier texte collé.", mb=mb),
                          _("Ce que vous avez tapé dépasse %(mb)d Mo : rien n’a été enregistré. "
                            "Raccourcissez le dernier texte collé.", mb=mb))
    else:
        message = tu_vous(_("Ce fichier est trop volumineux : une photo peut peser 10 Mo au "
                            "plus. Rien n’a été enregistré. Reviens en arrière, choisis une "
                            "image plus légère et réessaie."),
                          _("Ce fichier est trop volumineux : une photo peut peser 10 Mo au "
                            "plus. Rien n’a été enregistré. Revenez en arrière, choisissez une "
                            "image plus légère et réessayez."))
    if wants_json():
        return jsonify(error="too_large", message=message), 413
    token = request.view_args["token"]
    return render_template("respond/too_large.html", token=token, message=message), 413


@bp.errorhandler(TooManySaves)
def too_many_saves(error: TooManySaves):
    """Say that this link saved too often just now; nothing was saved: the autosave keeps the
    text and tries again after Retry-After, a plain form shows the page again as typed."""
    headers = {"Retry-After": str(error.retry_after)}
    if wants_json():
        message = _("Trop d’enregistrements en peu de temps : réessai dans un instant. Ce que "
                    "vous avez tapé reste sur cette page.")
        return jsonify(error="too_many_saves", message=message), 429, headers
    invitation = open_from_request()
    if invitation is None or request.endpoint not in ("respond.save", "respond.submit"):
        response = make_response(render_error(error))
        response.headers.update(headers)
        return response
    message = _("Trop d’enregistrements en peu de temps : rien n’a été enregistré cette fois. "
                "Vos réponses sont toujours sur cette page : réessayez dans une minute.")
    body, status = page_again(invitation, message, 429)
    return body, status, headers

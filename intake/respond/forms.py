"""The questionnaire form, built per person from their questions.

Field values are taken as typed: lengths and handles are checked by the service, which saves
what is valid and reports the rest, so no validator here may drop or cut a value.
"""

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, bindparam, cast, literal, select, union_all
from wtforms import BooleanField, EmailField, FileField, HiddenField, StringField, TextAreaField
from wtforms.validators import ValidationError

from intake.addressing import lazy_tu_vous, tu_vous
from intake.extensions import db
from intake.forms import IntakeForm
from intake.mail.addresses import MailError, checked_address
from intake.models import Answer, SocialLink, Submission
from intake.questionnaire.drafts import Draft, PhotoDraft, form_version
from intake.questionnaire.handles import NETWORKS
from intake.questionnaire.structure import (
    IDENTITY_LIMITS,
    PHOTO_KINDS,
    AskedQuestion,
    answer_field,
)


def limit_hint(limit: int):
    """Return the hint stating a length limit (shown without JavaScript too)."""
    return _l("Au plus %(max)d caractères.", max=limit)


class QuestionnaireBase(IntakeForm):
    """The fixed part of the questionnaire: who, photos, consent, page version."""

    version = HiddenField()
    display_name = StringField(
        lazy_tu_vous(_l("Ton nom, tel qu’il doit paraître"),
                     _l("Votre nom, tel qu’il doit paraître")), description=limit_hint(200)
    )
    role_title = StringField(
        _l("Titre ou poste"), description=_l("Par exemple : Gestionnaire de communauté.")
    )
    organisation = StringField(
        _l("Organisation(s) ou comptes gérés"),
        description=lazy_tu_vous(
            _l("Les marques, les organisations ou les comptes dont tu t’occupes. Au plus 300 "
               "caractères."),
            _l("Les marques, les organisations ou les comptes dont vous vous occupez. Au plus "
               "300 caractères.")),
    )
    photo_portrait = FileField(
        _l("Photo portrait"),
        description=_l("JPEG, PNG ou WebP, 10 Mo au plus. Les métadonnées de l’image (dont "
                       "la position GPS) sont retirées."),
    )
    caption_portrait = StringField(_l("Légende de la photo portrait"))
    credit_portrait = StringField(_l("Crédit de la photo portrait"),
                                  description=_l("Le nom de la personne qui a pris la photo."))
    photo_workspace = FileField(
        lazy_tu_vous(_l("Photo de ton espace de travail (facultative)"),
                     _l("Photo de votre espace de travail (facultative)")),
        description=_l("JPEG, PNG ou WebP, 10 Mo au plus."),
    )
    caption_workspace = StringField(_l("Légende de la photo de l’espace de travail"))
    credit_workspace = StringField(_l("Crédit de la photo de l’espace de travail"))
    consent = BooleanField(
        _l("J’accepte que mes réponses, mon nom, mes liens et mes photos soient publiés sur le "
           "blogue et dans sa version PDF, après relecture par l’auteur du blogue.")
    )


def build_form(submission: Submission, questions: list[AskedQuestion],
               posted: bool = False) -> QuestionnaireBase:
    """Return the form for a person's questions, filled from the request or from the database."""
    lang = submission.invitation.language

    class QuestionnaireForm(QuestionnaireBase):
        pass

    for question in questions:
        setattr(QuestionnaireForm, answer_field(question.id),
                TextAreaField(question.text(lang), description=question_hint(question, lang)))
    for network, label in NETWORKS.items():
        setattr(QuestionnaireForm, f"link_{network}", StringField(label))
    if posted:
        return QuestionnaireForm()  # Flask-WTF reads request.form and request.files
    return QuestionnaireForm(data=stored_values(submission))


def question_hint(question: AskedQuestion, lang: str) -> str:
    """Return a question's hint, with its length limit when the hint does not state it."""
    hint = question.help(lang)
    if question.max_length and str(question.max_length) not in hint:
        hint = f"{hint} {limit_hint(question.max_length)}".strip()
    return hint


# One plain read of the columns the page shows (it needs no Answer or SocialLink objects),
# built once: answers by question id and links by network, each row (kind, key, text).
STORED_TEXTS = union_all(
    select(literal("answer"), cast(Answer.question_id, String), Answer.body)
    .where(Answer.submission_id == bindparam("submission_id"), Answer.question_id.is_not(None)),
    select(literal("link"), SocialLink.network, SocialLink.url)
    .where(SocialLink.submission_id == bindparam("submission_id")),
)


def stored_values(submission: Submission) -> dict:
    """Return the saved values of a submission under the form's field names."""
    values = {name: getattr(submission, name) for name in IDENTITY_LIMITS}
    if submission.last_saved_at is None:  # never saved: start from what the blogger knows
        values["display_name"] = submission.display_name or submission.invitation.name
        values["organisation"] = submission.organisation or submission.invitation.organisation
    values.update({answer_field(int(key)) if kind == "answer" else f"link_{key}": text
                   for kind, key, text in db.session.execute(
                       STORED_TEXTS, {"submission_id": submission.id})})
    for photo in submission.photos:
        values[f"caption_{photo.kind}"] = photo.caption
        values[f"credit_{photo.kind}"] = photo.credit
    values["version"] = str(form_version(submission))
    return values


def uploaded_photos() -> dict[str, PhotoDraft]:
    """Return the request's new images by photo kind (read once, not decoded yet)."""
    found = {}
    for kind in PHOTO_KINDS:
        upload = request.files.get(f"photo_{kind}")
        if upload and upload.filename:
            found[kind] = PhotoDraft(upload.read())
    return found


def draft_values(form: QuestionnaireBase, questions: list[AskedQuestion],
                 uploads: dict[str, PhotoDraft]) -> Draft:
    """Return the form's values, with the request's new images (uploaded_photos), as the
    Draft that save_draft stores."""
    photos = {}
    for kind in PHOTO_KINDS:
        photos[kind] = uploads.get(kind) or PhotoDraft()
        photos[kind].caption = form[f"caption_{kind}"].data or ""
        photos[kind].credit = form[f"credit_{kind}"].data or ""
    return Draft(
        answers={q.id: form[answer_field(q.id)].data or "" for q in questions},
        identity={name: form[name].data or "" for name in IDENTITY_LIMITS},
        handles={network: form[f"link_{network}"].data or "" for network in NETWORKS},
        photos=photos,
    )


def page_version(form: QuestionnaireBase) -> int | None:
    """Return the version the page was rendered with, or None when absent or garbled."""
    value = (form.version.data or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def typed_address(form, field) -> None:
    """Refuse an empty field or what is not an email address, with a sentence for each."""
    if not (field.data or "").strip():
        raise ValidationError(tu_vous(
            _("Indique l’adresse courriel à laquelle tu as reçu l’invitation."),
            _("Indiquez l’adresse courriel à laquelle vous avez reçu l’invitation.")))
    try:
        checked_address(field.data)
    except MailError as error:
        raise ValidationError(tu_vous(
            _("Cette adresse courriel n’est pas valide. Vérifie-la, par exemple "
              "camille@exemple.org."),
            _("Cette adresse courriel n’est pas valide. Vérifiez-la, par exemple "
              "camille@exemple.org."))) from error


class NewLinkForm(IntakeForm):
    """The invalid-link page's request for a new link: only the person's address."""

    email = EmailField(lazy_tu_vous(_l("Ton adresse courriel"), _l("Votre adresse courriel")),
                       [typed_address],
                       description=lazy_tu_vous(_l("Celle à laquelle tu as reçu l’invitation."),
                                                _l("Celle à laquelle vous avez reçu "
                                                   "l’invitation.")))

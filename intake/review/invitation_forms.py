"""The blogger's invitation forms: who to invite, the message they will read, the follow-ups."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from intake.forms import IntakeForm
from intake.invitations.operations import EXTRA_QUESTION_MAX_LENGTH, MAX_EXTRA_QUESTIONS
from intake.mail.addresses import MailError, checked_address
from intake.mail.placeholders import has_link_placeholder
from intake.mail.placeholders import unknown_placeholders as find_unknown
from intake.questionnaire.series import SeriesError, find_series

LANGUAGE_CHOICES = [SelectChoice("fr", _l("Français")), SelectChoice("en", _l("Anglais"))]


def valid_email(form, field) -> None:
    """Refuse what is not an email address (email-validator, no DNS look-up)."""
    try:
        field.data = checked_address(field.data or "")
    except MailError as error:
        raise ValidationError(_l("Cette adresse courriel n’est pas valide.")) from error


def few_questions(form, field) -> None:
    """Allow at most MAX_EXTRA_QUESTIONS questions, one per line, each of a sane length."""
    lines = extra_question_lines(field.data)
    if len(lines) > MAX_EXTRA_QUESTIONS:
        raise ValidationError(
            _l("Au plus %(n)s questions, une par ligne.", n=MAX_EXTRA_QUESTIONS))
    if any(len(line) > EXTRA_QUESTION_MAX_LENGTH for line in lines):
        raise ValidationError(
            _l("Chaque question compte au plus %(n)s caractères.", n=EXTRA_QUESTION_MAX_LENGTH))


def extra_question_lines(text: str | None) -> list[str]:
    """Return the non-empty lines of the extra-questions box."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def offered_language(form, field) -> None:
    """Refuse a language the chosen series does not offer (and a series that does not exist)."""
    try:
        series = find_series(form.series.data)
    except SeriesError as error:
        raise ValidationError(error.message) from error
    if not series.offers(field.data):
        raise ValidationError(_l("La série « %(series)s » n’invite pas dans cette langue.",
                                 series=series.title_fr))


def known_placeholders(form, field) -> None:
    """Refuse placeholders the message cannot fill, naming them."""
    unknown = find_unknown(field.data or "")
    if unknown:
        raise ValidationError(_l(
            "Champ inconnu, impossible à remplir : %(names)s. Utilisez seulement {nom}, {lien} "
            "et {date_limite}.", names=", ".join(unknown)))


def needs_link(form, field) -> None:
    """Refuse a body without the link placeholder."""
    if not has_link_placeholder(field.data or ""):
        raise ValidationError(_l(
            "Le message doit contenir {lien} : c’est là que le lien personnel sera inséré."))


class InvitationForm(IntakeForm):
    """Who is invited, to which series, in which language, with which note and questions, for
    how long."""

    series = SelectField(_l("Série"), validate_choice=False)
    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Adresse courriel"), validators=[DataRequired(), Length(max=254),
                                                           valid_email])
    organisation = StringField(_l("Organisation ou marque"), validators=[Length(max=200)],
                               description=_l("Facultatif."))
    language = RadioField(_l("Langue du questionnaire et des courriels"),
                          choices=LANGUAGE_CHOICES, default="fr",
                          validators=[offered_language])
    note = TextAreaField(
        _l("Mot personnel"), validators=[Length(max=2000)],
        description=_l("Facultatif. Ajouté au courriel d’invitation, tel quel."))
    extra_questions = TextAreaField(
        _l("Questions pour cette personne seulement"), validators=[few_questions],
        description=_l("Facultatif. Une question par ligne, cinq au plus. Elles s’ajoutent "
                       "au questionnaire de la série."))
    expires_days = IntegerField(
        _l("Validité du lien (jours)"), validators=[DataRequired(), NumberRange(1, 365)])


class MessageForm(InvitationForm):
    """The invitation plus the editable email; the person's fields travel as hidden inputs."""

    subject = StringField(_l("Objet"), validators=[Optional(), Length(max=200),
                                                   known_placeholders])
    body = TextAreaField(
        _l("Message"),
        validators=[Optional(), Length(max=10000), known_placeholders, needs_link],
        description=_l("Champs remplis à l’envoi : {nom}, {lien} (obligatoire), "
                       "{date_limite}."))


class ExtendForm(IntakeForm):
    """How many more days the link stays valid."""

    days = IntegerField(_l("Prolonger de (jours)"), default=14,
                        validators=[DataRequired(), NumberRange(1, 365)])


class ConfirmForm(IntakeForm):
    """A bare form: its CSRF token is the confirmation that the blogger meant it."""

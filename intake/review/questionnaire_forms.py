"""Forms of the blogger's series pages and questionnaire editor."""

from typing import ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from intake.enums import REGISTER_LABELS
from intake.forms import IntakeForm
from intake.questionnaire.editor import MAX_TERM_LENGTH, MAX_TERMS


class SettingsForm(IntakeForm):
    """The series: titles, address, introductions, reading list, reminders, typography,
    register, languages, WordPress categories and tags."""

    title_fr = StringField(_l("Titre de la série (français)"))
    slug = StringField(_l("Adresse de la série (slug)"),
                       description=_l("Lettres sans accents, chiffres et traits d’union : "
                                      "/series/ADRESSE/ pour son index public."))
    title_en = StringField(_l("Titre de la série (anglais)"))
    intro_fr = TextAreaField(_l("Introduction (français)"),
                             description=_l("Une ligne vide sépare les paragraphes. Un lien "
                                            "s’écrit [texte](https://…)."))
    intro_en = TextAreaField(_l("Introduction (anglais)"),
                             description=_l("Montrée dans les portraits en anglais, comme le "
                                            "titre anglais."))
    reading_list = TextAreaField(
        _l("Lecture"),
        description=_l("Un article par ligne : « titre | adresse ». L’adresse est facultative."),
    )
    reminder_days = StringField(
        _l("Rappels (jours après l’invitation)"),
        description=_l("Par exemple : 7, 14. Laissez vide pour ne jamais relancer."),
    )
    max_reminders = IntegerField(_l("Nombre maximal de rappels"),
                                 validators=[NumberRange(0, 10)])
    typography = SelectField(
        _l("Typographie du français"),
        choices=[SelectChoice("quebec", _l("Québec (OQLF), par défaut")),
                 SelectChoice("france", _l("France"))],
        description=_l("Québec : aucune espace avant le point d’interrogation, le point "
                       "d’exclamation et le point-virgule. France : une espace fine "
                       "insécable devant ces signes. Les deux mettent une espace insécable "
                       "avant le deux-points et à l’intérieur des guillemets. S’applique aux "
                       "billets, aux PDF, aux exports et aux textes de l’application."),
    )
    register = SelectField(
        _l("Façon de s’adresser aux personnes invitées"),
        choices=[SelectChoice(value, text) for value, text in REGISTER_LABELS.items()],
        description=_l("Dans les courriels et les pages du questionnaire en français. Les "
                       "questions de la série gardent leur formulation."),
    )
    languages = SelectMultipleField(_l("Langues des invitations"), choices=["", "fr", "en"],
                                    validate_choice=False)
    wordpress_categories = TextAreaField(
        _l("Catégories WordPress des portraits"),
        description=_l("Un nom par ligne ou séparés par des virgules, au plus %(count)d noms "
                       "de %(max)d caractères. Les catégories manquantes sont créées dans "
                       "WordPress. Laissé vide, le réglage WORDPRESS_CATEGORIES du blogue "
                       "s’applique.", count=MAX_TERMS, max=MAX_TERM_LENGTH))
    wordpress_tags = TextAreaField(
        _l("Étiquettes WordPress des portraits"),
        description=_l("Un nom par ligne ou séparés par des virgules, au plus %(count)d noms "
                       "de %(max)d caractères. Laissé vide, le réglage WORDPRESS_TAGS du blogue "
                       "s’applique.", count=MAX_TERMS, max=MAX_TERM_LENGTH))


class QuestionForm(IntakeForm):
    """One series question."""

    text_fr = TextAreaField(_l("Question (français)"))
    text_en = TextAreaField(_l("Question (anglais)"),
                            description=_l("Laissée vide, la question française est montrée."))
    help_fr = TextAreaField(_l("Aide (français)"),
                            description=_l("Facultative : une précision sous la question."))
    help_en = TextAreaField(_l("Aide (anglais)"))
    section = SelectField(_l("Section"))
    required = BooleanField(_l("Réponse obligatoire pour l’envoi"))
    max_length = IntegerField(
        _l("Limite de caractères"), validators=[Optional()],
        description=_l("Laissez vide pour aucune limite."),
    )


def question_values(form: QuestionForm) -> dict:
    """Return the question form's values as the service expects them."""
    return {name: form[name].data for name in
            ("text_fr", "text_en", "help_fr", "help_en", "section", "required", "max_length")}


class SeriesForm(IntakeForm):
    """A new series: its French title, its address, and what its questionnaire starts from."""

    FIELD_NAMES: ClassVar[dict[str, str]] = {"title": "title_fr", "slug_taken": "slug"}

    title_fr = StringField(_l("Titre de la série (français)"))
    slug = StringField(_l("Adresse de la série (slug)"),
                       description=_l("Laissée vide, elle est tirée du titre."))
    start = SelectField(_l("Questionnaire de départ"), validate_choice=False)

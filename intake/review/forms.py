"""Forms of the review pages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, FloatField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from intake.forms import IntakeForm


class VersionedForm(IntakeForm):
    """A form that carries the submission version the page was rendered with."""

    version = HiddenField()

    def version_number(self) -> int:
        """Return the posted version, or -1 when it is missing or garbled."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1


class SettingsForm(IntakeForm):
    """Title, slug, publication date, the blogger's introduction, proof wish."""

    title = StringField(_l("Titre du billet"), validators=[Length(max=300)],
                        description=_l("Vide : « Portrait de gestionnaire de communauté : NOM »."))
    slug = StringField(_l("Adresse (slug)"), validators=[Length(max=100)],
                       description=_l("Lettres minuscules, chiffres et traits d’union."))
    publication_date = DateField(_l("Date de publication"), validators=[Optional()])
    editor_intro = TextAreaField(_l("Votre introduction"), validators=[Length(max=5000)],
                                 description=_l("Un lien s’écrit [texte](https://…)."))
    proof_requested = BooleanField(_l("Faire relire le portrait par la personne avant de publier"))


class DecisionForm(VersionedForm):
    """A move in the workflow, with an optional message to the invitee."""

    message = TextAreaField(_l("Message à la personne"), validators=[Length(max=5000)])


class CropForm(IntakeForm):
    """A square crop of the portrait photo, as fractions of the image."""

    x = FloatField(_l("Gauche (0 à 1)"), validators=[NumberRange(0, 1)], default=0)
    y = FloatField(_l("Haut (0 à 1)"), validators=[NumberRange(0, 1)], default=0)
    size = FloatField(_l("Côté (0 à 1)"), validators=[NumberRange(0.05, 1)], default=1)


class EraseForm(IntakeForm):
    """Confirmation of an erasure: the person's email typed again."""

    confirm = StringField(_l("Tapez l’adresse courriel de la personne pour confirmer"),
                          validators=[DataRequired(), Length(max=254)])

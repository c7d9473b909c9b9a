"""Login, welcome, account and password forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from intake.forms import IntakeForm
from intake.i18n import timezone_names

LANGUAGE_CHOICES = [SelectChoice("fr", _l("Français")), SelectChoice("en", _l("Anglais"))]


class LoginForm(IntakeForm):
    """Email and password of a blogger."""

    email = EmailField(_l("Adresse courriel"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), Length(max=200)])


def new_password_fields(label):
    """Return the new password field and its confirmation, as one rule for both forms."""
    new = PasswordField(label, validators=[DataRequired(), Length(min=10, max=200)],
                        description=_l("Au moins 10 caractères."))
    confirm = PasswordField(
        _l("Confirmez le nouveau mot de passe"),
        validators=[DataRequired(),
                    EqualTo("new", message=_l("Les deux mots de passe diffèrent."))],
    )
    return new, confirm


class PasswordForm(IntakeForm):
    """Replace the password."""

    current = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired()])
    new, confirm = new_password_fields(_l("Nouveau mot de passe"))


class ProfileFields(IntakeForm):
    """The blogger's name (it signs the emails) and real email address."""

    FIELD_NAMES = {"password": "new"}

    name = StringField(_l("Votre nom"), validators=[DataRequired(), Length(max=200)],
                       description=_l("Il signe les courriels que reçoivent les personnes "
                                      "invitées."))
    email = EmailField(_l("Votre adresse courriel"),
                       validators=[DataRequired(), Length(max=254)],
                       description=_l("Pour vous connecter et recevoir les avis (nouveaux "
                                      "portraits, demandes de lien)."))


class TimezoneField(SelectField):
    """The blog's time zone, chosen among the zones this machine knows."""

    def __init__(self, label=None, **kwargs):
        kwargs.setdefault("description", _l("Toutes les dates du blogue (billets, courriels, "
                                            "PDF) sont écrites dans ce fuseau."))
        # The account service checks the zone and says what is wrong in the person's words.
        super().__init__(label, choices=timezone_names, validate_choice=False, **kwargs)


class WelcomeForm(ProfileFields):
    """The first login: who you are, your real email, your own password, the blog's zone."""

    new, confirm = new_password_fields(_l("Votre mot de passe"))
    timezone = TimezoneField(_l("Fuseau horaire du blogue"))


class AccountForm(ProfileFields):
    """Change name, email, interface language and the blog's time zone."""

    language = RadioField(_l("Langue de l’interface"), choices=LANGUAGE_CHOICES)
    timezone = TimezoneField(_l("Fuseau horaire du blogue"))


class LanguageForm(IntakeForm):
    """The interface language."""

    language = SelectField(_l("Langue"), choices=["fr", "en"])

"""Login and password forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """Email and password of a blogger."""

    email = EmailField(_l("Adresse courriel"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    """Replace the password (the first one is printed once by `make run`)."""

    current = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired()])
    new = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[DataRequired(), Length(min=10, max=200)],
        description=_l("Au moins 10 caractères."),
    )
    confirm = PasswordField(
        _l("Confirmez le nouveau mot de passe"),
        validators=[DataRequired(),
                    EqualTo("new", message=_l("Les deux mots de passe diffèrent."))],
    )


class LanguageForm(FlaskForm):
    """The interface language."""

    language = SelectField(_l("Langue"), choices=["fr", "en"])

"""The base of every form: Flask-WTF's form, typed text cleaned on every text field, plus the
messages of a refusal put on its fields."""

from typing import ClassVar

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, TextAreaField

from intake.text import clean_text


def clean_single_line(value: str | None) -> str | None:
    """Clean a text field's value as one line (intake/text.py); None stays None."""
    return value if value is None else clean_text(value)


def clean_multiline(value: str | None) -> str | None:
    """Clean a text area's value, keeping its line breaks and TABs; None stays None."""
    return value if value is None else clean_text(value, multiline=True)


def text_filter(field_class: type):
    """Return the cleaning filter a field class gets, or None for fields that hold no typed
    text to show (passwords are kept exactly as typed; hidden fields carry tokens)."""
    if not issubclass(field_class, StringField):
        return None
    if issubclass(field_class, (PasswordField, HiddenField)):
        return None
    return clean_multiline if issubclass(field_class, TextAreaField) else clean_single_line


class IntakeForm(FlaskForm):
    """A form whose text fields clean what was typed, and that can show a domain refusal's
    messages next to the fields they are about."""

    # Names the domain gives a value, mapped to this form's field for it (e.g. "password": "new").
    FIELD_NAMES: ClassVar[dict[str, str]] = {}

    class Meta:
        def bind_field(self, form, unbound_field, options):
            """Bind a field, adding the typed-text filter last to its own filters."""
            extra = text_filter(unbound_field.field_class)
            if extra is not None:
                filters = [*unbound_field.kwargs.get("filters", ()), extra]
                options = {**options, "filters": filters}
            return unbound_field.bind(form=form, **options)

    def populate_errors(self, errors: dict) -> None:
        """Put each message on the field it names; names the form does not have are ignored."""
        for name, message in errors.items():
            name = self.FIELD_NAMES.get(name, name)
            if name in self:
                self[name].errors = [message]

"""The base of every form: Flask-WTF's form, plus the messages of a refusal put on its fields."""

from typing import ClassVar

from flask_wtf import FlaskForm


class IntakeForm(FlaskForm):
    """A form that can show a domain refusal's messages next to the fields they are about."""

    # Names the domain gives a value, mapped to this form's field for it (e.g. "password": "new").
    FIELD_NAMES: ClassVar[dict[str, str]] = {}

    def populate_errors(self, errors: dict) -> None:
        """Put each message on the field it names; names the form does not have are ignored."""
        for name, message in errors.items():
            name = self.FIELD_NAMES.get(name, name)
            if name in self:
                self[name].errors = [message]

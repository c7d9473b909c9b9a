"""The form of the review page's « Envoyer à WordPress »."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, SelectField
from wtforms.validators import Optional

from intake.enums import WordPressStatus, wordpress_status_label
from intake.forms import IntakeForm
from intake.i18n import blog_timezone


class PushForm(IntakeForm):
    """The status of the WordPress post and, to plan it, its date in the blog's time zone."""

    post_status = SelectField(_l("Statut dans WordPress"), default=WordPressStatus.DRAFT.value)
    post_date = DateTimeLocalField(_l("Date et heure de parution (si planifié)"),
                                   format="%Y-%m-%dT%H:%M", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.post_status.choices = [(status.value, wordpress_status_label(status))
                                    for status in WordPressStatus]

    def status(self) -> WordPressStatus:
        """Return the chosen status (draft when the posted one is not a status)."""
        try:
            return WordPressStatus(self.post_status.data)
        except ValueError:
            return WordPressStatus.DRAFT

    def moment(self) -> datetime | None:
        """Return the chosen date and time (typed in the blog's time zone) in UTC, or None."""
        if self.post_date.data is None:
            return None
        local = self.post_date.data.replace(tzinfo=ZoneInfo(blog_timezone()))
        return local.astimezone(UTC)

"""The blogger's series: the list, and a new series from the default questionnaire or as a
copy of another (its settings are then edited in its questionnaire editor)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from intake.extensions import db
from intake.models import Invitation
from intake.questionnaire.series import SeriesError, all_series, create_series, find_series
from intake.review.blueprint import bp
from intake.review.questionnaire_forms import SeriesForm

DEFAULT_START = "default"


def series_form() -> SeriesForm:
    """Return the new-series form, its starting points: the default questions, or a copy."""
    form = SeriesForm()
    form.start.choices = [(DEFAULT_START, _("Les questions par défaut (celles des portraits "
                                            "d’origine)"))] + [
        (series.slug, _("Une copie de « %(title)s »", title=series.title_fr))
        for series in all_series()]
    return form


def invitation_counts() -> dict[int, int]:
    """Return how many invitations each series holds, by series id."""
    return dict(db.session.execute(select(Invitation.questionnaire_id, func.count())
                                   .group_by(Invitation.questionnaire_id)).all())


def render_list(form: SeriesForm, status: int = 200):
    """Render the series with their addresses and invitations, and the new-series form."""
    return render_template("review/series.html", series_list=all_series(),
                           counts=invitation_counts(), form=form), status


@bp.get("/series")
def series_list():
    """List the series, with the form to create one."""
    return render_list(series_form())


@bp.post("/series")
def series_create():
    """Create a series (default questions or a copy), then open its questionnaire editor."""
    form = series_form()
    try:
        start = None if form.start.data == DEFAULT_START else find_series(form.start.data)
        series = create_series(form.title_fr.data, form.slug.data, copy_from=start,
                               actor=current_user)
    except SeriesError as error:
        form.populate_errors({error.code if error.code != "unknown" else "start":
                              error.message})
        return render_list(form, 422)
    db.session.commit()
    flash(_("Série créée : réglez-la, puis invitez."), "success")
    return redirect(url_for(".questionnaire", series_slug=series.slug, _anchor="settings"),
                    code=303)

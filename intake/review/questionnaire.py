"""The blogger's questionnaire editor, one series at a time: settings, questions, their order.

`/admin/questionnaire` edits the default series (the address of the days of a single series);
`/admin/series/SLUG/questionnaire` edits any. A question's own routes find its series from it.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from intake.extensions import db
from intake.models import Question
from intake.publishing import renditions
from intake.questionnaire import editor
from intake.questionnaire.series import SeriesError, find_series
from intake.questionnaire.structure import section_title
from intake.review.blueprint import bp
from intake.review.questionnaire_forms import QuestionForm, SettingsForm, question_values


def series_or_404(slug: str | None = None):
    """Return the series at a slug (the default one without), or 404."""
    try:
        return find_series(slug)
    except SeriesError:
        abort(404)


def series_question(question_id: int) -> Question:
    """Return a series question (not a per-invitation one), or 404."""
    question = db.session.get(Question, question_id)
    if question is None or question.invitation_id:
        abort(404)
    return question


def back_to_question(question: Question):
    """Redirect to a question in its series' editor."""
    return redirect(url_for(".questionnaire", series_slug=question.questionnaire.slug,
                            _anchor=f"question-{question.id}"), code=303)


def section_choices(questionnaire, lang: str = "fr") -> list[tuple[str, str]]:
    """Return the sections offered in the question form."""
    return [(key, section_title(key, lang)) for key in editor.sections(questionnaire)]


def settings_form(questionnaire) -> SettingsForm:
    """Return the settings form filled from the request or the stored series."""
    if request.method == "POST":
        return SettingsForm()
    reading = "\n".join(f"{item['title']} | {item['url']}".rstrip(" |")
                        for item in questionnaire.reading_list or [])
    return SettingsForm(data={
        "title_fr": questionnaire.title_fr, "title_en": questionnaire.title_en,
        "intro_fr": questionnaire.intro_fr, "intro_en": questionnaire.intro_en,
        "reading_list": reading,
        "reminder_days": ", ".join(str(d) for d in questionnaire.reminder_days or []),
        "max_reminders": questionnaire.max_reminders,
        "typography": questionnaire.typography, "register": questionnaire.register,
        "slug": questionnaire.slug, "languages": list(questionnaire.languages or []),
        "wordpress_categories": "\n".join(questionnaire.wordpress_categories or []),
        "wordpress_tags": "\n".join(questionnaire.wordpress_tags or []),
    })


def settings_values(form: SettingsForm) -> dict:
    """Return the settings as the editor takes them: the address, languages and WordPress
    terms kept (None) when the request did not carry them (the form sends an empty
    "languages" marker)."""
    values = {k: v for k, v in form.data.items() if k != "csrf_token"}
    for name in ("slug", "languages", "wordpress_categories", "wordpress_tags"):
        if name not in request.form:
            values[name] = None
    if values["languages"] is not None:
        values["languages"] = [language for language in values["languages"] if language]
    return values


def render_editor(questionnaire, settings=None, new=None, status=200):
    """Render the editor page: settings, the questions by section, a new question form."""
    if new is None:
        new = QuestionForm(formdata=None, data={"section": editor.sections(questionnaire)[0]})
    new.section.choices = section_choices(questionnaire)
    grouped: dict[str, list] = {}
    for question in editor.series_questions(questionnaire):
        grouped.setdefault(question.section, []).append(question)
    return render_template(
        "review/questionnaire/index.html", questionnaire=questionnaire,
        settings=settings or settings_form(questionnaire), new=new,
        grouped=[(section_title(key, "fr"), items) for key, items in grouped.items()],
    ), status


@bp.get("/questionnaire", defaults={"series_slug": None})
@bp.get("/series/<series_slug>/questionnaire")
def questionnaire(series_slug: str | None):
    """Show a series' settings and every question, with their controls."""
    return render_editor(series_or_404(series_slug))


@bp.post("/questionnaire/settings", defaults={"series_slug": None})
@bp.post("/series/<series_slug>/questionnaire/settings")
def questionnaire_settings(series_slug: str | None):
    """Save a series' settings; its stored post pages and PDFs show them: asked for again."""
    series = series_or_404(series_slug)
    form = settings_form(series)
    try:
        editor.update_settings(series, **settings_values(form))
    except editor.EditorError as error:
        form.populate_errors(error.errors)
        return render_editor(series, settings=form, status=422)
    renditions.mark_stale(series.id)
    db.session.commit()
    flash(_("Réglages de la série enregistrés."), "success")
    return redirect(url_for(".questionnaire", series_slug=series.slug), code=303)


@bp.post("/questionnaire/questions", defaults={"series_slug": None})
@bp.post("/series/<series_slug>/questionnaire/questions")
def question_add(series_slug: str | None):
    """Add a question at the end of its series' section."""
    series = series_or_404(series_slug)
    form = QuestionForm()
    form.section.choices = section_choices(series)
    try:
        question = editor.add_question(series, **question_values(form))
    except editor.EditorError as error:
        form.populate_errors(error.errors)
        return render_editor(series, new=form, status=422)
    db.session.commit()
    flash(_("Question ajoutée."), "success")
    return back_to_question(question)


@bp.route("/questionnaire/questions/<int:question_id>", methods=["GET", "POST"])
def question_edit(question_id: int):
    """Reword a question, or change its help, flag, limit or section."""
    question = series_question(question_id)
    form = QuestionForm(obj=None if request.method == "POST" else question)
    form.section.choices = section_choices(question.questionnaire)
    if request.method == "POST":
        try:
            editor.update_question(question, **question_values(form))
        except editor.EditorError as error:
            form.populate_errors(error.errors)
        else:
            db.session.commit()
            flash(_("Question enregistrée."), "success")
            return back_to_question(question)
    return render_template("review/questionnaire/question.html", form=form,
                           question=question), 422 if form.errors else 200


@bp.post("/questionnaire/questions/<int:question_id>/move")
def question_move(question_id: int):
    """Move a question up or down within its section."""
    question = series_question(question_id)
    editor.move_question(question, request.form.get("direction", ""))
    db.session.commit()
    return back_to_question(question)


@bp.post("/questionnaire/questions/<int:question_id>/active")
def question_active(question_id: int):
    """Stop asking a question, or ask it again."""
    question = series_question(question_id)
    editor.set_active(question, request.form.get("active") == "1")
    db.session.commit()
    return back_to_question(question)

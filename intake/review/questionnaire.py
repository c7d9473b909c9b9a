"""The blogger's questionnaire editor: series settings, questions, their order."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from intake.addressing import blog_register
from intake.extensions import db
from intake.i18n import typography_convention
from intake.models import Question
from intake.publishing import renditions
from intake.questionnaire import editor
from intake.questionnaire.series import current_questionnaire
from intake.questionnaire.structure import section_title
from intake.review.blueprint import bp
from intake.review.questionnaire_forms import QuestionForm, SettingsForm, question_values


def series_or_404():
    """Return the series questionnaire, or 404 before the setup loaded it."""
    return current_questionnaire() or abort(404)


def series_question(questionnaire, question_id: int) -> Question:
    """Return a series question of this questionnaire (not a per-invitation one), or 404."""
    question = db.session.get(Question, question_id)
    if question is None or question.questionnaire_id != questionnaire.id or question.invitation_id:
        abort(404)
    return question


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
        "typography": typography_convention(),
        "register": blog_register().value,
    })


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


@bp.get("/questionnaire")
def questionnaire():
    """Show the series settings and every question, with their controls."""
    return render_editor(series_or_404())


@bp.post("/questionnaire/settings")
def questionnaire_settings():
    """Save the series settings; every stored post page and PDF shows them: marked stale."""
    series = series_or_404()
    form = settings_form(series)
    try:
        editor.update_settings(series, **{k: v for k, v in form.data.items() if k != "csrf_token"})
    except editor.EditorError as error:
        form.populate_errors(error.errors)
        return render_editor(series, settings=form, status=422)
    renditions.mark_stale()
    db.session.commit()
    flash(_("Réglages de la série enregistrés."), "success")
    return redirect(url_for(".questionnaire"), code=303)


@bp.post("/questionnaire/questions")
def question_add():
    """Add a question at the end of its section."""
    series = series_or_404()
    form = QuestionForm()
    form.section.choices = section_choices(series)
    try:
        question = editor.add_question(series, **question_values(form))
    except editor.EditorError as error:
        form.populate_errors(error.errors)
        return render_editor(series, new=form, status=422)
    db.session.commit()
    flash(_("Question ajoutée."), "success")
    return redirect(url_for(".questionnaire", _anchor=f"question-{question.id}"), code=303)


@bp.route("/questionnaire/questions/<int:question_id>", methods=["GET", "POST"])
def question_edit(question_id: int):
    """Reword a question, or change its help, flag, limit or section."""
    series = series_or_404()
    question = series_question(series, question_id)
    form = QuestionForm(obj=None if request.method == "POST" else question)
    form.section.choices = section_choices(series)
    if request.method == "POST":
        try:
            editor.update_question(question, **question_values(form))
        except editor.EditorError as error:
            form.populate_errors(error.errors)
        else:
            db.session.commit()
            flash(_("Question enregistrée."), "success")
            return redirect(url_for(".questionnaire", _anchor=f"question-{question.id}"),
                            code=303)
    return render_template("review/questionnaire/question.html", form=form,
                           question=question), 422 if form.errors else 200


@bp.post("/questionnaire/questions/<int:question_id>/move")
def question_move(question_id: int):
    """Move a question up or down within its section."""
    question = series_question(series_or_404(), question_id)
    editor.move_question(question, request.form.get("direction", ""))
    db.session.commit()
    return redirect(url_for(".questionnaire", _anchor=f"question-{question.id}"), code=303)


@bp.post("/questionnaire/questions/<int:question_id>/active")
def question_active(question_id: int):
    """Stop asking a question, or ask it again."""
    question = series_question(series_or_404(), question_id)
    editor.set_active(question, request.form.get("active") == "1")
    db.session.commit()
    return redirect(url_for(".questionnaire", _anchor=f"question-{question.id}"), code=303)

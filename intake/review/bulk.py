"""The blogger's bulk invitations: upload or paste a list, see every row's status and reason,
fix or drop rows, write one message per language for the batch, then send every ready row
(one transaction per row; the report says which failed and why). Works without JavaScript."""

from flask import current_app, render_template, request
from flask_login import current_user

from intake.extensions import db
from intake.invitations import emails
from intake.invitations.bulk import BulkList, BulkListError, read_list
from intake.invitations.bulk_send import check_for_series, open_addresses, send_rows
from intake.questionnaire.series import all_series, find_series
from intake.review.blueprint import bp
from intake.review.bulk_forms import (
    BulkUploadForm,
    list_from_form,
    list_languages,
    list_to_json,
    message_previews,
    messages_from_form,
)

TEMPLATES = "review/invitations/"


def upload_form() -> BulkUploadForm:
    """Return the upload form, its series to choose from (the default, or `?series=`)."""
    form = BulkUploadForm()
    form.series.choices = [(series.slug, series.title_fr) for series in all_series()]
    if not form.series.data and form.series.choices:
        form.series.data = request.args.get("series") or form.series.choices[0][0]
    return form


@bp.get("/invitations/bulk")
def bulk_new():
    """Show the form to upload or paste a list of people."""
    return render_template(TEMPLATES + "bulk.html", form=upload_form())


@bp.post("/invitations/bulk")
def bulk_read():
    """Read the uploaded or pasted list, check every row against the series, preview it."""
    form = upload_form()
    series = find_series(form.series.data)
    data = form.upload.data.read() if form.upload.data else (form.pasted.data or "")
    try:
        bulk = check_for_series(read_list(data, open_addresses(series)), series)
    except BulkListError as error:
        form.upload.errors = [error.message]
        return render_template(TEMPLATES + "bulk.html", form=form), 422
    return render_list(bulk, series, default_messages(bulk, series))


@bp.post("/invitations/bulk/rows")
def bulk_rows():
    """Check the list again after a row was fixed or dropped; on 'send', invite every ready
    row, each in its own transaction, and show the report."""
    series = find_series(request.form.get("series"))
    bulk = check_for_series(list_from_form(request.form), series)
    messages, errors = batch_messages(bulk, series)
    if request.form.get("action") != "send" or errors or not bulk.ready_rows():
        return render_list(bulk, series, messages, errors if request.form.get("action") ==
                           "send" else {}, editing=request.form.get("edit", type=int))
    report = send_rows(bulk, series, commit=db.session.commit, messages=messages,
                       actor=current_user._get_current_object())
    return render_template(TEMPLATES + "bulk_report.html", report=report, series=series)


def default_messages(bulk: BulkList, series, languages: list[str] | None = None
                     ) -> dict[str, tuple[str, str]]:
    """Return the editable default message of each language of the list (or of `languages`),
    with placeholders (the person's note among them)."""
    author = current_user._get_current_object()
    return {language: emails.default_message(language, emails.NOTE_PLACEHOLDER[language],
                                             author=author, series=series)
            for language in (list_languages(bulk) if languages is None else languages)}


def batch_messages(bulk: BulkList, series) -> tuple[dict, dict]:
    """Return the messages the page carried for the list's languages (the default one for a
    language the list did not have before), and their errors by field."""
    languages = list_languages(bulk)
    new = [language for language in languages if f"body-{language}" not in request.form]
    messages, errors = messages_from_form(request.form,
                                          [lang for lang in languages if lang not in new])
    messages.update(default_messages(bulk, series, new))
    return messages, errors


def render_list(bulk: BulkList, series, messages: dict, errors: dict | None = None,
                editing: int | None = None):
    """Render the preview: every row with its status and reasons, the messages, the send."""
    days = current_app.config["INVITATION_DAYS"]
    return render_template(
        TEMPLATES + "bulk_preview.html", bulk=bulk, series=series, list_json=list_to_json(bulk),
        messages=messages, errors=errors or {}, editing=editing,
        previews=message_previews(bulk, messages, days),
        ready=len(bulk.ready_rows())), 422 if errors else 200

"""The bulk invitation pages' forms: the upload or paste, the list carried between steps in
one hidden field (checked again at every step), one row being fixed, and the batch's message
in each language of the list."""

import json
from datetime import timedelta

from flask_babel import force_locale, format_date
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import SelectField, TextAreaField

from intake.errors import Refused
from intake.forms import IntakeForm
from intake.invitations.bulk import BulkList, BulkRow
from intake.invitations.bulk_rows import split_questions
from intake.invitations.bulk_send import without_empty_note
from intake.links import sample_invitation_link
from intake.mail.placeholders import fill_placeholders, has_link_placeholder, unknown_placeholders
from intake.models import utcnow
from intake.text import clean_text

ROW_FIELDS = ("name", "email", "organisation", "language", "note")
MESSAGE_LIMITS = {"subject": 200, "body": 10_000}


class BulkUploadForm(IntakeForm):
    """The series and the list: a CSV file, or cells pasted from a spreadsheet."""

    series = SelectField(_l("Série"), validate_choice=False)
    upload = FileField(_l("Fichier CSV"), description=_l(
        "UTF-8 (avec ou sans BOM) ou Windows-1252, séparé par des points-virgules, des "
        "virgules ou des tabulations. Première ligne : les colonnes Nom, Courriel, et au "
        "besoin Organisation, Langue, Mot personnel, Questions."))
    pasted = TextAreaField(_l("Ou collez la liste"), description=_l(
        "Copiée d’un tableur, la ligne des colonnes comprise."))


class ListRefused(Refused):
    """A list that came back from the page unreadable (edited by hand): start again."""

    MESSAGES = {"unreadable": _l("La liste n’a pas pu être relue : recommencez l’importation.")}


def list_to_json(bulk: BulkList) -> str:
    """Return the list as the hidden field carries it: the rows as typed, and the notices."""
    return json.dumps({
        "rows": [{"number": row.number, "extra_questions": row.extra_questions,
                  **{name: getattr(row, name) for name in ROW_FIELDS}} for row in bulk.rows],
        "notices": [str(notice) for notice in bulk.notices],
        "encoding": bulk.encoding, "delimiter": bulk.delimiter,
    }, ensure_ascii=False)


def list_from_form(form: MultiDict) -> BulkList:
    """Return the list carried by the page, with the row being fixed put back in place
    (unchecked: the caller checks every row again). Raises ListRefused."""
    try:
        data = json.loads(form.get("list", ""))
        rows = [BulkRow(int(item["number"]), extra_questions=[
            clean_text(str(q)) for q in item.get("extra_questions", [])][:50], **{
                name: clean_text(str(item.get(name, "")), multiline=name == "note")
                for name in ROW_FIELDS}) for item in data["rows"]]
        bulk = BulkList(rows, [clean_text(str(n)) for n in data.get("notices", [])],
                        encoding=data.get("encoding"), delimiter=data.get("delimiter", ","))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ListRefused("unreadable") from error
    fixed = form.get("fixed", type=int)
    if fixed is not None and fixed in {row.number for row in bulk.rows}:
        bulk.rows = [fixed_row(form, row) if row.number == fixed else row for row in bulk.rows]
    dropped = form.get("drop", type=int)
    bulk.rows = [row for row in bulk.rows if row.number != dropped]
    return bulk


def fixed_row(form: MultiDict, row: BulkRow) -> BulkRow:
    """Return a row as the blogger fixed it in the table."""
    values = {name: clean_text(form.get(f"row-{name}", ""), multiline=name == "note")
              for name in ROW_FIELDS}
    questions = split_questions(clean_text(form.get("row-questions", ""), multiline=True))
    return BulkRow(row.number, extra_questions=questions, **values)


def list_languages(bulk: BulkList) -> list[str]:
    """Return the languages of the list's ready rows, French first."""
    present = {row.language for row in bulk.ready_rows()}
    return [language for language in ("fr", "en") if language in present]


def messages_from_form(form: MultiDict, languages: list[str]) -> tuple[dict, dict]:
    """Return the batch's subject and body per language, and an error per field name."""
    messages, errors = {}, {}
    for language in languages:
        subject = clean_text(form.get(f"subject-{language}", ""))
        body = clean_text(form.get(f"body-{language}", ""), multiline=True)
        messages[language] = (subject, body)
        for name, text in ((f"subject-{language}", subject), (f"body-{language}", body)):
            unknown = unknown_placeholders(text)
            if unknown:
                errors[name] = _l("Champ inconnu, impossible à remplir : %(names)s.",
                                  names=", ".join(unknown))
            elif len(text) > MESSAGE_LIMITS[name.split("-")[0]]:
                errors[name] = _l("Au plus %(max)d caractères.",
                                  max=MESSAGE_LIMITS[name.split("-")[0]])
        if f"body-{language}" not in errors and not has_link_placeholder(body):
            errors[f"body-{language}"] = _l(
                "Le message doit contenir {lien} : c’est là que le lien personnel sera inséré.")
    return messages, errors


def message_previews(bulk: BulkList, messages: dict, days: int) -> dict[str, tuple[str, str]]:
    """Return each language's message as its first ready row's person will read it."""
    previews = {}
    for language, (subject, body) in messages.items():
        row = next(row for row in bulk.ready_rows() if row.language == language)
        with force_locale(language):
            expires = format_date(utcnow() + timedelta(days=days), "long")
        values = {"name": row.name, "note": row.note, "expires": expires,
                  "link": sample_invitation_link()}
        previews[language] = (fill_placeholders(subject, values), fill_placeholders(
            without_empty_note(body, row.note), values))
    return previews

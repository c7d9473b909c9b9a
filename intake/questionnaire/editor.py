"""The blogger's questionnaire editor: series settings and the questions' wording and order.

Answers keep the text of the question they answered (Answer.question_text), so nothing here
changes a draft, a submission or a published portrait.
"""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from intake.enums import Register
from intake.errors import FieldRefused, Refused
from intake.extensions import db
from intake.i18n import CONVENTIONS, use_series
from intake.models import Question, Series
from intake.models.questionnaire import SERIES_LANGUAGES
from intake.questionnaire.handles import normalise_handle
from intake.questionnaire.series import SeriesError, checked_slug
from intake.questionnaire.structure import ANSWER_LIMIT, section_titles
from intake.text import clean_line, clean_text
from intake.workflow import audit

MAX_QUESTION_LENGTH = 1000
MAX_ANSWER_LIMIT = ANSWER_LIMIT
MAX_TERM_LENGTH = 100
MAX_TERMS = 20


class EditorError(Refused):
    """Values refused by the editor, with a message per field; nothing was changed."""

    def __init__(self, errors: dict):
        super().__init__("invalid", errors)


def sections(questionnaire: Series) -> list[str]:
    """Return the section keys in use, in questionnaire order, then the unused known ones."""
    used = []
    for question in questionnaire.questions:
        if question.section and question.section not in used:
            used.append(question.section)
    return used + [key for key in section_titles() if key not in used]


def parse_reading_list(text: str) -> list[dict]:
    """Read "title | url" lines into the reading list; the address is optional."""
    items, errors = [], []
    for number, line in enumerate(clean_text(text, multiline=True).split("\n"), start=1):
        if not line.strip():
            continue
        title, _, url = (part.strip() for part in line.partition("|"))
        if not title:
            errors.append(_l("Ligne %(n)d : indiquez un titre avant le « | ».", n=number))
            continue
        if url:
            try:
                url = normalise_handle("website", url).url
            except FieldRefused as error:
                errors.append(_l("Ligne %(n)d : %(error)s", n=number, error=error.message))
                continue
        items.append({"title": " ".join(title.split())[:300], "url": url})
    if errors:
        raise EditorError({"reading_list": errors[0]})
    return items


def parse_reminder_days(text: str) -> list[int]:
    """Read reminder days such as "7, 14" into a sorted list of distinct days (1 to 365)."""
    parts = [p for p in re.split(r"[\s,;]+", text or "") if p]
    if not all(p.isdigit() and 1 <= int(p) <= 365 for p in parts) or len(parts) > 10:
        raise EditorError({"reminder_days": _l(
            "Indiquez des nombres de jours entre 1 et 365, séparés par des virgules (par "
            "exemple : 7, 14).")})
    return sorted({int(p) for p in parts})


def parse_term_names(text: str) -> list[str]:
    """Read WordPress category or tag names typed one a line or separated by commas: blanks
    made one, empty ones and repeats (in any case) dropped; raises FieldRefused on a name
    too long or with < or >, or on more than MAX_TERMS names."""
    names: list[str] = []
    for part in re.split(r"[,\n]", text or ""):
        name = clean_line(part)
        if not name or name.casefold() in {known.casefold() for known in names}:
            continue
        if len(name) > MAX_TERM_LENGTH:
            raise FieldRefused(_l("« %(name)s… » est trop long : un nom compte au plus "
                                  "%(max)d caractères.", name=name[:30], max=MAX_TERM_LENGTH))
        if "<" in name or ">" in name:
            raise FieldRefused(_l("« %(name)s » : un nom ne peut pas contenir les signes < "
                                  "et >.", name=name))
        names.append(name)
    if len(names) > MAX_TERMS:
        raise FieldRefused(_l("Au plus %(max)d noms (il y en a %(count)d).", max=MAX_TERMS,
                              count=len(names)))
    return names


def update_settings(questionnaire: Series, *, title_fr: str, title_en: str,
                    intro_fr: str, intro_en: str, reading_list: str, reminder_days: str,
                    max_reminders: int, typography: str | None = None,
                    register: str | None = None, slug: str | None = None,
                    languages: list[str] | None = None,
                    wordpress_categories: str | None = None,
                    wordpress_tags: str | None = None) -> None:
    """Replace the series settings, its typographic convention, register, slug, languages and
    WordPress category and tag names (each kept when None), all or nothing (raises
    EditorError); audited. Flushes."""
    errors: dict = {}
    if slug is not None:
        try:
            slug = checked_slug(slug, title_fr, questionnaire)
        except SeriesError as error:
            errors["slug"] = error.message
    if languages is not None and not (languages and set(languages) <= set(SERIES_LANGUAGES)):
        errors["languages"] = _l("Choisissez au moins une langue.")
    if typography is not None and typography not in CONVENTIONS:
        errors["typography"] = _l("Choisissez une typographie de la liste.")
    if not clean_line(title_fr):
        errors["title_fr"] = _l("Le titre en français est obligatoire.")
    if register is not None and register not in set(Register):
        errors["register"] = _l("Choisissez « tu » ou « vous ».")
    parsed = {}
    for name, parse, value in (("reading_list", parse_reading_list, reading_list),
                               ("reminder_days", parse_reminder_days, reminder_days)):
        try:
            parsed[name] = parse(value)
        except EditorError as error:
            errors.update(error.errors)
    for name, value in (("wordpress_categories", wordpress_categories),
                        ("wordpress_tags", wordpress_tags)):
        try:
            parsed[name] = None if value is None else parse_term_names(value)
        except FieldRefused as error:
            errors[name] = error.message
    if not isinstance(max_reminders, int) or not 0 <= max_reminders <= 10:
        errors["max_reminders"] = _l("Indiquez un nombre entre 0 et 10.")
    if errors:
        raise EditorError(errors)
    questionnaire.title_fr = clean_line(title_fr)
    questionnaire.title_en = clean_line(title_en)
    questionnaire.intro_fr = clean_text(intro_fr, multiline=True)
    questionnaire.intro_en = clean_text(intro_en, multiline=True)
    questionnaire.reading_list = parsed["reading_list"]
    questionnaire.reminder_days = parsed["reminder_days"]
    questionnaire.max_reminders = max_reminders
    for name, value in (("typography", typography), ("register", register), ("slug", slug),
                        ("languages", languages),
                        ("wordpress_categories", parsed["wordpress_categories"]),
                        ("wordpress_tags", parsed["wordpress_tags"])):
        if value is not None:
            setattr(questionnaire, name, value)
    audit.record(None, "questionnaire_settings", series=questionnaire.slug)
    db.session.flush()
    use_series(questionnaire)


def checked_question(questionnaire: Series, values: dict) -> dict:
    """Return a question's cleaned values, or raise EditorError with a message per field."""
    errors: dict = {}
    text_fr = clean_line(values.get("text_fr"))
    if not text_fr:
        errors["text_fr"] = _l("Écrivez la question en français.")
    for name in ("text_fr", "text_en"):
        if len(values.get(name) or "") > MAX_QUESTION_LENGTH:
            errors[name] = _l("Au plus %(max)d caractères.", max=MAX_QUESTION_LENGTH)
    limit = values.get("max_length")
    if limit is not None and not (isinstance(limit, int) and 1 <= limit <= MAX_ANSWER_LIMIT):
        errors["max_length"] = _l("Indiquez une limite entre 1 et %(max)d caractères, ou "
                                  "laissez vide.", max=MAX_ANSWER_LIMIT)
    if values.get("section") not in sections(questionnaire):
        errors["section"] = _l("Choisissez une section de la liste.")
    if errors:
        raise EditorError(errors)
    return {
        "text_fr": text_fr, "text_en": clean_line(values.get("text_en")),
        "help_fr": clean_text(values.get("help_fr"), multiline=True),
        "help_en": clean_text(values.get("help_en"), multiline=True),
        "required": bool(values.get("required")), "max_length": limit,
        "section": values["section"],
    }


def series_questions(questionnaire: Series) -> list[Question]:
    """Return the series questions (active or not) in their order."""
    return list(db.session.scalars(
        select(Question)
        .where(Question.questionnaire_id == questionnaire.id, Question.invitation_id.is_(None))
        .order_by(Question.position, Question.id)
    ))


def renumber(questions: list[Question]) -> None:
    """Give the questions positions 1, 2, 3… in the order of the list."""
    for position, question in enumerate(questions, start=1):
        question.position = position


def place_at_end_of_section(questionnaire: Series, question: Question) -> None:
    """Move a question after the last other question of its section (or at the very end)."""
    ordered = [q for q in series_questions(questionnaire) if q is not question]
    last = max((i for i, q in enumerate(ordered) if q.section == question.section), default=None)
    ordered.insert(len(ordered) if last is None else last + 1, question)
    renumber(ordered)


def unique_key(questionnaire: Series, text: str) -> str:
    """Return a short key made from the question, unique in the questionnaire."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-") or "question"
    taken = set(db.session.scalars(
        select(Question.key).where(Question.questionnaire_id == questionnaire.id)))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def add_question(questionnaire: Series, **values) -> Question:
    """Add a series question at the end of its section (raises EditorError); audited."""
    cleaned = checked_question(questionnaire, values)
    question = Question(questionnaire_id=questionnaire.id,
                        key=unique_key(questionnaire, cleaned["text_fr"]), active=True,
                        position=(db.session.scalar(select(func.max(Question.position))) or 0) + 1,
                        **cleaned)
    db.session.add(question)
    db.session.flush()
    place_at_end_of_section(questionnaire, question)
    audit.record(None, "question_added", key=question.key)
    db.session.flush()
    return question


def update_question(question: Question, **values) -> None:
    """Reword a question or change its help, flag, limit or section; audited. Flushes."""
    questionnaire = question.questionnaire
    cleaned = checked_question(questionnaire, values)
    moved = cleaned["section"] != question.section
    for name, value in cleaned.items():
        setattr(question, name, value)
    if moved:
        place_at_end_of_section(questionnaire, question)
    audit.record(None, "question_edited", key=question.key)
    db.session.flush()


def move_question(question: Question, direction: str) -> None:
    """Swap a question with its neighbour in the same section ('up' or 'down'). Flushes."""
    ordered = series_questions(question.questionnaire)
    same = [q for q in ordered if q.section == question.section]
    index = same.index(question)
    other_index = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other_index < len(same):
        return
    other = same[other_index]
    i, j = ordered.index(question), ordered.index(other)
    ordered[i], ordered[j] = other, question
    renumber(ordered)
    db.session.flush()


def set_active(question: Question, active: bool) -> None:
    """Deactivate a question (no longer asked) or ask it again; audited. Flushes."""
    question.active = active
    audit.record(None, "question_activated" if active else "question_deactivated",
                 key=question.key)
    db.session.flush()

"""The series and their questionnaires: finding one, the default one, creating one from the
shipped default or as a copy of another.

The default is the package data file intake/data/questionnaire.json: the series (title, intro
paragraphs, reading list), the general questions grouped in sections, and examples of
person-specific questions. Each question keeps the exact wording it had in the published seed
portraits (``seed_variants``) so tests can prove that no question of the series was lost.
"""

import json
from collections.abc import Iterator
from importlib import resources

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from intake.errors import Refused
from intake.extensions import db
from intake.models import Question, Series
from intake.models.questionnaire import SERIES_LANGUAGES
from intake.text import clean_line, slugify
from intake.workflow import audit

# A question's columns a copy takes over (never its id, series or invitation).
QUESTION_FIELDS = ("key", "section", "position", "text_fr", "text_en", "help_fr", "help_en",
                   "required", "max_length", "active")
SETTING_FIELDS = ("title_en", "intro_fr", "intro_en", "reading_list", "reminder_days",
                  "max_reminders", "typography", "register", "languages",
                  "wordpress_categories", "wordpress_tags")


class SeriesError(Refused):
    """A series that cannot be created or found; `.code` says why, `.message` in words."""

    MESSAGES = {
        "title": _l("Le titre en français est obligatoire."),
        "slug_taken": _l("Une autre série a déjà cette adresse (slug) : choisissez-en une "
                         "autre."),
        "slug": _l("L’adresse (slug) ne peut contenir que des lettres sans accents, des "
                   "chiffres et des traits d’union."),
        "unknown": _l("Aucune série ne porte cette adresse (slug)."),
        "none": _l("Il n’y a pas encore de série : lancez « flask --app intake db upgrade »."),
    }

DATA_PACKAGE = "intake.data"
DATA_FILE = "questionnaire.json"


def load_default_questionnaire() -> dict:
    """Read the default questionnaire from the package data and return a fresh dict."""
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def iter_questions(data: dict) -> Iterator[tuple[int, str, dict]]:
    """Yield (position, section_key, question) for every question in order, counting from 1."""
    position = 0
    for section in data["sections"]:
        for question in section["questions"]:
            position += 1
            yield position, section["key"], question


def default_series() -> Series | None:
    """Return the default series: the first one created (today's, after the migration)."""
    return db.session.scalar(select(Series).order_by(Series.id).limit(1))


# The name callers used when there was one series: it means the default series.
current_questionnaire = default_series


def all_series() -> list[Series]:
    """Return every series, the default first."""
    return list(db.session.scalars(select(Series).order_by(Series.id)))


def find_series(slug: str | None) -> Series:
    """Return the series at a slug, or the default one when no slug is given; raises
    SeriesError('unknown' or 'none')."""
    if not slug:
        series = default_series()
        if series is None:
            raise SeriesError("none")
        return series
    series = db.session.scalar(select(Series).where(Series.slug == slug))
    if series is None:
        raise SeriesError("unknown")
    return series


def checked_slug(wanted: str, title: str, series: Series | None = None) -> str:
    """Return the slug asked for (else made from the title), free among the other series;
    raises SeriesError('slug' or 'slug_taken')."""
    slug = (wanted or "").strip() or slugify(title)[:80].strip("-")
    if not slug or slugify(slug) != slug or len(slug) > 80:
        raise SeriesError("slug")
    other = db.session.scalar(select(Series.id).where(Series.slug == slug))
    if other is not None and (series is None or other != series.id):
        raise SeriesError("slug_taken")
    return slug


def create_series(title_fr: str, slug: str = "", copy_from: Series | None = None,
                  actor=None) -> Series:
    """Create a series with the default questionnaire (the seeds'), or with a copy of another
    series' settings and questions; audited; flushes. Raises SeriesError."""
    title = clean_line(title_fr)
    if not title:
        raise SeriesError("title")
    slug = checked_slug(slug, title)
    if copy_from is None:
        # The default questions, not the first series' texts: its English title, its
        # introductions and reading list speak of community managers.
        series = seed_series(load_default_questionnaire(), title, slug)
        series.title_en = series.intro_fr = series.intro_en = ""
        series.reading_list = []
    else:
        series = Series(title_fr=title, slug=slug, **{
            name: _copied(getattr(copy_from, name)) for name in SETTING_FIELDS})
        db.session.add(series)
        db.session.flush()
        for question in copy_from.questions:
            db.session.add(Question(questionnaire_id=series.id, **{
                name: getattr(question, name) for name in QUESTION_FIELDS}))
    db.session.flush()
    audit.record(None, "series_created", actor, slug=slug,
                 copied_from=copy_from.slug if copy_from else "")
    return series


def _copied(value):
    """Return a setting's value, lists copied so two series never share one."""
    return list(value) if isinstance(value, list) else value


def ensure_default_questionnaire() -> Series | None:
    """Load the default series from the package data file when no series exists; flushes."""
    if default_series() is not None:
        return None
    series = seed_series(load_default_questionnaire())
    db.session.flush()
    return series


def seed_series(data: dict, title_fr: str = "", slug: str = "") -> Series:
    """Add a series and its questions from the default questionnaire's data (under another
    title and slug when given); flushes."""
    series = data["series"]
    questionnaire = Series(
        slug=slug or slugify(series["title"]["fr"])[:80].strip("-"),
        languages=list(SERIES_LANGUAGES),
        title_fr=title_fr or series["title"]["fr"],
        title_en=series["title"]["en"],
        intro_fr="\n\n".join(series["intro"]["fr"]),
        intro_en="\n\n".join(series["intro"]["en"]),
        reading_list=series.get("reading_list", []),
        reminder_days=[7, 14],
        max_reminders=2,
    )
    db.session.add(questionnaire)
    db.session.flush()
    for position, section_key, item in iter_questions(data):
        db.session.add(
            Question(
                questionnaire_id=questionnaire.id,
                key=item["key"],
                section=section_key,
                position=position,
                text_fr=item["text"]["fr"],
                text_en=item["text"]["en"],
                help_fr=item.get("help", {}).get("fr", ""),
                help_en=item.get("help", {}).get("en", ""),
                required=bool(item.get("required")),
                max_length=item.get("max_length"),
            )
        )
    db.session.flush()
    return questionnaire

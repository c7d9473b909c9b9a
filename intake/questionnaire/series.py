"""The series and its questionnaire: the current one in the database, the shipped default.

The default is the package data file intake/data/questionnaire.json: the series (title, intro
paragraphs, reading list), the general questions grouped in sections, and examples of
person-specific questions. Each question keeps the exact wording it had in the published seed
portraits (``seed_variants``) so tests can prove that no question of the series was lost.
"""

import json
from collections.abc import Iterator
from importlib import resources

from sqlalchemy import select

from intake.extensions import db
from intake.models import Question, Questionnaire

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


def current_questionnaire() -> Questionnaire | None:
    """Return the series' questionnaire (the first one), if it was loaded."""
    return db.session.scalar(select(Questionnaire).order_by(Questionnaire.id).limit(1))


def ensure_default_questionnaire() -> Questionnaire | None:
    """Load the default questionnaire from the package data file when none exists; flushes."""
    if current_questionnaire() is not None:
        return None
    data = load_default_questionnaire()
    series = data["series"]
    questionnaire = Questionnaire(
        title_fr=series["title"]["fr"],
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

"""The series settings and its questionnaire in the database."""

from sqlalchemy import select

from intake.extensions import db
from intake.models import Question, Questionnaire
from intake.services.default_questionnaire import iter_questions, load_default_questionnaire


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

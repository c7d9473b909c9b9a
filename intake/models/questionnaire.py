"""The series and their questions."""

import secrets

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from intake.extensions import db
from intake.models.invitation import Invitation

SERIES_LANGUAGES = ("fr", "en")


def new_stamp() -> int:
    """Return a random questions stamp (unguessable, so a series whose id comes back after a
    deletion never meets a stamp kept for the old one)."""
    return secrets.randbits(62)


def in_language(french: str, english: str, lang: str) -> str:
    """Return a text in a language, French when the English is missing."""
    return (english if lang == "en" else "") or french


class Series(db.Model):
    """An interview series: its title and slug, introductions, reading list, its own questions,
    typographic convention, register, languages, reminder policy and WordPress categories
    and tags."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    intro_fr: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    reading_list: Mapped[list] = mapped_column(JSON, default=list)
    reminder_days: Mapped[list] = mapped_column(JSON, default=lambda: [7, 14])
    max_reminders: Mapped[int] = mapped_column(default=2)
    typography: Mapped[str] = mapped_column(String(10), default="quebec", server_default="quebec")
    register: Mapped[str] = mapped_column(String(10), default="tu", server_default="tu")
    languages: Mapped[list] = mapped_column(JSON, default=lambda: list(SERIES_LANGUAGES))
    # The category and tag names of its portraits' WordPress posts (intake/wordpress/settings.py).
    wordpress_categories: Mapped[list] = mapped_column(JSON, default=list)
    wordpress_tags: Mapped[list] = mapped_column(JSON, default=list)
    # A new random stamp at every flush that adds, changes or deletes one of its questions
    # (the extra questions of its invitations included): the questionnaire page keeps each
    # series' questions per process under it (intake/questionnaire/structure.py).
    questions_stamp: Mapped[int] = mapped_column(BigInteger, default=new_stamp,
                                                 server_default="0")

    questions: Mapped[list["Question"]] = relationship(
        back_populates="questionnaire",
        order_by="Question.position",
        primaryjoin="and_(Question.questionnaire_id == Series.id, "
        "Question.invitation_id.is_(None))",
        viewonly=True,
    )

    def offers(self, language: str) -> bool:
        """Say whether invitations of this series may be in `language`."""
        return language in (self.languages or SERIES_LANGUAGES)

    def title(self, lang: str) -> str:
        """Return the series title in a language, French when missing."""
        return in_language(self.title_fr, self.title_en, lang)

    def intro(self, lang: str) -> str:
        """Return the series introduction in a language, French when missing."""
        return in_language(self.intro_fr, self.intro_en, lang)


class Question(db.Model):
    """One question of a series (`questionnaire_id`); series-wide when invitation_id is empty,
    else asked of one person."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("series.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(80))
    section: Mapped[str] = mapped_column(String(80), default="")
    position: Mapped[int] = mapped_column(default=0)
    text_fr: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="")
    help_fr: Mapped[str] = mapped_column(Text, default="")
    help_en: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    max_length: Mapped[int | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)

    questionnaire: Mapped[Series] = relationship()

    def text(self, lang: str) -> str:
        """Return the question in a language, French when missing."""
        return in_language(self.text_fr, self.text_en, lang)

    def help(self, lang: str) -> str:
        """Return the help text in a language, French when missing."""
        return in_language(self.help_fr, self.help_en, lang)


@event.listens_for(Session, "before_flush")
def count_question_changes(session, flush_context, instances) -> None:
    """Give a new questions_stamp to each series whose questions (or an invitation holding
    extra questions) this flush adds, changes or deletes."""
    touched = {item.questionnaire_id or getattr(item.questionnaire, "id", None)
               for item in (*session.new, *session.dirty, *session.deleted)
               if isinstance(item, Question)}
    touched.update(item.questionnaire_id for item in session.deleted
                   if isinstance(item, Invitation))
    with session.no_autoflush:
        for series in filter(None, (session.get(Series, key) for key in touched if key)):
            series.questions_stamp = new_stamp()


# The series' first name, from the days of a single series: kept for callers not yet renamed.
Questionnaire = Series

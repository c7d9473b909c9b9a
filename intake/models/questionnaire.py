"""The series and its questions."""

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.extensions import db


class Questionnaire(db.Model):
    """The interview series: its title, introduction, reading list and reminder policy."""

    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    intro_fr: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    reading_list: Mapped[list] = mapped_column(JSON, default=list)
    reminder_days: Mapped[list] = mapped_column(JSON, default=lambda: [7, 14])
    max_reminders: Mapped[int] = mapped_column(default=2)

    questions: Mapped[list["Question"]] = relationship(
        back_populates="questionnaire",
        order_by="Question.position",
        primaryjoin="and_(Question.questionnaire_id == Questionnaire.id, "
        "Question.invitation_id.is_(None))",
        viewonly=True,
    )

    def title(self, lang: str) -> str:
        """Return the series title in a language, French when missing."""
        return (self.title_en if lang == "en" else "") or self.title_fr

    def intro(self, lang: str) -> str:
        """Return the series introduction in a language, French when missing."""
        return (self.intro_en if lang == "en" else "") or self.intro_fr


class Question(db.Model):
    """One question; series-wide when invitation_id is empty, else asked of one person."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
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

    questionnaire: Mapped[Questionnaire] = relationship()

    def text(self, lang: str) -> str:
        """Return the question in a language, French when missing."""
        return (self.text_en if lang == "en" else "") or self.text_fr

    def help(self, lang: str) -> str:
        """Return the help text in a language, French when missing."""
        return (self.help_en if lang == "en" else "") or self.help_fr

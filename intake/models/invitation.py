"""Invitations: who is asked, in which language, through which link."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, String, Text, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from intake.enums import State
from intake.extensions import db
from intake.models.submission import Submission
from intake.models.types import UTCDateTime, utcnow


class Invitation(db.Model):
    """A person invited to answer; the link's token is stored only as its SHA-256."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The series the person is invited to (its questions, settings and public index).
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("series.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), index=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="fr")
    note: Mapped[str] = mapped_column(Text, default="")
    # The link's token is HMAC(secret key, token_nonce): recomputable for reminders, yet
    # neither it nor anything that yields it without the key is stored; lookups use its SHA-256.
    token_nonce: Mapped[str] = mapped_column(String(64))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_email_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    series = relationship("Series")
    questionnaire = synonym("series")
    submission = relationship("Submission", back_populates="invitation", uselist=False)
    extra_questions = relationship(
        "Question",
        order_by="Question.position",
        primaryjoin="Question.invitation_id == Invitation.id",
        cascade="all, delete-orphan",
    )

    def link_is_open(self, states: Iterable[State], now: datetime | None = None, *,
                     ignore_expiry: bool = False) -> bool:
        """Say whether the link still opens while the submission is in one of `states`: not
        revoked and, unless `ignore_expiry`, not past its expiry date."""
        return (self.revoked_at is None and self.submission is not None
                and self.submission.state in states
                and (ignore_expiry or self.expires_at > (now or utcnow())))

    @classmethod
    def open_clause(cls, states: Iterable[State], now: datetime | None = None, *,
                    ignore_expiry: bool = False) -> ColumnElement[bool]:
        """Return link_is_open as an SQL condition (the query joins Submission)."""
        condition = and_(cls.revoked_at.is_(None),
                         Submission.state.in_([State(state).value for state in states]))
        if ignore_expiry:
            return condition
        return and_(condition, cls.expires_at > (now or utcnow()))

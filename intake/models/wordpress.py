"""Pushes of portraits to WordPress: queued work with retries, like the outbox."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.enums import PushAction, PushStatus, WordPressStatus
from intake.extensions import db
from intake.models.types import UTCDateTime, utcnow


class WordPressPush(db.Model):
    """One push of a portrait to WordPress (or its move back to draft), retried with backoff."""

    __tablename__ = "wordpress_pushes"
    __table_args__ = (Index("ix_wordpress_pushes_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for the deletion of an erased person's post: its ids are on the row itself.
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    erase_ids: Mapped[dict | None] = mapped_column(JSON)
    action: Mapped[str] = mapped_column(String(20), default=PushAction.PUSH.value)
    post_status: Mapped[str] = mapped_column(String(20), default=WordPressStatus.DRAFT.value)
    post_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=PushStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error_code: Mapped[str] = mapped_column(String(40), default="")
    error_detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    submission = relationship("Submission")

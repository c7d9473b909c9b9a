"""A person's portrait in the making: state, answers, links, photos, consent."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.enums import RenditionStatus, State
from intake.extensions import db
from intake.models.types import UTCDateTime, utcnow


class Submission(db.Model):
    """One invitee's portrait; `version` rises with every state move (optimistic locking)."""

    __tablename__ = "submissions"
    # Readers' lists, newest first (intake/publishing/listing.py): read a page at a time from
    # this index (scanned backwards by SQLite and PostgreSQL), never sorted whole; it holds
    # invitation_id so a series' list is filtered without reading the table.
    __table_args__ = (Index("ix_submissions_published_order", "state", "publication_date",
                            "published_at", "id", "slug", "invitation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = mapped_column(String(20), default=State.INVITED, index=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    display_name: Mapped[str] = mapped_column(String(200), default="")
    role_title: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")

    title: Mapped[str] = mapped_column(String(300), default="")
    slug: Mapped[str | None] = mapped_column(String(120), unique=True)
    editor_intro: Mapped[str] = mapped_column(Text, default="")
    publication_date: Mapped[date | None] = mapped_column(Date)
    review_message: Mapped[str] = mapped_column(Text, default="")

    proof_requested: Mapped[bool] = mapped_column(default=False)
    proof_status: Mapped[str] = mapped_column(String(20), default="")
    proof_comment: Mapped[str] = mapped_column(Text, default="")

    # The WordPress post this portrait was pushed to, and its media by photo kind:
    # {"portrait": {"id": 12, "sha256": "…", "url": "https://…"}}. Pushing again reuses them.
    wp_post_id: Mapped[int | None] = mapped_column()
    wp_media: Mapped[dict | None] = mapped_column(JSON)
    wp_pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invitation = relationship("Invitation", back_populates="submission")
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="submission", order_by="Answer.position", cascade="all, delete-orphan"
    )
    links: Mapped[list["SocialLink"]] = relationship(
        back_populates="submission", order_by="SocialLink.position", cascade="all, delete-orphan"
    )
    photos: Mapped[list["Photo"]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )
    consents: Mapped[list["Consent"]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )
    revisions: Mapped[list["Revision"]] = relationship(
        back_populates="submission", order_by="Revision.number", cascade="all, delete-orphan"
    )

    def photo(self, kind: str) -> "Photo | None":
        """Return the photo of a kind ('portrait' or 'workspace'), if any."""
        return next((p for p in self.photos if p.kind == kind), None)


class Answer(db.Model):
    """An answer, with the exact question text it answered and the blogger's edit."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("submission_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    question_text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    body: Mapped[str] = mapped_column(Text, default="")
    edited_body: Mapped[str | None] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="answers")
    question = relationship("Question")

    @property
    def published_body(self) -> str:
        """Return the text to publish: the blogger's edit when there is one."""
        return self.body if self.edited_body is None else self.edited_body


class SocialLink(db.Model):
    """A normalised social handle and the canonical URL built from it."""

    __tablename__ = "social_links"
    __table_args__ = (UniqueConstraint("submission_id", "network"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    network: Mapped[str] = mapped_column(String(20))
    handle: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(400))
    position: Mapped[int] = mapped_column(default=0)

    submission: Mapped[Submission] = relationship(back_populates="links")


class Photo(db.Model):
    """A re-encoded photo stored in the database, so any worker can serve it."""

    __tablename__ = "photos"
    __table_args__ = (UniqueConstraint("submission_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    caption: Mapped[str] = mapped_column(String(300), default="")
    credit: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    crop: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="photos")


class Consent(db.Model):
    """The invitee's consent to publication, with the version of the text agreed to."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    text_version: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="consents")


class Revision(db.Model):
    """A snapshot of what the invitee sent at one submit, to show what changed next time."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="revisions")


class Rendition(db.Model):
    """A rendered output of a published portrait (the PDF), stored for every worker."""

    __tablename__ = "renditions"
    __table_args__ = (UniqueConstraint("submission_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(20), default=RenditionStatus.PENDING.value)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a new render was last asked for: the worker stores its render only if no newer
    # request (an edit while it rendered) came in meanwhile.
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

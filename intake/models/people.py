"""Blogger accounts."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from intake.extensions import db
from intake.models.types import UTCDateTime, utcnow


class User(UserMixin, db.Model):
    """A blogger who logs in to invite, review and publish."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Signs the emails invitees receive; set in the welcome step, changed on the account page.
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), default="fr")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None until the blogger completed the welcome step (name, real email, own password).
    welcomed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every session's login id: raising it (logout, password change) ends every
    # session opened before, on every device.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """Return the login id Flask-Login keeps in the session: `<id>:<session version>`."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        """Hash and keep a new password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Say whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

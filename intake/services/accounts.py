"""Blogger accounts: create, authenticate, change password."""

import secrets

from sqlalchemy import func, select

from intake.extensions import db
from intake.models import User, utcnow


class AccountError(Exception):
    """A refused account operation, with a message for the person."""


def normalise_email(email: str) -> str:
    """Return an email address trimmed and lower-cased for lookups."""
    return email.strip().lower()


def create_user(email: str, password: str, language: str = "fr") -> User:
    """Add a blogger account; flushes. Raises AccountError if the email is taken."""
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise AccountError(f"an account already exists for {email}")
    if len(password) < 10:
        raise AccountError("the password must have at least 10 characters")
    user = User(email=email, language=language)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user matching email and password, stamping the login time."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        # Hash anyway so a missing account takes as long as a wrong password.
        User(password_hash="").set_password(password)
        return None
    if not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


def ensure_first_user(email: str = "admin@localhost") -> tuple[User, str] | None:
    """Create a first blogger with a random password when there is none; flushes."""
    if db.session.scalar(select(func.count(User.id))):
        return None
    password = secrets.token_urlsafe(12)
    return create_user(email, password), password

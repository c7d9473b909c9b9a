"""Blogger accounts: create, authenticate, welcome, change name, email and password."""

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from intake.errors import Refused
from intake.extensions import db
from intake.i18n import is_timezone, set_blog_timezone
from intake.mail.addresses import MailError, checked_address
from intake.models import User, utcnow
from intake.text import clean_line

# The account `setup` creates: a placeholder to log in once; the welcome step replaces it.
FIRST_ACCOUNT_EMAIL = "admin@example.org"
MIN_PASSWORD_LENGTH = 10


class AccountError(Refused):
    """A refused account operation, with a sentence for the person and the field it is about."""

    def __init__(self, message, field: str = ""):
        super().__init__(field or "invalid", {field: message} if field else {}, message=message)
        self.field = field


def normalise_email(email: str) -> str:
    """Return an email address trimmed and lower-cased for lookups."""
    return email.strip().lower()


def account_address(email: str, user: User | None = None) -> str:
    """Return a blogger's address normalised, refusing one mail cannot reach or already taken."""
    try:
        address = normalise_email(checked_address(email or ""))
    except MailError as error:
        raise AccountError(_l("« %(address)s » n’est pas une adresse courriel que le courrier "
                              "peut joindre (%(reason)s). Indiquez une adresse complète, par "
                              "exemple nom@exemple.com.", address=(email or "").strip()[:254],
                              reason=str(error)), "email") from error
    taken = db.session.scalar(select(User.id).where(User.email == address))
    if taken and (user is None or taken != user.id):
        raise AccountError(_l("Un compte existe déjà pour %(address)s.", address=address),
                           "email")
    return address


def checked_password(password: str) -> str:
    """Return a password long enough, or raise AccountError."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(_l("Le mot de passe doit compter au moins %(n)d caractères.",
                              n=MIN_PASSWORD_LENGTH), "password")
    return password


def create_user(email: str, password: str, language: str = "fr", name: str = "") -> User:
    """Add a blogger account; flushes. Raises AccountError for a bad or taken address.

    An account created with a name is ready; one without must complete the welcome step.
    """
    user = User(email=account_address(email), language=language, name=clean_line(name))
    user.set_password(checked_password(password))
    if user.name:
        user.welcomed_at = utcnow()
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


def ensure_first_user(email: str = FIRST_ACCOUNT_EMAIL) -> tuple[User, str] | None:
    """Create a first blogger with a random password when there is none; flushes."""
    if db.session.scalar(select(func.count(User.id))):
        return None
    password = secrets.token_urlsafe(12)
    return create_user(email, password), password


def update_profile(user: User, *, name: str, email: str, language: str) -> None:
    """Change a blogger's name, email and language; flushes. Raises AccountError."""
    name = clean_line(name)
    if not name:
        raise AccountError(_l("Indiquez votre nom : il signe les courriels aux personnes "
                              "invitées."), "name")
    user.email = account_address(email, user)
    user.name = name[:200]
    user.language = language if language in ("fr", "en") else user.language
    db.session.flush()


def update_account(user: User, *, name: str, email: str, language: str, timezone: str) -> None:
    """Change a blogger's profile and the blog's time zone; flushes. Raises AccountError."""
    blog_timezone_choice(timezone)
    update_profile(user, name=name, email=email, language=language)
    set_blog_timezone(timezone)


def blog_timezone_choice(timezone: str) -> str:
    """Return a time zone this machine knows, or raise AccountError."""
    if not is_timezone(timezone):
        raise AccountError(_l("Choisissez un fuseau horaire de la liste."), "timezone")
    return timezone


def end_sessions(user: User) -> None:
    """End every session of the blogger, on every device (logout, new password); flushes."""
    user.session_version = User.session_version + 1  # in SQL: two tabs at once both count
    db.session.flush()


def change_password(user: User, password: str) -> None:
    """Replace a blogger's password and end their other sessions; flushes. Raises
    AccountError."""
    user.set_password(checked_password(password))
    end_sessions(user)


def complete_welcome(user: User, *, name: str, email: str, password: str,
                     timezone: str) -> None:
    """Finish the first login: name, real email, own password (ending the sessions opened
    with the one-time password) and the blog's time zone; flushes. Raises AccountError
    (nothing is changed then)."""
    blog_timezone_choice(timezone)
    checked_password(password)
    update_profile(user, name=name, email=email, language=user.language)
    user.set_password(password)
    end_sessions(user)
    user.welcomed_at = utcnow()
    set_blog_timezone(timezone)

"""What a delivery error means, and when a message is tried again.

Classified by exception type and SMTP code, never as "any OSError": smtplib's per-message
refusals (SMTPRecipientsRefused, SMTPDataError…) are OSError subclasses too.
"""

import enum
import smtplib
from datetime import datetime, timedelta

from flask import current_app
from flask_mail import BadHeaderError

# Waits after the 1st, 2nd and 3rd passing failure; then every MAIL_RETRY_CAP_MINUTES until
# MAIL_RETRY_DAYS have passed since the first one, then 'failed'.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))

# Errors about the session, not the message: the server is unreachable, refuses us, is slow.
SESSION_TYPES = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError,
                 smtplib.SMTPHeloError, smtplib.SMTPAuthenticationError,
                 smtplib.SMTPNotSupportedError)


class Verdict(enum.Enum):
    """What one error does: stop the session, retry the message later, or fail it."""

    SESSION = "session"
    RETRY = "retry"
    FAIL = "fail"


def by_code(code: int) -> Verdict:
    """Return the verdict of an SMTP reply code about one message (421: the server leaves)."""
    if code == 421 or code < 400:
        return Verdict.SESSION
    return Verdict.RETRY if code < 500 else Verdict.FAIL


def classify(error: BaseException) -> Verdict:
    """Return what a delivery error means for the message and the session."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        verdicts = {by_code(code) for code, _text in error.recipients.values()}
        for verdict in (Verdict.SESSION, Verdict.RETRY, Verdict.FAIL):
            if verdict in verdicts:
                return verdict
        return Verdict.RETRY
    if isinstance(error, SESSION_TYPES):
        return Verdict.SESSION
    if isinstance(error, smtplib.SMTPResponseException):
        return by_code(error.smtp_code)
    if isinstance(error, OSError | smtplib.SMTPException):
        return Verdict.SESSION  # socket errors, timeouts, deadlines, TLS
    if isinstance(error, BadHeaderError | ValueError):
        return Verdict.FAIL  # the message itself cannot be written on the wire
    raise TypeError(f"not a delivery error: {error!r}")


def describe(error: BaseException) -> str:
    """Return a short description of a delivery error, as stored in last_error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        details = "; ".join(f"{code} {as_text(text)}" for code, text in error.recipients.values())
        return f"SMTPRecipientsRefused: {details}"[:1000]
    if isinstance(error, smtplib.SMTPResponseException) and not isinstance(
            error, smtplib.SMTPConnectError):
        return f"{type(error).__name__}: {error.smtp_code} {as_text(error.smtp_error)}"[:1000]
    return f"{type(error).__name__}: {error}"[:1000]


def as_text(value) -> str:
    """Return an SMTP reply text as str."""
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def next_attempt(attempts: int, retry_since: datetime, now: datetime) -> datetime | None:
    """Return when to try a message again after `attempts` tries, or None to give up.

    The waits grow (BACKOFF) to MAIL_RETRY_CAP_MINUTES; the last try falls at the end of
    MAIL_RETRY_DAYS after the first failure.
    """
    period = timedelta(days=float(current_app.config["MAIL_RETRY_DAYS"]))
    if now - retry_since >= period:
        return None
    cap = timedelta(minutes=float(current_app.config["MAIL_RETRY_CAP_MINUTES"]))
    wait = BACKOFF[attempts - 1] if 0 < attempts <= len(BACKOFF) else cap
    return min(now + min(wait, cap), retry_since + period)

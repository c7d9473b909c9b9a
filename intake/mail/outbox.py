"""The outbox: queue a message in the caller's transaction; delivery happens after commit."""

import hashlib
import uuid
from urllib.parse import urlsplit

from babel.core import UnknownLocaleError
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateError
from sqlalchemy import func, select

from intake.extensions import db
from intake.mail.addresses import MailError, checked_address, one_line
from intake.mail.placeholders import render_custom_email
from intake.models import OutboxMessage, Submission, utcnow

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
# A message that cannot be queued is kept as 'failed'; its last_error starts with one of these.
INVALID_ADDRESS, TEMPLATE_ERROR = "invalid_address", "template_error"
QUEUE_FAILURES = (INVALID_ADDRESS, TEMPLATE_ERROR)
# What rendering an email template may raise: Jinja's errors and those of the code it calls.
RENDER_ERRORS = (TemplateError, UnknownLocaleError, ArithmeticError, AttributeError,
                 LookupError, TypeError, ValueError)


def new_message_id() -> str:
    """Return a unique, stable Message-ID in our own domain."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"<{uuid.uuid4().hex}@{host}>"


def render_email(kind: str, language: str, **context) -> tuple[str, str, str]:
    """Render a message's subject, text and HTML from templates/email/KIND.* in a language."""
    context.setdefault("email_language", language)
    with force_locale(language):
        subject = render_template(f"email/{kind}.subject.txt", **context)
        text = render_template(f"email/{kind}.txt", **context)
        html = render_template(f"email/{kind}.html", **context)
    return one_line(subject), text, html


def queue_message(kind: str, *, to_addr: str, to_name: str = "", language: str = "fr",
                  submission: Submission | None = None, dedupe_key: str | None = None,
                  edited_subject: str | None = None, edited_body: str | None = None,
                  placeholders: dict[str, str] | None = None, **context) -> OutboxMessage:
    """Write a message to the outbox in the current transaction; flushes. Sent after commit.

    The templates see `submission` and every extra keyword in `context`; an edited subject and
    body (with their placeholder values) replace the templates. Never raises for the message
    itself: a bad address or a template error is written as a 'failed' row whose last_error
    says why (see failure_reason), so the move that caused it still happens. One row per
    dedupe_key: a queued or sent one is returned untouched, one that could not be queued is
    written over by this new attempt.
    """
    dedupe_key = fit_key(dedupe_key)
    existing = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    ) if dedupe_key else None
    if existing is not None and queue_failure(existing) is None:
        return existing
    failure, address = "", one_line(to_addr, 254)
    try:
        address = checked_address(to_addr)
    except MailError as error:
        failure = f"{INVALID_ADDRESS}: {error}"
    subject, text, html = f"[{kind}]", "", ""
    try:  # rendered before anything is added, so an error leaves the session usable
        if edited_body is not None:
            subject, text, html = render_custom_email(language, edited_subject or "",
                                                      edited_body, placeholders or {})
        else:
            subject, text, html = render_email(kind, language, submission=submission, **context)
    except RENDER_ERRORS as error:
        current_app.logger.exception("email %r could not be rendered", kind)
        failure = f"{TEMPLATE_ERROR}: {type(error).__name__}: {error}"
    message = existing or OutboxMessage(message_id=new_message_id(), dedupe_key=dedupe_key)
    message.kind = kind
    message.submission_id = submission.id if submission is not None else None
    message.to_addr = address
    message.to_name = one_line(to_name, 200)
    message.subject = one_line(subject)
    message.text_body, message.html_body, message.language = text, html, language
    message.status = FAILED if failure else QUEUED
    message.attempts, message.claimed_at = 0, None
    message.next_attempt_at = utcnow()
    message.last_error = failure[:1000]
    if existing is None:
        db.session.add(message)
    db.session.flush()
    if failure:
        current_app.logger.warning("email %r to %r not queued: %s", kind, address, failure)
    else:
        db.session.info["outbox_pending"] = True  # read by delivery's after-commit hook
    return message


def fit_key(key: str | None) -> str | None:
    """Return a dedupe key that fits its column: a long one keeps its start and a digest."""
    if key is None or len(key) <= 200:
        return key
    return f"{key[:135]}:{hashlib.sha256(key.encode()).hexdigest()}"


# Why a message could not be queued -------------------------------------------------------

def queue_failure(message: OutboxMessage) -> tuple[str, str] | None:
    """Return (code, detail) of a message that could not be queued, or None for any other."""
    code, separator, detail = (message.last_error or "").partition(": ")
    if message.status == FAILED and separator and code in QUEUE_FAILURES:
        return code, detail
    return None


def failure_reason(message: OutboxMessage) -> str:
    """Say, in the current language, why a message could not be queued; '' when it was."""
    failure = queue_failure(message)
    if failure is None:
        return ""
    code, detail = failure
    if code == INVALID_ADDRESS:
        return _("L’adresse « %(address)s » n’est pas une adresse courriel valide : %(detail)s "
                 "Ce courriel n’est pas parti. Corrigez l’adresse là où elle a été saisie "
                 "(l’invitation, le compte du blogueur ou le réglage BLOGGER_NOTIFY_EMAIL) : "
                 "les courriels suivants partiront normalement.",
                 address=message.to_addr, detail=detail)
    return _("Ce courriel n’a pas pu être rédigé, car son modèle contient une erreur "
             "(%(detail)s). Il n’est pas parti et ne peut pas être renvoyé; signalez-le à la "
             "personne qui s’occupe du site.", detail=detail)


def retry_refusal(message: OutboxMessage) -> str:
    """Say, in the current language, why the retry button could not send a message again."""
    failure = queue_failure(message)
    if failure and failure[0] == INVALID_ADDRESS:
        return _("L’adresse « %(address)s » n’est toujours pas valide : ce courriel ne peut "
                 "pas être renvoyé tel quel. Corrigez d’abord l’adresse là où elle a été "
                 "saisie; les courriels suivants partiront à la bonne adresse.",
                 address=message.to_addr)
    if failure:
        return _("Ce courriel n’a pas pu être rédigé : il ne peut pas être renvoyé.")
    return _("Ce courriel ne peut pas être renvoyé.")


def failed_messages(limit: int = 3) -> tuple[int, list[OutboxMessage]]:
    """Return how many messages failed and the latest few, in one query."""
    rows = db.session.execute(
        select(OutboxMessage, func.count().over())
        .where(OutboxMessage.status == FAILED)
        .order_by(OutboxMessage.id.desc()).limit(limit)
    ).all()
    return (rows[0][1] if rows else 0), [message for message, _count in rows]

"""The outbox: queue a message in the caller's transaction; the worker delivers it."""

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from babel.core import UnknownLocaleError
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateError
from sqlalchemy import and_, func, or_, select

from intake.enums import OutboxStatus
from intake.extensions import db
from intake.mail.addresses import MailError, checked_address, one_line
from intake.mail.placeholders import render_custom_email
from intake.models import Invitation, OutboxMessage, Submission, User, utcnow

# A message that cannot be queued is kept as 'failed'; its last_error starts with one of these.
INVALID_ADDRESS, TEMPLATE_ERROR = "invalid_address", "template_error"
QUEUE_FAILURES = (INVALID_ADDRESS, TEMPLATE_ERROR)
# A message whose invitation was revoked before it went: delivery stores this code (the name
# of mail/link_slots.LinkUnavailable, as delivery's describe() writes it) and never sends it.
LINK_UNAVAILABLE = "LinkUnavailable"
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


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to: an address, a name (may be empty) and a language."""

    address: str
    name: str = ""
    language: str = "fr"

    @classmethod
    def invitee(cls, invitation: Invitation) -> "Recipient":
        """Return the person an invitation was sent to, in their language."""
        return cls(invitation.email, invitation.name, invitation.language)

    @classmethod
    def bloggers(cls) -> list["Recipient"]:
        """Return who hears about invitees, in which language: BLOGGER_NOTIFY_EMAIL, else every
        blogger who finished the welcome step (every active one while none has)."""
        configured = current_app.config.get("BLOGGER_NOTIFY_EMAIL")
        if configured:
            return [cls(configured, "", current_app.config["BABEL_DEFAULT_LOCALE"])]
        users = db.session.scalars(select(User).where(User.active.is_(True))
                                   .order_by(User.id)).all()
        welcomed = [user for user in users if user.welcomed_at is not None] or users
        return [cls(user.email, "", user.language) for user in welcomed]


def queue_templated(kind: str, to: Recipient, *, submission: Submission | None = None,
                    dedupe_key: str | None = None, **context) -> OutboxMessage:
    """Queue a message rendered from templates/email/KIND.* in the recipient's language, which
    see `submission` and every keyword of `context`; flushes (see _queue). The worker sends it."""
    return _queue(kind, to, lambda: render_email(kind, to.language, submission=submission,
                                                 **context),
                  submission=submission, dedupe_key=dedupe_key)


def queue_written(kind: str, to: Recipient, subject: str, text: str, values: dict[str, str], *,
                  submission: Submission | None = None,
                  dedupe_key: str | None = None) -> OutboxMessage:
    """Queue a message the blogger wrote: its {placeholders} filled with plain `values`, its
    HTML part rendered from email/custom.html; flushes (see _queue). The worker sends it."""
    return _queue(kind, to, lambda: render_custom_email(to.language, subject, text, values),
                  submission=submission, dedupe_key=dedupe_key)


def _queue(kind: str, to: Recipient, render: Callable[[], tuple[str, str, str]], *,
           submission: Submission | None, dedupe_key: str | None) -> OutboxMessage:
    """Write a message to the outbox in the current transaction; flushes.

    `render` returns the subject, text and HTML. Never raises for the message itself: a bad
    address or a rendering error is written as a 'failed' row whose last_error says why (see
    failure_reason), so the move that caused it still happens. One row per dedupe_key: a
    queued or sent one is returned untouched, one that could not be queued is written over by
    this new attempt.
    """
    dedupe_key = fit_key(dedupe_key)
    existing = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    ) if dedupe_key else None
    if existing is not None and queue_failure(existing) is None:
        return existing
    failure, address = "", one_line(to.address, 254)
    try:
        address = checked_address(to.address)
    except MailError as error:
        failure = f"{INVALID_ADDRESS}: {error}"
    subject, text, html = f"[{kind}]", "", ""
    try:  # rendered before anything is added, so an error leaves the session usable
        subject, text, html = render()
    except RENDER_ERRORS as error:
        current_app.logger.exception("email %r could not be rendered", kind)
        failure = f"{TEMPLATE_ERROR}: {type(error).__name__}: {error}"
    message = existing or OutboxMessage(message_id=new_message_id(), dedupe_key=dedupe_key)
    message.kind = kind
    message.submission_id = submission.id if submission is not None else None
    message.to_addr = address
    message.to_name = one_line(to.name, 200)
    message.subject = one_line(subject)
    message.text_body, message.html_body, message.language = text, html, to.language
    message.status = OutboxStatus.FAILED if failure else OutboxStatus.QUEUED
    message.attempts, message.claimed_at = 0, None
    message.next_attempt_at = utcnow()
    message.last_error = failure[:1000]
    if existing is None:
        db.session.add(message)
    db.session.flush()
    if failure:
        current_app.logger.warning("email %r to %r not queued: %s", kind, address, failure)
    return message


def fit_key(key: str | None) -> str | None:
    """Return a dedupe key that fits its column: a long one keeps its start and a digest."""
    if key is None or len(key) <= 200:
        return key
    return f"{key[:135]}:{hashlib.sha256(key.encode()).hexdigest()}"


# Why a message could not be queued -------------------------------------------------------

def queue_failure(message: OutboxMessage) -> tuple[str, str] | None:
    """Return (code, detail) of a message that could not be queued, or whose link died before
    it was sent; None for any other."""
    code, separator, detail = (message.last_error or "").partition(": ")
    if message.status == OutboxStatus.FAILED and separator and (code in QUEUE_FAILURES
                                                                 or code == LINK_UNAVAILABLE):
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
    if code == LINK_UNAVAILABLE:
        return _("Ce courriel n’est pas parti : l’invitation a été révoquée avant son envoi, "
                 "et le lien qu’il portait ne fonctionne plus. Il ne sera pas envoyé.")
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
    if failure and failure[0] == LINK_UNAVAILABLE:
        return _("L’invitation a été révoquée : ce courriel ne peut pas être renvoyé.")
    if failure:
        return _("Ce courriel n’a pas pu être rédigé : il ne peut pas être renvoyé.")
    return _("Ce courriel ne peut pas être renvoyé.")


@dataclass
class MailTrouble:
    """What the dashboard says about mail: failed messages and those waiting after an error."""

    failed_count: int = 0
    failed_latest: list[OutboxMessage] = field(default_factory=list)
    retrying_count: int = 0
    retrying_latest: OutboxMessage | None = None


def mail_trouble(limit: int = 3) -> MailTrouble:
    """Return how many messages failed (and the latest few) and how many wait for a new try
    after an error (and the latest), in one query."""
    failed = OutboxMessage.status == OutboxStatus.FAILED
    waiting = and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.last_error != "")
    ranked = select(
        OutboxMessage.id,
        func.count().over(partition_by=OutboxMessage.status).label("total"),
        func.row_number().over(partition_by=OutboxMessage.status,
                               order_by=OutboxMessage.id.desc()).label("rank"),
    ).where(or_(failed, waiting)).subquery()
    rows = db.session.execute(
        select(OutboxMessage, ranked.c.total).join(ranked, ranked.c.id == OutboxMessage.id)
        .where(ranked.c.rank <= limit).order_by(OutboxMessage.id.desc())).all()
    trouble = MailTrouble()
    for message, total in rows:
        if message.status == OutboxStatus.FAILED:
            trouble.failed_count = total
            trouble.failed_latest.append(message)
        elif trouble.retrying_latest is None:
            trouble.retrying_count, trouble.retrying_latest = total, message
    return trouble

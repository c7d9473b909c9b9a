"""The outbox: queue a message in the caller's transaction; delivery happens after commit."""

import re
import uuid
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from flask_babel import force_locale

from intake.extensions import db
from intake.models import OutboxMessage, Submission

LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\v\f]+")


class MailError(Exception):
    """A message that cannot be queued (bad address), with a reason for the person."""


def one_line(value: str, limit: int = 300) -> str:
    """Return a header-safe value: line breaks and runs of spaces folded into one space."""
    return re.sub(r"\s+", " ", LINE_BREAKS.sub(" ", value or "")).strip()[:limit]


def checked_address(address: str) -> str:
    """Return a normalised email address, or raise MailError if it is not one."""
    if LINE_BREAKS.search(address or ""):
        raise MailError("line break in address")
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise MailError(str(error)) from error


def new_message_id() -> str:
    """Return a unique, stable Message-ID in our own domain."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"<{uuid.uuid4().hex}@{host}>"


def render_email(kind: str, language: str, **context) -> tuple[str, str, str]:
    """Render a message's subject, text and HTML from templates/email/KIND.* in a language."""
    with force_locale(language):
        subject = render_template(f"email/{kind}.subject.txt", **context)
        text = render_template(f"email/{kind}.txt", **context)
        html = render_template(f"email/{kind}.html", **context)
    return one_line(subject), text, html


def queue_message(kind: str, *, to_addr: str, to_name: str = "", language: str = "fr",
                  submission: Submission | None = None, dedupe_key: str | None = None,
                  subject: str | None = None, text_body: str | None = None,
                  html_body: str | None = None, **context) -> OutboxMessage:
    """Write a message to the outbox in the current transaction; flushes. Sent after commit."""
    rendered = render_email(kind, language, **context) if text_body is None else None
    message = OutboxMessage(
        kind=kind,
        submission_id=submission.id if submission is not None else None,
        to_addr=checked_address(to_addr),
        to_name=one_line(to_name, 200),
        subject=one_line(subject if subject is not None else rendered[0]),
        text_body=text_body if text_body is not None else rendered[1],
        html_body=html_body if html_body is not None else (rendered[2] if rendered else ""),
        language=language,
        message_id=new_message_id(),
        dedupe_key=dedupe_key,
    )
    db.session.add(message)
    db.session.flush()
    return message

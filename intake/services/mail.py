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
    context.setdefault("email_language", language)
    with force_locale(language):
        subject = render_template(f"email/{kind}.subject.txt", **context)
        text = render_template(f"email/{kind}.txt", **context)
        html = render_template(f"email/{kind}.html", **context)
    return one_line(subject), text, html


def queue_message(kind: str, *, to_addr: str, to_name: str = "", language: str = "fr",
                  submission: Submission | None = None, dedupe_key: str | None = None,
                  subject: str | None = None, text_body: str | None = None,
                  html_body: str | None = None, **context) -> OutboxMessage:
    """Write a message to the outbox in the current transaction; flushes. Sent after commit.

    The templates see `submission` and every extra keyword in `context`.
    """
    rendered = (render_email(kind, language, submission=submission, **context)
                if text_body is None else None)
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
    db.session.info["outbox_pending"] = True  # read by delivery's after-commit hook
    return message


# Placeholders the blogger may use in an edited message, each mapped to its value's name.
PLACEHOLDERS = {
    "nom": "name", "name": "name",
    "lien": "link", "link": "link",
    "date_limite": "expires", "expires": "expires",
}
PLACEHOLDER = re.compile(r"\{([^{}\s]{0,40})\}")


def unknown_placeholders(text: str) -> list[str]:
    """Return the `{…}` placeholders of a text that are not known, in order, once each."""
    found = [m.group(0) for m in PLACEHOLDER.finditer(text or "")
             if m.group(1) not in PLACEHOLDERS]
    return list(dict.fromkeys(found))


def has_link_placeholder(text: str) -> bool:
    """Say whether a text holds the link placeholder ({lien} or {link})."""
    return any(PLACEHOLDERS.get(m.group(1)) == "link" for m in PLACEHOLDER.finditer(text or ""))


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace known placeholders by plain values in one pass; nothing else is evaluated."""

    def value(match: re.Match) -> str:
        name = PLACEHOLDERS.get(match.group(1))
        return values.get(name, match.group(0)) if name else match.group(0)

    return PLACEHOLDER.sub(value, text or "")


def body_paragraphs(text: str, values: dict[str, str]) -> list[list[list[tuple[str, str]]]]:
    """Split a body into paragraphs of lines of ("text"|"link", value) pieces for HTML."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        lines = []
        for line in block.split("\n"):
            pieces, start = [], 0
            for match in PLACEHOLDER.finditer(line):
                name = PLACEHOLDERS.get(match.group(1))
                if name is None:
                    continue
                pieces.append(("text", line[start:match.start()]))
                pieces.append(("link" if name == "link" else "text", values.get(name, "")))
                start = match.end()
            pieces.append(("text", line[start:]))
            lines.append([piece for piece in pieces if piece[1]])
        paragraphs.append(lines)
    return paragraphs


def render_custom_email(language: str, subject: str, body: str,
                        values: dict[str, str]) -> tuple[str, str, str]:
    """Render an edited subject and body with plain placeholder values: subject, text, HTML."""
    subject = one_line(fill_placeholders(subject, values))
    text = fill_placeholders(body, values).replace("\r\n", "\n")
    with force_locale(language):
        html = render_template("email/custom.html", subject=subject, email_language=language,
                               paragraphs=body_paragraphs(body, values))
    return subject, text, html

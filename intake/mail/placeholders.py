"""The blogger's edited messages: known {placeholders} filled with plain values, never code."""

import re

from flask import render_template
from flask_babel import force_locale

from intake.mail.addresses import one_line

# Placeholders the blogger may use in an edited message, each mapped to its value's name.
PLACEHOLDERS = {
    "nom": "name", "name": "name",
    "lien": "link", "link": "link",
    "date_limite": "expires", "expires": "expires",
    "mot_personnel": "note", "note": "note",
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

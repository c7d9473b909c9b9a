"""Refusals and friendly error pages in both languages.

A domain function that says no raises a Refused: a `code` saying why, the sentence for it
(`message`) and, when the refusal is about form fields, a message per field (`errors`).
Nothing was changed when it is raised; each blueprint turns it into a page, a flash message
or a form with its fields marked.
"""

from typing import ClassVar

from flask import Flask, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from intake.extensions import db
from intake.request_limits import TooManyFields


class Refused(Exception):
    """A refused operation: `code` says why, `message` says it in words, `errors` per field.

    Subclasses give the sentence of each of their codes in MESSAGES.
    """

    MESSAGES: ClassVar[dict[str, object]] = {}

    def __init__(self, code: str, errors: dict | None = None, message=None):
        super().__init__(code)
        self.code = code
        self.errors = dict(errors or {})
        self._message = message

    @property
    def message(self):
        """Return the sentence that says why, translated when shown."""
        if self._message is not None:
            return self._message
        return self.MESSAGES.get(self.code, self.code)


class FieldRefused(Refused):
    """One value refused (a social handle, an uploaded photo), with the sentence for it."""

    def __init__(self, message):
        super().__init__("invalid", message=message)


MESSAGES = {
    400: (_l("Requête invalide"), _l("La page n’a pas compris cette demande.")),
    403: (_l("Accès refusé"), _l("Vous n’avez pas accès à cette page.")),
    404: (_l("Page introuvable"), _l("Cette page n’existe pas ou n’existe plus.")),
    413: (
        _l("Fichier trop volumineux"),
        _l("L’envoi dépasse la taille permise (10 Mo par photo). Réduisez le fichier et "
           "réessayez."),
    ),
    429: (
        _l("Trop de tentatives"),
        _l("Trop de demandes en peu de temps. Attendez une minute, puis réessayez."),
    ),
    500: (
        _l("Erreur du serveur"),
        _l("Une erreur inattendue s’est produite. Rien de ce que vous avez enregistré n’est "
           "perdu; réessayez dans un instant."),
    ),
}


def init_app(app: Flask) -> None:
    """Register one handler per status code, plus the CSRF failure."""
    for code in MESSAGES:
        app.register_error_handler(code, render_error)
    app.register_error_handler(CSRFError, render_csrf_error)


# An oversized upload is read and thrown away up to this size, so the browser receives the
# friendly 413 page instead of a reset connection; past it the connection is just closed.
DRAIN_LIMIT = 64 * 1024 * 1024


def drain_request_body() -> None:
    """Read and discard what is left of the request body, up to DRAIN_LIMIT."""
    stream = request.environ.get("wsgi.input")
    remaining = min(request.content_length or 0, DRAIN_LIMIT)
    try:
        while remaining > 0 and stream is not None:
            chunk = stream.read(min(remaining, 1024 * 1024))
            if not chunk:
                break
            remaining -= len(chunk)
    except OSError:
        pass


def render_error(error):
    """Render the error page for an HTTP error, after rolling back the request's unfinished
    database work (a failed flush would otherwise break the page's own queries: the login,
    the language, and the visitor would get the server's bare error page)."""
    db.session.rollback()
    code = getattr(error, "code", 500) or 500
    if code == 413:
        drain_request_body()
    title, message = MESSAGES.get(code, MESSAGES[500])
    if isinstance(error, TooManyFields):
        title, message = error.title, error.message
    if request_ctx.url_adapter is None:  # untrusted Host: no URL can be built, answer plainly
        return f"{code} {title}\n", code, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template("errors/error.html", code=code, title=title, message=message), code


def render_csrf_error(error):
    """Explain an expired or missing form token without a stack trace."""
    message = _l(
        "Le formulaire a expiré ou sa protection n’était pas valide. Revenez en arrière, "
        "rechargez la page et envoyez-le de nouveau."
    )
    return render_template(
        "errors/error.html", code=400, title=_l("Formulaire expiré"), message=message
    ), 400

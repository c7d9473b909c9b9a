"""Delivery errors in words, in the blogger's language, from what last_error stored."""

import re

from flask_babel import gettext as _

from intake.mail.outbox import failure_reason
from intake.models import OutboxMessage

UNREACHABLE = {"ConnectionRefusedError", "ConnectionResetError", "SMTPConnectError",
               "SMTPServerDisconnected", "TimeoutError", "gaierror", "OSError", "SSLError",
               "SMTPHeloError", "SMTPNotSupportedError"}
REFUSED = {"SMTPRecipientsRefused", "SMTPDataError", "SMTPSenderRefused",
           "SMTPResponseException"}
CODE = re.compile(r"\b([245])\d\d\b")


def error_in_words(message: OutboxMessage) -> str:
    """Say what went wrong with a message, in words ('' when nothing did)."""
    reason = failure_reason(message)
    if reason or not message.last_error:
        return reason
    kind, _separator, detail = message.last_error.partition(": ")
    code = CODE.search(detail)
    if kind == "DeadlineExceeded":
        return _("Le serveur d’envoi répondait trop lentement : l’envoi a été interrompu.")
    if kind == "SMTPAuthenticationError":
        return _("Le serveur d’envoi a refusé l’identifiant ou le mot de passe configurés "
                 "(MAIL_USERNAME, MAIL_PASSWORD) : %(detail)s", detail=detail)
    if kind in REFUSED and code and code.group(1) == "5":
        return _("Le serveur d’envoi a refusé ce courriel pour de bon : %(detail)s",
                 detail=detail)
    if kind in REFUSED:
        return _("Le serveur d’envoi a demandé de réessayer plus tard : %(detail)s",
                 detail=detail)
    if kind in UNREACHABLE:
        return _("Le serveur d’envoi était injoignable : %(detail)s", detail=detail)
    if kind in {"BadHeaderError", "ValueError", "UnicodeEncodeError"}:
        return _("Ce courriel ne peut pas être écrit tel quel (en-tête ou adresse invalide) : "
                 "%(detail)s", detail=detail)
    return _("L’envoi a échoué : %(detail)s", detail=message.last_error)

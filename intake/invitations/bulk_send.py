"""Sending a bulk list to a series: its rows checked against the series (open invitations,
languages), then one invitation and its email per ready row, each row in its own transaction,
so that a failure in row 37 keeps rows 1 to 36 and is reported with its reason."""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from intake.enums import LINK_ALIVE
from intake.errors import Refused
from intake.extensions import db
from intake.invitations.bulk import BulkList, BulkRow, RowStatus, address_key
from intake.invitations.bulk_rows import check_rows
from intake.invitations.emails import queue_invitation_email
from intake.invitations.operations import create_invitation
from intake.mail.addresses import MailError
from intake.models import Invitation, Series

log = logging.getLogger(__name__)
EMPTY_NOTE = re.compile(r"\n\n[ \t]*\{(?:mot_personnel|note)\}[ \t]*\n\n")
LANGUAGE_NAMES = {"fr": _l("français"), "en": _l("anglais")}


@dataclass
class SendReport:
    """What a send did: the rows invited (with their invitation), failed (with the reason in
    words) and left out because they were not ready."""

    sent: list[tuple[BulkRow, int]] = field(default_factory=list)
    failed: list[tuple[BulkRow, object]] = field(default_factory=list)
    skipped: list[BulkRow] = field(default_factory=list)


def open_addresses(series: Series) -> set[str]:
    """Return the address_key() of every invitation of the series whose link still opens."""
    emails = db.session.scalars(
        select(Invitation.email).join(Invitation.submission)
        .where(Invitation.questionnaire_id == series.id, Invitation.open_clause(LINK_ALIVE)))
    return {address_key(email) for email in emails}


def check_for_series(bulk: BulkList, series: Series) -> BulkList:
    """Check every row again against the series: its open invitations and its languages."""
    rows = check_rows(bulk.rows, open_addresses(series))
    bulk.rows = [row if not row.ready or series.offers(row.language) else replace(
        row, status=RowStatus.UNKNOWN_LANGUAGE, reasons=[_l(
            "La série « %(series)s » n’invite pas en %(language)s.", series=series.title_fr,
            language=LANGUAGE_NAMES.get(row.language, row.language))]) for row in rows]
    return bulk


def send_rows(bulk: BulkList, series: Series, *, commit: Callable[[], None],
              messages: dict[str, tuple[str, str]] | None = None, actor=None,
              expires_days: int | None = None) -> SendReport:
    """Invite every ready row to the series, checked again first: the invitation, its own
    questions and its email (the `messages` subject and body of its language, with
    placeholders, else the template), then `commit()`, one row at a time; audited.

    A row that fails is rolled back alone and reported; the rows before it stay sent.
    """
    report = SendReport()
    for row in check_for_series(bulk, series).rows:
        if not row.ready:
            report.skipped.append(row)
            continue
        try:
            invitation_id = invite_row(row, series, (messages or {}).get(row.language),
                                       actor, expires_days)
            commit()
        except (Refused, MailError, SQLAlchemyError) as error:
            db.session.rollback()
            log.warning("bulk row %s not sent: %s", row.number, error)
            report.failed.append((row, failure_reason(error)))
        else:
            report.sent.append((row, invitation_id))
    return report


def invite_row(row: BulkRow, series: Series, message: tuple[str, str] | None, actor,
               expires_days: int | None) -> int:
    """Create one row's invitation and queue its email; flushes. Returns the invitation id."""
    invitation, _token = create_invitation(
        name=row.name, email=row.email, language=row.language, organisation=row.organisation,
        note=row.note, extra_questions=row.extra_questions, expires_days=expires_days,
        created_by=actor, series=series)
    subject, body = message or (None, None)
    if body is not None:
        body = without_empty_note(body, row.note)
    queue_invitation_email(invitation, subject=subject, body=body, actor=actor)
    db.session.flush()
    return invitation.id


def without_empty_note(body: str, note: str) -> str:
    """Return the batch's body without the paragraph of the note placeholder when the person
    has no note (no empty gap in their email)."""
    return body if note.strip() else EMPTY_NOTE.sub("\n\n", body)


def failure_reason(error: Exception):
    """Return why a row failed, in words."""
    if isinstance(error, Refused | MailError):
        return getattr(error, "message", None) or str(error)
    return _l("La base de données a refusé cette ligne; rien n’a été créé pour elle. "
              "Renvoyez-la plus tard.")


"""Deliver the outbox: claim due rows atomically, send over SMTP, retry with backoff."""

import contextlib
import smtplib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, after_this_request, current_app, g, has_request_context
from flask_mail import BadHeaderError, Connection, Message
from sqlalchemy import and_, event, or_, select, update

from intake.enums import OutboxStatus
from intake.extensions import db
from intake.mail.addresses import MailError, checked_address
from intake.mail.message import build_message
from intake.mail.outbox import INVALID_ADDRESS, queue_failure
from intake.models import OutboxMessage, utcnow

# Waits after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
# A row left in 'sending' longer than this belongs to a worker that died: take it again.
CLAIM_TIMEOUT = timedelta(minutes=10)


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retry: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retry + self.failed


class TimedConnection(Connection):
    """A Flask-Mail connection whose socket has a timeout, and that never suppresses."""

    def __enter__(self):
        self.host = self.configure_host()
        self.num_emails = 0
        return self

    def configure_host(self) -> smtplib.SMTP:
        """Connect (TLS and login if set); a refused step closes the socket before raising."""
        timeout = float(current_app.config["MAIL_TIMEOUT"])
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        try:
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        return host


def due_condition(now: datetime):
    """Return the SQL condition of rows a worker may claim now."""
    return or_(
        and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING,
             OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
    )


def claim_due(limit: int, now: datetime) -> list[int]:
    """Mark up to `limit` due rows as 'sending' for this worker and return their ids; commits.

    PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED. SQLite: one conditional UPDATE per row, each
    its own short write transaction, kept only when it changed the row (rowcount 1).
    """
    query = select(OutboxMessage.id).where(due_condition(now)).order_by(OutboxMessage.id)
    if db.engine.dialect.name == "postgresql":
        ids = list(db.session.scalars(query.limit(limit).with_for_update(skip_locked=True)))
        if ids:
            db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                               .values(status=OutboxStatus.SENDING, claimed_at=now)
                               .execution_options(synchronize_session=False))
        db.session.commit()
        return ids
    candidates = list(db.session.scalars(query.limit(limit)))
    db.session.commit()  # end the read: each claim below starts with its write
    claimed = []
    for message_id in candidates:
        result = db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id, due_condition(now))
            .values(status=OutboxStatus.SENDING, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if result.rowcount == 1:
            claimed.append(message_id)
    return claimed


def write(message_id: int, **values) -> None:
    """Store a delivery outcome with one UPDATE in its own transaction; commits."""
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                       .values(**values).execution_options(synchronize_session=False))
    db.session.commit()


def is_permanent(error: Exception) -> bool:
    """Say whether an SMTP error is a permanent refusal (5xx) rather than a passing one."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return isinstance(error, BadHeaderError | ValueError | UnicodeError)


def describe(error: Exception) -> str:
    """Return a short, readable description of a delivery error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        details = "; ".join(f"{code} {as_text(text)}" for code, text in error.recipients.values())
        return f"SMTPRecipientsRefused: {details}"[:1000]
    return f"{type(error).__name__}: {error}"[:1000]


def as_text(value) -> str:
    """Return an SMTP reply text as str."""
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def record_failure(message_id: int, attempts: int, error: Exception, now: datetime,
                   report: DeliveryReport, *, connecting: bool = False) -> None:
    """Keep the error; schedule the next try with backoff, or fail for good; commits.

    A refusal while connecting (e.g. a wrong password, 535) says nothing about the message:
    it is always retried.
    """
    attempts += 1
    values = {"attempts": attempts, "last_error": describe(error), "claimed_at": None}
    if (is_permanent(error) and not connecting) or attempts > len(BACKOFF):
        values["status"] = OutboxStatus.FAILED
        report.failed += 1
    else:
        values.update(status=OutboxStatus.QUEUED, next_attempt_at=now + BACKOFF[attempts - 1])
        report.retry += 1
    write(message_id, **values)


def release(ids: list[int]) -> None:
    """Give claimed rows back to the queue untouched (the connection broke before them)."""
    if ids:
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids),
                                                       OutboxMessage.status == OutboxStatus.SENDING)
                           .values(status=OutboxStatus.QUEUED, claimed_at=None)
                           .execution_options(synchronize_session=False))
        db.session.commit()


def claimed_rows(ids: list[int]) -> list[tuple[int, int, Message | Exception]]:
    """Read the claimed rows as (id, attempts, message or the error building it); commits."""
    rows = []
    for row in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                  .order_by(OutboxMessage.id)):
        try:
            rows.append((row.id, row.attempts, build_message(row)))
        except (BadHeaderError, ValueError, UnicodeError) as error:
            rows.append((row.id, row.attempts, error))
    db.session.commit()  # no read transaction stays open while SMTP talks
    return rows


def deliver_due(limit: int = 50, now: datetime | None = None) -> DeliveryReport:
    """Send the due outbox rows (claimed atomically); commits. Nothing without MAIL_SERVER."""
    report = DeliveryReport()
    if not current_app.config.get("MAIL_SERVER"):
        return report
    now = now or utcnow()
    ids = claim_due(limit, now)  # committed: visible to other workers before any SMTP talk
    if not ids:
        return report
    rows = claimed_rows(ids)
    try:
        connection = TimedConnection(current_app.extensions["mail"]).__enter__()
    except (OSError, smtplib.SMTPException) as error:
        for message_id, attempts, _message in rows:
            record_failure(message_id, attempts, error, now, report, connecting=True)
        return report
    try:
        send_claimed(connection, rows, now, report)
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.__exit__(None, None, None)
    return report


def send_claimed(connection: TimedConnection, rows: list, now: datetime,
                 report: DeliveryReport) -> None:
    """Send each claimed row on an open connection, storing each outcome at once."""
    for position, (message_id, attempts, message) in enumerate(rows):
        try:
            if isinstance(message, Exception):
                raise message
            connection.send(message)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            record_failure(message_id, attempts, error, now, report)
            release([later[0] for later in rows[position + 1:]])
            return
        except (smtplib.SMTPException, BadHeaderError, ValueError, UnicodeError) as error:
            record_failure(message_id, attempts, error, now, report)
        else:
            write(message_id, status=OutboxStatus.SENT, sent_at=utcnow(), claimed_at=None,
                  attempts=attempts + 1, last_error="")
            report.sent += 1


def retryable(message: OutboxMessage) -> bool:
    """Say whether a message may be put back in the queue (never one that was not rendered)."""
    failure = queue_failure(message)
    return message.status in (OutboxStatus.FAILED, OutboxStatus.QUEUED) and (failure is None
                                                   or failure[0] == INVALID_ADDRESS)


def retry_message(message: OutboxMessage) -> bool:
    """Put a failed or waiting message back in the queue, due now; flushes. Says if it did.

    A message whose address was refused comes back only once that address is valid.
    """
    if not retryable(message):
        return False
    if queue_failure(message) is not None:
        try:
            message.to_addr = checked_address(message.to_addr)
        except MailError:
            return False
        message.last_error = ""
    message.status = OutboxStatus.QUEUED
    message.next_attempt_at = utcnow()
    if message.attempts >= len(BACKOFF):
        message.attempts = 0
    db.session.flush()
    return True


# After-commit delivery -------------------------------------------------------------------

def delivery_wanted(app: Flask) -> bool:
    """Say whether committed mail should be sent right away by a background thread."""
    return bool(app.config.get("MAIL_SERVER")) and bool(app.config.get("MAIL_SEND_AFTER_COMMIT"))


def deliver_in_background(app: Flask) -> threading.Thread:
    """Start a daemon thread that runs deliver_due() in its own app context."""

    def run() -> None:
        with app.app_context():
            try:
                deliver_due()
            except Exception:  # a failed run leaves rows queued for the next one
                app.logger.exception("background mail delivery failed")
                db.session.rollback()
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, name="outbox-delivery", daemon=True)
    thread.start()
    return thread


def send_after_commit(app: Flask) -> None:
    """After the response of a request that committed mail, deliver it in the background."""
    if not delivery_wanted(app) or not has_request_context() or g.get("_outbox_hooked"):
        return
    g._outbox_hooked = True

    @after_this_request
    def hook(response):
        response.call_on_close(lambda: deliver_in_background(app))
        return response


def on_commit(session) -> None:
    """Session hook: when the committed transaction queued mail, arrange its delivery."""
    if session.info.pop("outbox_pending", False) and has_request_context():
        send_after_commit(current_app._get_current_object())


def on_rollback(session, *_args) -> None:
    """Session hook: forget queued mail that was rolled back."""
    session.info.pop("outbox_pending", None)


def init_app(app: Flask) -> None:
    """Register the after-commit delivery hooks on the database session (once)."""
    if not event.contains(db.session, "after_commit", on_commit):
        event.listen(db.session, "after_commit", on_commit)
        event.listen(db.session, "after_soft_rollback", on_rollback)

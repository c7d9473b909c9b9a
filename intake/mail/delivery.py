"""Deliver the outbox: claim one due message at a time under a lease, send it, store the outcome.

Per message: a 4xx is retried later and the run goes on; a 5xx fails that message and the run
goes on; a connection, login or timeout error stops the run and postpones every due message
(see policy.py). Each claim is a lease (claimed_at + MAIL_LEASE_SECONDS, longer than a
message's deadline): no second worker takes a message in flight, and an outcome is written
only by the claim that still holds it. Called by the worker (intake/worker/), never a request.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr

from flask import current_app
from flask_mail import Message
from sqlalchemy import and_, exists, or_, select, update

from intake.database import writing
from intake.enums import OutboxStatus
from intake.extensions import db
from intake.mail.addresses import MailError, checked_address, one_line
from intake.mail.outbox import INVALID_ADDRESS, queue_failure
from intake.mail.policy import Verdict, classify, describe, next_attempt
from intake.mail.smtp import Session
from intake.models import OutboxMessage, utcnow


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retry: int = 0
    failed: int = 0
    postponed: int = 0  # due messages left queued because the session failed

    @property
    def claimed(self) -> int:
        return self.sent + self.retry + self.failed


@dataclass
class Claim:
    """One message this worker holds: its row id, its lease token, its attempts so far."""

    id: int
    token: str
    attempts: int
    retry_since: datetime | None
    message: Message | Exception


def lease() -> timedelta:
    """Return how long a claim holds a message."""
    return timedelta(seconds=float(current_app.config["MAIL_LEASE_SECONDS"]))


def due_condition(now: datetime):
    """Return the SQL condition of rows a worker may claim now (due, or a lapsed lease)."""
    return or_(
        and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING,
             OutboxMessage.claimed_at < now - lease()),
    )


def anything_due(now: datetime) -> bool:
    """Say whether a message is due, with a plain read (no write lock while idle); commits."""
    found = db.session.scalar(select(exists().where(due_condition(now))))
    db.session.commit()
    return bool(found)


def build_message(row: OutboxMessage) -> Message:
    """Return the message to send for one outbox row, with its stored Message-ID.

    The one place a stored row becomes what goes on the wire.
    """
    message = Message(
        subject=one_line(row.subject),
        recipients=[formataddr((one_line(row.to_name, 200), one_line(row.to_addr, 254)))],
        body=row.text_body,
        html=row.html_body or None,
        extra_headers={"Content-Language": "en" if row.language == "en" else "fr"},
    )
    message.msgId = row.message_id
    return message


def claim_next(now: datetime) -> Claim | None:
    """Claim the oldest due message under a new lease and build it; commits; None when none.

    One UPDATE picks and marks it (PostgreSQL: the pick skips rows another worker locks; SQLite:
    the write lock, taken up front, orders the workers).
    """
    token = secrets.token_hex(16)
    pick = select(OutboxMessage.id).where(due_condition(now)).order_by(OutboxMessage.id).limit(1)
    if db.engine.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    with writing():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == pick.scalar_subquery(), due_condition(now))
            .values(status=OutboxStatus.SENDING, claimed_at=now, claim_token=token)
            .execution_options(synchronize_session=False))
        row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.claim_token == token)
                                .execution_options(populate_existing=True))
        claim = None
        if row is not None:
            try:
                message = build_message(row)
            except (ValueError, UnicodeError) as error:
                message = error
            claim = Claim(row.id, token, row.attempts, row.retry_since, message)
        db.session.commit()
    return claim


def settle(claim: Claim, **values) -> bool:
    """Store an outcome if this claim still holds the message; commits; says if it did."""
    with writing():
        result = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == claim.id, OutboxMessage.claim_token == claim.token)
            .values(claimed_at=None, claim_token=None, **values)
            .execution_options(synchronize_session=False))
        db.session.commit()
    return result.rowcount == 1


def retry_values(attempts: int, retry_since: datetime | None, error: BaseException,
                 now: datetime) -> dict:
    """Return the row values after a passing failure: queued again later, or 'failed'."""
    since = retry_since or now
    values = {"attempts": attempts, "last_error": describe(error), "retry_since": since}
    when = next_attempt(attempts, since, now)
    if when is None:
        return {**values, "status": OutboxStatus.FAILED}
    return {**values, "status": OutboxStatus.QUEUED, "next_attempt_at": when}


def record(claim: Claim, error: BaseException | None, now: datetime,
           report: DeliveryReport) -> Verdict | None:
    """Store the outcome of one claimed message; return the error's verdict (None: sent)."""
    attempts = claim.attempts + 1
    if error is None:
        settle(claim, status=OutboxStatus.SENT, sent_at=utcnow(), attempts=attempts,
               last_error="", retry_since=None)
        report.sent += 1
        return None
    verdict = classify(error)
    if verdict is Verdict.FAIL:
        settle(claim, status=OutboxStatus.FAILED, attempts=attempts, last_error=describe(error))
        report.failed += 1
        return verdict
    values = retry_values(attempts, claim.retry_since, error, now)
    settle(claim, **values)
    if values["status"] == OutboxStatus.FAILED:
        report.failed += 1
    else:
        report.retry += 1
    return verdict


def postpone_due(error: BaseException, now: datetime, report: DeliveryReport) -> None:
    """The server cannot be reached: give every due queued message its next wait; commits."""
    with writing():
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.QUEUED,
                                        OutboxMessage.next_attempt_at <= now)).all()
        for row in rows:
            values = retry_values(row.attempts + 1, row.retry_since, error, now)
            for name, value in values.items():
                setattr(row, name, value)
            report.postponed += values["status"] == OutboxStatus.QUEUED
            report.failed += values["status"] == OutboxStatus.FAILED
        db.session.commit()


def deliver_due(limit: int = 200, now: datetime | None = None,
                stopping: Callable[[], bool] = lambda: False) -> DeliveryReport:
    """Send due messages one claim at a time over one SMTP session; commits each outcome.

    Ends when nothing is due, after `limit` messages, past the session's deadline, on a
    session error (every due message is then postponed), or when `stopping()` says so (the
    message in flight is finished first). Nothing without MAIL_SERVER.
    """
    report = DeliveryReport()
    if not current_app.config.get("MAIL_SERVER") or not anything_due(now or utcnow()):
        return report
    with Session(current_app.extensions["mail"]) as session:
        while report.claimed < limit and not stopping() and session.time_left:
            moment = now or utcnow()
            claim = claim_next(moment)
            if claim is None:
                break
            error = claim.message if isinstance(claim.message, Exception) else None
            try:
                if error is None:
                    if session.host is None:
                        session.connect()
                    session.send(claim.message)
            except Exception as failure:  # classified in record(); not a delivery error: raised
                error = failure
            if record(claim, error, moment, report) is Verdict.SESSION:
                postpone_due(error, moment, report)
                break
    return report


def retryable(message: OutboxMessage) -> bool:
    """Say whether a message may be put back in the queue (never one that was not rendered)."""
    failure = queue_failure(message)
    return message.status in (OutboxStatus.FAILED, OutboxStatus.QUEUED) and (failure is None
                                                   or failure[0] == INVALID_ADDRESS)


def retry_message(message: OutboxMessage) -> bool:
    """Put a failed or waiting message back in the queue, due now, with a new retry period;
    flushes. Says if it did. A message whose address was refused comes back only once that
    address is valid."""
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
    message.attempts, message.retry_since = 0, None
    db.session.flush()
    return True


def retry_failed() -> int:
    """Put every failed message that can go again back in the queue; flushes; returns how many."""
    failed = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.FAILED).order_by(OutboxMessage.id)).all()
    return sum(1 for message in failed if retry_message(message))

"""Deliver the outbox: claim due messages under a lease, send each, store each outcome.

Per message: a 4xx is retried later and the run goes on; a 5xx fails that message and the run
goes on; a connection, login or timeout error stops the run and postpones every due message
(see policy.py). Claims are leases renewed while the batch is sent (claims.py): no second
worker takes a message in flight. Called by the worker (intake/worker/), never by a request.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import exists, select

from intake.database import writing
from intake.enums import OutboxStatus
from intake.extensions import db
from intake.mail.addresses import MailError, checked_address
from intake.mail.claims import Claim, Lease, claim_batch, due_condition
from intake.mail.message import build_message
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


def anything_due(now: datetime) -> bool:
    """Say whether a message is due, with a plain read (no write lock while idle); commits."""
    found = db.session.scalar(select(exists().where(due_condition(now))))
    db.session.commit()
    return bool(found)


def retry_values(attempts: int, retry_since: datetime | None, error: BaseException,
                 now: datetime) -> dict:
    """Return the row values after a passing failure: queued again later, or 'failed'."""
    since = retry_since or now
    values = {"attempts": attempts, "last_error": describe(error), "retry_since": since}
    when = next_attempt(attempts, since, now)
    if when is None:
        return {**values, "status": OutboxStatus.FAILED}
    return {**values, "status": OutboxStatus.QUEUED, "next_attempt_at": when}


def record(lease: Lease, claim: Claim, error: BaseException | None, now: datetime,
           report: DeliveryReport) -> Verdict | None:
    """Store the outcome of one claimed message; return the error's verdict (None: sent)."""
    attempts = claim.attempts + 1
    if error is None:
        lease.mark_sent(claim)
        report.sent += 1
        return None
    verdict = classify(error)
    if verdict is Verdict.FAIL:
        lease.settle(claim, status=OutboxStatus.FAILED, attempts=attempts,
                     last_error=describe(error))
        report.failed += 1
        return verdict
    values = retry_values(attempts, claim.retry_since, error, now)
    lease.settle(claim, **values)
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
    """Send due messages, a claimed batch at a time, over one SMTP session; commits.

    Connects first: when the server cannot be reached, every due message is postponed. Ends
    when nothing is due, after `limit` messages, past the session's deadline, on a
    session error (every due message is then postponed), or when `stopping()` says so (the
    message in flight is finished, the rest of the batch given back). Nothing without
    MAIL_SERVER.
    """
    report = DeliveryReport()
    if not current_app.config.get("MAIL_SERVER") or not anything_due(now or utcnow()):
        return report
    clock = (lambda: now) if now is not None else utcnow
    batch = int(current_app.config["MAIL_CLAIM_BATCH"])
    with Session(current_app.extensions["mail"]) as session:
        try:  # before claiming anything: a slow or absent server holds no claim
            session.connect()
        except Exception as error:  # not a delivery error: classify() raises it
            if classify(error) is not Verdict.SESSION:
                raise
            postpone_due(error, clock(), report)
            return report
        while report.claimed < limit and not stopping() and session.time_left:
            lease = claim_batch(clock(), min(batch, limit - report.claimed), clock,
                                build_message)
            if not lease.claims:
                break
            try:
                error = send_batch(session, lease, report, stopping)
            finally:
                lease.release()
            if error is not None:
                postpone_due(error, clock(), report)
                break
    return report


def send_batch(session: Session, lease: Lease, report: DeliveryReport,
               stopping: Callable[[], bool]) -> BaseException | None:
    """Send a lease's messages in turn, recording each outcome; return a session error that
    stopped it, if any (the unsent messages are released by the caller)."""
    for claim in lease.claims:
        if stopping() or not session.time_left:
            return None
        error = claim.message if isinstance(claim.message, Exception) else None
        try:
            if error is None:
                session.send(claim.message)
        except Exception as failure:  # classified in record(); not a delivery error: raised
            error = failure
        if record(lease, claim, error, lease.clock(), report) is Verdict.SESSION:
            return error
    return None


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

"""Claims on outbox rows: a batch taken under one lease, renewed while it is sent.

A worker claims up to MAIL_CLAIM_BATCH due messages in one short transaction (status
'sending', claimed_at, its own claim_token). While it sends them it renews the lease
(claimed_at) at least every second, together with the messages sent meanwhile; so a second
worker never takes a message in flight, and a claim older than MAIL_LEASE_SECONDS can only be
one whose worker died. An outcome is written only while the claim still holds the row.
"""

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_mail import Message
from sqlalchemy import and_, or_, select, update

from intake.database import writing
from intake.enums import OutboxStatus
from intake.extensions import db
from intake.models import OutboxMessage, utcnow

# Sent messages are recorded (and the lease renewed) after this many, or this many seconds.
FLUSH_COUNT, FLUSH_SECONDS = 50, 1.0


def lease() -> timedelta:
    """Return how long a claim holds a message without being renewed: MAIL_LEASE_SECONDS, and
    never less than two message deadlines (a lease is renewed between two messages)."""
    config = current_app.config
    return timedelta(seconds=max(float(config["MAIL_LEASE_SECONDS"]),
                                 2 * float(config["MAIL_MESSAGE_DEADLINE"])))


def due_condition(now: datetime):
    """Return the SQL condition of rows a worker may claim now (due, or a lapsed lease)."""
    return or_(
        and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING,
             OutboxMessage.claimed_at < now - lease()),
    )


@dataclass
class Claim:
    """One claimed message: its row id, attempts so far, retry period, and what to send."""

    id: int
    attempts: int
    retry_since: datetime | None
    message: Message | Exception


@dataclass
class Lease:
    """The messages one worker holds under one token, and the sent ones not yet recorded."""

    token: str
    claims: list[Claim]
    clock: Callable[[], datetime]
    sent: list[int] = field(default_factory=list)
    flushed_at: float = field(default_factory=time.monotonic)

    def where(self, *conditions):
        """Return an UPDATE of this lease's rows matching `conditions`."""
        return (update(OutboxMessage).where(OutboxMessage.claim_token == self.token, *conditions)
                .execution_options(synchronize_session=False))

    def mark_sent(self, claim: Claim) -> None:
        """Note a message as sent; record the pending ones when enough time or count passed."""
        self.sent.append(claim.id)
        if len(self.sent) >= FLUSH_COUNT or time.monotonic() - self.flushed_at >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Record the sent messages and renew the lease of the rest, in one transaction."""
        with writing():
            if self.sent:
                db.session.execute(self.where(OutboxMessage.id.in_(self.sent)).values(
                    status=OutboxStatus.SENT, sent_at=utcnow(), last_error="",
                    attempts=OutboxMessage.attempts + 1, retry_since=None, claimed_at=None,
                    claim_token=None))
            db.session.execute(self.where(OutboxMessage.status == OutboxStatus.SENDING)
                               .values(claimed_at=self.clock()))
            db.session.commit()
        self.sent, self.flushed_at = [], time.monotonic()

    def settle(self, claim: Claim, **values) -> None:
        """Record one message's outcome (an error) at once, with the pending sent ones."""
        with writing():
            db.session.execute(self.where(OutboxMessage.id == claim.id)
                               .values(claimed_at=None, claim_token=None, **values))
        self.flush()

    def release(self) -> None:
        """Record what was sent and give the unsent messages back to the queue, untouched."""
        self.flush()
        with writing():
            db.session.execute(self.where(OutboxMessage.status == OutboxStatus.SENDING)
                               .values(status=OutboxStatus.QUEUED, claimed_at=None,
                                       claim_token=None))
            db.session.commit()


def claim_batch(now: datetime, size: int, clock: Callable[[], datetime],
                build: Callable[[OutboxMessage], Message]) -> Lease:
    """Claim up to `size` due messages, oldest first, under a new lease; build each; commits.

    One UPDATE picks and marks them (PostgreSQL: the pick skips rows another worker locks;
    SQLite: the write lock, taken up front, orders the workers).
    """
    token = secrets.token_hex(16)
    pick = select(OutboxMessage.id).where(due_condition(now)).order_by(OutboxMessage.id)
    pick = pick.limit(size)
    if db.engine.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    claims = []
    with writing():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(pick.scalar_subquery()), due_condition(now))
            .values(status=OutboxStatus.SENDING, claimed_at=now, claim_token=token)
            .execution_options(synchronize_session=False))
        for row in db.session.scalars(select(OutboxMessage)
                                      .where(OutboxMessage.claim_token == token)
                                      .order_by(OutboxMessage.id)
                                      .execution_options(populate_existing=True)):
            try:
                message = build(row)
            except (ValueError, UnicodeError) as error:
                message = error
            claims.append(Claim(row.id, row.attempts, row.retry_since, message))
        db.session.commit()
    return Lease(token, claims, clock)

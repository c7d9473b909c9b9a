"""Delivery against real SMTP servers that fail: outage, greylisting, one refusal, drop, drip."""

import time
from datetime import timedelta

from intake.extensions import db
from intake.mail.delivery import deliver_due
from intake.models import utcnow
from tests.support.factories import make_messages, outbox_rows
from tests.support.servers import SMTPServer
from tests.support.smtp import DrippingServer, DropAfter, Greylisting, RefuseOne


def message_ids(server) -> list[str]:
    """Return the Message-ID of every message a server received, in order."""
    return [message["Message-ID"] for message in server.messages]


def test_outage_longer_than_the_old_backoff_then_back_delivers_each_once(make_app, smtp):
    app = make_app(**smtp.config())
    with app.app_context():
        smtp.stop()
        make_messages(10)
        now, waits = utcnow(), []
        for _run in range(12):  # a worker looking every time a wait is over, for ~5 hours
            report = deliver_due(now=now)
            assert (report.sent, report.failed) == (0, 0)
            assert (report.claimed, report.postponed) == (0, 10)  # no claim while down
            rows = outbox_rows()
            assert {row.status for row in rows} == {"queued"}
            waits.append(round((min(r.next_attempt_at for r in rows) - now).total_seconds() / 60))
            now = min(r.next_attempt_at for r in rows) + timedelta(seconds=1)
        assert waits[:4] == [1, 5, 30, 30]  # capped at 30 minutes, not given up after 2 h 36
        assert deliver_due(now=now - timedelta(minutes=2)).claimed == 0  # between two tries
        smtp.start()
        report = deliver_due(now=now)
        assert (report.sent, report.retry, report.failed) == (10, 0, 0)
        assert deliver_due(now=now + timedelta(days=1)).claimed == 0
        rows = outbox_rows()
        assert {(r.status, r.last_error, r.attempts) for r in rows} == {("sent", "", 13)}
        assert sorted(message_ids(smtp)) == sorted(r.message_id for r in rows)
        assert len(set(message_ids(smtp))) == 10


def test_outage_past_the_retry_period_fails_with_the_error(make_app, smtp):
    app = make_app(**smtp.config(), MAIL_RETRY_DAYS=1)
    with app.app_context():
        smtp.stop()
        make_messages(3)
        start = utcnow()
        deliver_due(now=start)
        report = deliver_due(now=start + timedelta(days=1, seconds=1))
        assert report.failed == 3
        rows = outbox_rows()
        assert {row.status for row in rows} == {"failed"}
        assert all(row.last_error.startswith("ConnectionRefusedError") for row in rows)


def test_greylisting_relay_has_every_message_tried_in_one_run(make_app):
    with SMTPServer(handler=Greylisting()) as server:
        app = make_app(**server.config())
        with app.app_context():
            make_messages(20)
            first = deliver_due()
            assert (first.sent, first.retry, first.failed) == (0, 20, 0)
            assert server.handler.attempts == 20
            rows = outbox_rows()
            assert {(r.status, r.attempts) for r in rows} == {("queued", 1)}
            assert rows[0].last_error == ("SMTPRecipientsRefused: 451 4.7.1 Greylisted, try "
                                          "again later")
            second = deliver_due(now=utcnow() + timedelta(minutes=2))
    assert (second.sent, second.retry) == (20, 0)
    assert len(set(message_ids(server))) == 20


def test_one_refused_recipient_of_five_fails_alone_the_others_go_in_the_same_run(make_app):
    with SMTPServer(handler=RefuseOne("a2@example.org")) as server:
        app = make_app(**server.config())
        with app.app_context():
            make_messages(5)
            report = deliver_due()
            rows = outbox_rows()
    assert (report.sent, report.retry, report.failed) == (4, 0, 1)
    assert [r.status for r in rows] == ["sent", "failed", "sent", "sent", "sent"]
    assert rows[1].last_error == "SMTPRecipientsRefused: 550 5.1.1 No such user here"
    assert sorted(e[1][0] for e in server.handler.envelopes) == [
        "a1@example.org", "a3@example.org", "a4@example.org", "a5@example.org"]


def test_dropped_connection_stops_the_run_and_the_next_one_sends_the_rest_once(make_app):
    with SMTPServer(handler=DropAfter(2)) as server:
        app = make_app(**server.config())
        with app.app_context():
            make_messages(5)
            first = deliver_due()
            assert (first.sent, first.retry, first.postponed) == (2, 1, 2)
            rows = outbox_rows()
            assert [r.status for r in rows] == ["sent", "sent", "queued", "queued", "queued"]
            assert rows[2].last_error.startswith("SMTPServerDisconnected")
            second = deliver_due(now=utcnow() + timedelta(minutes=2))
    assert second.sent == 3
    assert len(message_ids(server)) == len(set(message_ids(server))) == 5


def test_dripping_server_cannot_hold_a_run_past_its_deadline(make_app):
    with DrippingServer(every=0.2) as server:
        app = make_app(**server.config(), MAIL_TIMEOUT=5, MAIL_SESSION_DEADLINE=1.5)
        with app.app_context():
            make_messages(3)
            started = time.monotonic()
            report = deliver_due()
            elapsed = time.monotonic() - started
            rows = outbox_rows()
    assert 1.4 < elapsed < 4
    assert (report.claimed, report.postponed) == (0, 3)
    assert {r.status for r in rows} == {"queued"}
    assert rows[0].last_error.startswith("DeadlineExceeded: the SMTP server answered too slowly")


def test_retry_failed_command_puts_every_failed_message_back(make_app, smtp):
    app = make_app(**smtp.config())
    with app.app_context():
        make_messages(3)
        for row in outbox_rows()[:2]:
            row.status, row.attempts, row.last_error = "failed", 4, "SMTPDataError: 554 no"
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["outbox", "retry", "--failed"])
        assert result.output == "Queued again: 2.\n"
        assert [(r.status, r.attempts) for r in outbox_rows()] == [("queued", 0)] * 3
        assert deliver_due().sent == 3

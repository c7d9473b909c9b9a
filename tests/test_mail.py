"""Outbox delivery against a real SMTP server: parts, headers, retries, claims, Outbox page."""

import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from intake.extensions import db
from intake.mail.delivery import deliver_due, retry_message
from intake.mail.policy import BACKOFF
from intake.models import utcnow
from tests.support.factories import invite, make_due, outbox_rows
from tests.support.http import log_in_new_blogger
from tests.support.servers import SMTPServer, flask_env

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def mail_app(make_app, smtp):
    """An app whose mail goes to the test SMTP server; its context is pushed."""
    app = make_app(**smtp.config())
    with app.app_context():
        yield app


def parts(received):
    """Return the text and HTML parts of a received message."""
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    return text, html


def test_invitation_arrives_with_both_parts_link_and_message_id(mail_app, smtp):
    invitation, token = invite(name="Camille Roy")
    report = deliver_due()
    assert (report.sent, report.retry, report.failed) == (1, 0, 0)
    assert len(smtp.messages) == 1
    received = smtp.messages[0]
    text, html = parts(received)
    link = f"https://portraits.example.org/r/{token}"
    assert link in text
    assert f'href="{link}"' in html
    assert "Bonjour Camille Roy," in text
    assert received["To"] == "Camille Roy <camille@example.org>"
    assert received["Content-Language"] == "fr"
    row = outbox_rows("invitation")[0]
    assert received["Message-ID"] == row.message_id
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
    assert row.sent_at is not None
    assert smtp.handler.envelopes[0][1] == ["camille@example.org"]


def test_english_invitation_is_marked_english(mail_app, smtp):
    invite(language="en")
    deliver_due()
    received = smtp.messages[0]
    text, html = parts(received)
    assert received["Content-Language"] == "en"
    assert '<html lang="en">' in html
    # English wording comes with the compiled catalogue (the lead merges tr_mail.json).
    if "Community manager portrait" in received["Subject"] and "Bonjour" not in text:
        assert text.startswith("Hello Camille Roy,")


def test_smtp_down_keeps_invitation_and_queued_error_then_sends_once(mail_app, smtp):
    smtp.stop()
    invitation, _token = invite()
    report = deliver_due()
    assert (report.sent, report.retry, report.postponed) == (0, 0, 1)
    row = outbox_rows()[0]
    assert row.status == "queued"
    assert row.attempts == 1
    assert row.last_error.startswith("ConnectionRefusedError")
    assert row.next_attempt_at >= utcnow() + BACKOFF[0] - timedelta(seconds=30)
    assert invitation.submission.state == "invited"
    smtp.start()
    runner = mail_app.test_cli_runner()
    assert runner.invoke(args=["outbox", "send"]).output.strip() == "Sent 0, to retry 0, failed 0."
    make_due(row)
    first = runner.invoke(args=["outbox", "send"])
    second = runner.invoke(args=["outbox", "send"])
    assert first.output.strip() == "Sent 1, to retry 0, failed 0."
    assert second.output.strip() == "Sent 0, to retry 0, failed 0."
    assert len(smtp.messages) == 1
    assert outbox_rows()[0].status == "sent"


def test_two_threads_deliver_each_message_once(mail_app, smtp):
    for number in range(12):
        invite(name=f"Personne {number}", email=f"p{number}@example.org")
    results = []

    def worker():
        with mail_app.app_context():
            results.append(deliver_due(limit=5))
            results.append(deliver_due(limit=50))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(r.sent for r in results) == 12
    assert len(smtp.messages) == 12
    assert len({m["Message-ID"] for m in smtp.messages}) == 12
    assert [r.status for r in outbox_rows()] == ["sent"] * 12


@pytest.mark.slow
def test_two_outbox_send_processes_deliver_each_message_once(mail_app, smtp, tmp_path):
    for number in range(20):
        invite(name=f"Personne {number}", email=f"p{number}@example.org")
    env = flask_env(mail_app, tmp_path / "instance", MAIL_SERVER="127.0.0.1",
                    MAIL_PORT=smtp.port)
    command = [sys.executable, "-m", "flask", "--app", "intake",
               "outbox", "send", "--limit", "7"]
    runs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    sent = [int(out.split()[1].rstrip(",")) for out, _err in outputs]
    for _round in range(5):  # the rest, one process at a time, until nothing is left
        again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=60, check=True)
        sent.append(int(again.stdout.split()[1].rstrip(",")))
        if sent[-1] == 0:
            break
    assert sum(sent) == 20
    assert len(smtp.messages) == 20
    assert len({m["Message-ID"] for m in smtp.messages}) == 20
    assert {r.status for r in outbox_rows()} == {"sent"}


def test_crlf_in_name_cannot_add_a_header(mail_app, smtp):
    invite(name="Eve\r\nBcc: thief@example.net\r\nX-Evil: 1", email="eve@example.org")
    deliver_due()
    received = smtp.messages[0]
    assert received["Bcc"] is None
    assert received["X-Evil"] is None
    assert received["To"] == '"Eve Bcc: thief@example.net X-Evil: 1" <eve@example.org>'
    assert smtp.handler.envelopes[0][1] == ["eve@example.org"]


def test_permanent_refusal_fails_at_once(make_app):
    with SMTPServer(refuse="550 5.1.1 No such user") as server:
        app = make_app(**server.config())
        with app.app_context():
            invite()
            report = deliver_due()
            row = outbox_rows()[0]
    assert (report.sent, report.retry, report.failed) == (0, 0, 1)
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error == "SMTPRecipientsRefused: 550 5.1.1 No such user"


def test_temporary_refusal_backs_off_to_the_cap_then_fails_after_the_period(make_app):
    with SMTPServer(refuse="450 4.2.0 Mailbox busy") as server:
        app = make_app(**server.config())
        with app.app_context():
            invite()
            waits = []
            for _attempt in range(5):
                before = utcnow()
                assert deliver_due().retry == 1
                row = outbox_rows()[0]
                assert row.status == "queued"
                waits.append(round((row.next_attempt_at - before).total_seconds() / 60))
                make_due(row)
            row.retry_since = utcnow() - timedelta(days=3)  # three days of refusals
            db.session.commit()
            assert deliver_due().failed == 1
            row = outbox_rows()[0]
    assert waits == [1, 5, 30, 30, 30]
    assert (row.status, row.attempts) == ("failed", 6)
    assert row.last_error == "SMTPRecipientsRefused: 450 4.2.0 Mailbox busy"
    assert server.handler.attempts == 6


def test_silent_server_times_out_instead_of_hanging(make_app):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        port = listener.getsockname()[1]
        app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=1)
        with app.app_context():
            invite()
            started = time.monotonic()
            report = deliver_due()
            elapsed = time.monotonic() - started
            row = outbox_rows()[0]
    assert elapsed < 5
    assert report.postponed == 1
    assert row.status == "queued"
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed: timed out"


def test_without_mail_server_mail_stays_in_outbox(app):

    invite()
    assert deliver_due().claimed == 0
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.output.strip() == "MAIL_SERVER is not set: messages stay in the outbox."
    assert [(r.status, r.attempts) for r in outbox_rows()] == [("queued", 0)]


def test_stale_sending_claim_is_taken_again(mail_app, smtp):
    invite()
    row = outbox_rows()[0]
    row.status, row.claimed_at = "sending", utcnow() - timedelta(minutes=11)
    db.session.commit()
    assert deliver_due().sent == 1
    assert len(smtp.messages) == 1


def test_fresh_sending_claim_is_left_alone(mail_app, smtp):
    invite()
    row = outbox_rows()[0]
    row.status, row.claimed_at = "sending", utcnow() - timedelta(minutes=2)
    db.session.commit()
    assert deliver_due().claimed == 0
    assert smtp.messages == []


def test_retry_message_puts_failed_mail_back_due_now(app):
    invite()
    row = outbox_rows()[0]
    row.status, row.attempts, row.last_error = "failed", 5, "SMTPRecipientsRefused: 550"
    db.session.commit()
    assert retry_message(row) is True
    db.session.commit()
    row = outbox_rows()[0]
    assert (row.status, row.attempts) == ("queued", 0)
    assert row.next_attempt_at <= utcnow()


def test_a_request_never_sends_mail_the_worker_does(make_app, smtp):
    app = make_app(**smtp.config())
    client = app.test_client()
    with app.app_context():
        invitation, _token = invite()
        invitation_id = invitation.id
        log_in_new_blogger(client)
    threads = threading.active_count()
    response = client.post(f"/admin/invitations/{invitation_id}/resend", buffered=True)
    assert response.status_code == 303
    time.sleep(0.3)
    assert smtp.messages == []
    assert threading.active_count() == threads  # no delivery thread was started
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.output.startswith("mail: 2, pdf: 0, pages: 0, reminders: 0"), result.output
    assert len(smtp.messages) == 2
    with app.app_context():
        assert [r.status for r in outbox_rows()] == ["sent", "sent"]


def test_outbox_list_command_prints_status_and_error(app):

    invite(name="Camille Roy")
    row = outbox_rows()[0]
    row.status, row.attempts, row.last_error = "failed", 1, "SMTPRecipientsRefused: 550 nope"
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "list", "--status", "failed"])
    assert result.output == (f"{row.id}\tfailed\t1\tcamille@example.org\t{row.subject}"
                             "  [SMTPRecipientsRefused: 550 nope]\n")
    empty = app.test_cli_runner().invoke(args=["outbox", "list", "--status", "sent"])
    assert empty.output == ""


def test_refusal_while_connecting_is_retried_not_failed(make_app):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        port = listener.getsockname()[1]

        def greet_and_refuse():
            connection, _address = listener.accept()
            with connection:
                connection.sendall(b"554 5.3.2 Service unavailable\r\n")

        thread = threading.Thread(target=greet_and_refuse, daemon=True)
        thread.start()
        app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=2)
        with app.app_context():
            invite()
            report = deliver_due()
            row = outbox_rows()[0]
        thread.join(5)
    assert (report.postponed, report.failed) == (1, 0)
    assert (row.status, row.attempts) == ("queued", 1)
    assert row.last_error.startswith("SMTPConnectError: (554")

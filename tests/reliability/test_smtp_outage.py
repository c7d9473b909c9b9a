"""SMTP down for the whole of a busy spell, then back: every message goes out, once."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select

from intake.enums import State
from intake.extensions import db
from intake.mail.delivery import deliver_due
from intake.models import OutboxMessage, utcnow
from intake.questionnaire.drafts import form_version
from intake.questionnaire.submit import submit
from intake.workflow.transitions import set_state
from tests.reliability.helpers import (
    Visitor,
    add_blogger,
    complete_draft,
    live_server,
    page_tokens,
)
from tests.support.factories import invite
from tests.support.servers import ROOT


def outbox() -> list[OutboxMessage]:
    """Return every outbox row, read afresh."""
    db.session.rollback()  # end this session's read snapshot (SQLite WAL)
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def queue_real_mail() -> None:
    """Invite ten people, take five submissions in (two approved): 22 messages in all."""
    add_blogger()
    for number in range(10):
        invite(name=f"Invitée {number}", email=f"invitee{number}@example.org")
    for number in range(5):
        submission, _token, _answers = complete_draft(number)
        submit(submission, form_version(submission), consent=True)
        if number < 2:
            set_state(submission, State.APPROVED, "blogger")
        db.session.commit()


def submit_over_http(app, tmp_path, smtp, drafts: list) -> list[int]:
    """Send drafts through gunicorn while mail is down (requests only write the outbox)."""
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port),
                "BASE_URL": "https://portraits.example.org"}
    statuses = []
    with live_server(app, tmp_path, workers=2, **settings) as server:
        for _submission, token, answers in drafts:
            visitor = Visitor(server.port)
            csrf, version = page_tokens(visitor.get(f"/r/{token}").text)
            form = {"csrf_token": csrf, "version": version, "consent": "y",
                    "display_name": "Personne",
                    **{f"q{qid}": body for qid, body in answers.items()}}
            statuses.append(visitor.post(f"/r/{token}/submit", form).status)
    return statuses


def worker_once(app, tmp_path, smtp) -> str:
    """Run `flask worker --once` and return what it printed."""
    env = {**os.environ, "INTAKE_INSTANCE_PATH": str(tmp_path / "instance"),
           "FLASK_SECRET_KEY": "test-secret-key",
           "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
           "FLASK_MAIL_SERVER": "127.0.0.1", "FLASK_MAIL_PORT": str(smtp.port),
           "FLASK_BASE_URL": "https://portraits.example.org"}
    command = [sys.executable, "-m", "flask", "--app", "intake", "worker", "--once"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True).stdout


@pytest.mark.slow
def test_smtp_down_then_back_loses_no_message_and_sends_none_twice(make_app, smtp, tmp_path):
    app = make_app(**smtp.config())
    with app.app_context():
        smtp.stop()
        queue_real_mail()
        before = utcnow()
        assert worker_once(app, tmp_path, smtp).startswith("mail: 22, ")  # all postponed
        rows = outbox()
        assert {(r.status, r.attempts) for r in rows} == {("queued", 1)}
        assert all(r.next_attempt_at >= before + timedelta(minutes=1) for r in rows)
        drafts = [complete_draft(number) for number in range(5, 8)]
        # Invitees can still send while mail is down: their receipts and notices wait too,
        # written by the request, never sent by it.
        assert submit_over_http(app, tmp_path, smtp, drafts) == [303, 303, 303]
        rows = outbox()
        assert len(rows) == 28
        assert sorted(r.attempts for r in rows) == [0] * 6 + [1] * 22
        now = utcnow()
        for _run in range(12):  # down for five hours, far past the old backoff (2 h 36)
            report = deliver_due(now=now)
            assert (report.sent, report.failed) == (0, 0)
            now = min(r.next_attempt_at for r in outbox()) + timedelta(seconds=1)
        assert {r.status for r in outbox()} == {"queued"}
        assert all(r.last_error.startswith("ConnectionRefusedError") for r in outbox())
        assert smtp.messages == []

        smtp.start()
        now = max(r.next_attempt_at for r in outbox()) + timedelta(seconds=1)
        report = deliver_due(now=now)
        assert (report.sent, report.retry, report.failed) == (28, 0, 0)
        rows = outbox()
        assert {(r.status, r.last_error) for r in rows} == {("sent", "")}
        received = [message["Message-ID"] for message in smtp.messages]
        assert sorted(received) == sorted(r.message_id for r in rows)
        assert len(received) == len(set(received)) == 28
        assert deliver_due(now=now + timedelta(days=1)).claimed == 0
        assert len(smtp.messages) == 28

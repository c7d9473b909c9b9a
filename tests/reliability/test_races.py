"""The same action twice at the same moment has its effect once.

Elsewhere: two approvals (tests/test_workflow.py), two `outbox send` processes and two
delivery threads (tests/test_mail.py), two submits one after the other (tests/test_respond.py).
"""

import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from intake.extensions import db
from intake.models import AuditEvent, Invitation, OutboxMessage, Submission, utcnow
from tests.reliability.helpers import (
    SUBMITTED_ONCE,
    Visitor,
    add_blogger,
    complete_draft,
    count,
    effects,
    live_server,
    page_tokens,
)
from tests.support.factories import age, invite
from tests.support.servers import ROOT, flask_env


@pytest.mark.slow
def test_two_tabs_submitting_at_once_through_gunicorn_submit_once(app, tmp_path):
    add_blogger()
    drafts = [complete_draft(number) for number in range(8)]
    with live_server(app, tmp_path, workers=4) as server:
        pages = []
        for _submission, token, answers in drafts:
            visitor = Visitor(server.port)  # one browser, two tabs: the same cookies
            for _tab in range(2):
                csrf, version = page_tokens(visitor.get(f"/r/{token}").text)
                pages.append((visitor, token, {
                    "csrf_token": csrf, "version": version, "consent": "y",
                    "display_name": "Personne",
                    **{f"q{qid}": body for qid, body in answers.items()}}))
        # Every page is open before any POST: a worker that accepted a held POST waits for it.
        held = [(token, visitor.prepare_post(f"/r/{token}/submit", form))
                for visitor, token, form in pages]
        replies: list = [None] * len(held)

        def finish(index: int) -> None:
            replies[index] = held[index][1].finish()

        threads = [threading.Thread(target=finish, args=(i,)) for i in range(len(held))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert [(r.status, r.headers["Location"]) for r in replies] == [
        (303, f"/r/{token}") for token, _held in held]
    db.session.rollback()  # end this session's read snapshot (SQLite WAL)
    for submission, _token, _answers in drafts:
        db.session.refresh(submission)
        assert submission.state == "submitted"
        assert effects(submission.id) == SUBMITTED_ONCE
        assert [r.number for r in submission.revisions] == [1]


# Runs `flask ARGS` once the app is imported and a shared start time has come, so that two
# processes begin their work at the same instant rather than after their imports.
AT_THE_SAME_TIME = (
    "import sys, time\n"
    "import flask.cli, intake\n"
    "start = float(sys.argv.pop(1))\n"
    "time.sleep(max(0.0, start - time.time()))\n"
    "sys.argv[0] = 'flask'\n"
    "flask.cli.main()\n"
)


def flask_together(app, tmp_path, smtp, *args: str, runs: int = 2) -> list[tuple[int, str]]:
    """Run `flask --app intake ARGS` in `runs` processes starting together; (code, output)."""
    env = flask_env(app, tmp_path / "instance", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    start = f"{time.time() + 2:.3f}"
    command = [sys.executable, "-c", AT_THE_SAME_TIME, start, "--app", "intake", *args]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True) for _ in range(runs)]
    outputs = [process.communicate(timeout=60)[0] for process in processes]
    return [(process.returncode, out) for process, out in zip(processes, outputs, strict=True)]


def remind_counts(invitations: list) -> dict:
    """Return the reminders queued by number, the reminder audits and the expiries."""
    keys = db.session.scalars(select(OutboxMessage.dedupe_key)
                              .where(OutboxMessage.kind == "reminder")).all()
    return {
        "first": sorted(k for k in keys if k.endswith(":1")),
        "second": sorted(k for k in keys if k.endswith(":2")),
        "sent_counts": [db.session.get(Invitation, i.id).reminders_sent for i in invitations],
        "audited": count(AuditEvent, AuditEvent.action == "email",
                         AuditEvent.detail["kind"].as_string() == "reminder"),
        "expired": count(AuditEvent, AuditEvent.to_state == "expired"),
    }


@pytest.mark.slow
def test_two_remind_commands_at_once_remind_and_expire_once(app, smtp, tmp_path):
    invitations = [invite(name=f"Personne {n}", email=f"p{n}@example.org")[0]
                   for n in range(30)]
    overdue, reminded = invitations[:5], invitations[5:]
    db.session.execute(update(Invitation).where(Invitation.id.in_([i.id for i in overdue]))
                       .values(expires_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    first = sorted(f"reminder:{i.id}:1" for i in reminded)
    second = sorted(f"reminder:{i.id}:2" for i in reminded)
    expected = [
        {"first": first, "second": [], "sent_counts": [0] * 5 + [1] * 25, "audited": 25,
         "expired": 5},
        {"first": first, "second": second, "sent_counts": [0] * 5 + [2] * 25, "audited": 50,
         "expired": 5},
    ]
    # Day 8: the first reminders (and the expiries); day 15: the second ones.
    for days, wanted in zip((8, 7), expected, strict=True):
        for invitation in invitations:
            age(invitation, days)
        results = flask_together(app, tmp_path, smtp, "remind")
        assert [code for code, _output in results] == [0, 0], results
        queued = [int(out.split("Queued ")[1].split()[0]) for _code, out in results]
        assert sum(queued) == 25
        db.session.rollback()  # end this session's read snapshot (SQLite WAL)
        assert remind_counts(invitations) == wanted
        delivered = flask_together(app, tmp_path, smtp, "worker", "--once")
        assert [code for code, _output in delivered] == [0, 0], delivered
        db.session.rollback()
    assert db.session.scalars(select(Submission.state).order_by(Submission.id)).all() == (
        ["expired"] * 5 + ["invited"] * 25)
    # Two workers at once delivered what was due: every message once (30 invitations, 50
    # reminders).
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert {row.status for row in rows} == {"sent"}
    received = [message["Message-ID"] for message in smtp.messages]
    assert sorted(received) == sorted(row.message_id for row in rows)
    assert len(received) == 80

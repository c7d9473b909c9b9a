"""Workers killed (SIGKILL) in the middle of submits leave each one whole: sent or a draft."""

import http.client
import threading
import time

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import Answer, Photo, Submission
from tests.reliability.helpers import (
    SUBMITTED_ONCE,
    UNTOUCHED,
    Visitor,
    add_blogger,
    complete_draft,
    effects,
    kill_workers,
    live_server,
    page_tokens,
    wait_for_workers,
)

PEOPLE = 24
WORKERS = 4
# Seconds between the moment every submit is released and the moment the workers die.
KILL_AFTER = (0.05, 0.2, 0.5)


def submit_once(port: int, token: str, answers: dict, number: int,
                barriers: tuple[threading.Barrier, threading.Barrier], outcomes: list) -> None:
    """Open the page; once every page is open, hold the POST; all are released together."""
    opened, ready = barriers
    visitor = Visitor(port, timeout=20)
    try:
        page = visitor.get(f"/r/{token}")
        csrf, version = page_tokens(page.text)
        form = {"csrf_token": csrf, "version": version, "consent": "y",
                "display_name": f"Personne {number}",
                **{f"q{qid}": body for qid, body in answers.items()}}
        opened.wait()  # a worker that accepted a held POST cannot serve a GET meanwhile
        held = visitor.prepare_post(f"/r/{token}/submit", form)
    except (OSError, http.client.HTTPException, AssertionError):
        opened.abort()
        ready.abort()
        raise
    ready.wait()
    try:
        outcomes.append(held.finish().status)
    except (OSError, http.client.HTTPException):
        outcomes.append("cut")


def pending(drafts: list) -> list:
    """Return the drafts whose submission is still in progress."""
    db.session.rollback()
    return [d for d in drafts if db.session.get(Submission, d[0]).state == "in_progress"]


def check_whole(drafts: list) -> tuple[int, int]:
    """Assert each submission is fully submitted or still a complete draft; count each kind."""
    db.session.rollback()  # end this session's read snapshot (SQLite WAL)
    sent = draft = 0
    for submission_id, _token, answers, number in drafts:
        submission = db.session.get(Submission, submission_id)
        stored = dict(db.session.execute(select(Answer.question_id, Answer.body)
                                         .where(Answer.submission_id == submission_id)).all())
        assert stored == answers
        assert submission.display_name == f"Personne {number}"
        assert db.session.scalars(select(Photo.kind)
                                  .where(Photo.submission_id == submission_id)).all() == [
            "portrait"]
        if submission.state == "submitted":
            sent += 1
            assert effects(submission_id) == SUBMITTED_ONCE
            assert submission.submitted_at is not None
            assert submission.revisions[0].data["display_name"] == f"Personne {number}"
        else:
            draft += 1
            assert (submission.state, submission.submitted_at) == ("in_progress", None)
            assert effects(submission_id) == UNTOUCHED
    return sent, draft


@pytest.mark.slow
def test_workers_killed_mid_submit_leave_each_submission_whole(app, tmp_path):
    add_blogger()
    drafts = []
    for number in range(PEOPLE):
        submission, token, answers = complete_draft(number)
        drafts.append((submission.id, token, answers, number))
    outcomes: list = []
    with live_server(app, tmp_path, workers=WORKERS) as server:
        wait_for_workers(server, WORKERS, set())
        for delay in (*KILL_AFTER, None):  # the last round sends what is left, no kill
            left = pending(drafts)
            if not left:
                break
            barriers = (threading.Barrier(len(left), timeout=30),
                        threading.Barrier(len(left) + 1, timeout=30))
            threads = [threading.Thread(target=submit_once,
                                        args=(server.port, token, answers, n, barriers, outcomes))
                       for _id, token, answers, n in left]
            for thread in threads:
                thread.start()
            barriers[1].wait()
            if delay is not None:
                time.sleep(delay)
                killed = kill_workers(server)
            for thread in threads:
                thread.join(30)
            assert sum(check_whole(drafts)) == PEOPLE  # right after the crash, nothing is half
            if delay is not None:
                wait_for_workers(server, WORKERS, killed)
    assert "cut" in outcomes  # some submits really were in flight when their worker died
    assert set(outcomes) <= {303, "cut"}
    # Every person could send again after the crash: all are now submitted, each once.
    assert check_whole(drafts) == (PEOPLE, 0)

"""Fifty people autosaving at once through several gunicorn workers lose nothing."""

import json
import threading
import time

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import Answer, Submission
from tests.reliability.helpers import JSON, Visitor, live_server, page_tokens
from tests.support.factories import make_invitation, question

PEOPLE = 50
SAVES = 5


def autosave_session(port: int, token: str, number: int, question_id: int, log: list) -> None:
    """Open the page, then autosave SAVES growing values, as the page's script does."""
    visitor = Visitor(port)
    page = visitor.get(f"/r/{token}")
    log.append(("GET", page.status))
    csrf, version = page_tokens(page.text)
    for save in range(1, SAVES + 1):
        form = {"csrf_token": csrf, "version": version,
                f"q{question_id}": f"Réponse {number}, version {save}",
                "display_name": f"Personne {number} v{save}"}
        reply = visitor.post(f"/r/{token}/save", form,
                             {"Accept": JSON, "X-CSRFToken": csrf})
        log.append(("save", reply.status))
        if reply.status == 200:
            version = str(json.loads(reply.text)["version"])


@pytest.mark.slow
def test_fifty_respondents_autosaving_through_four_workers_lose_nothing(app, tmp_path):
    question_id = question("studies").id
    tokens = [make_invitation(name=f"Personne {n}", email=f"p{n}@example.org")[1]
              for n in range(PEOPLE)]
    logs: list[list] = [[] for _ in range(PEOPLE)]
    with live_server(app, tmp_path, workers=4) as server:
        started = time.monotonic()
        threads = [threading.Thread(target=autosave_session,
                                    args=(server.port, token, n, question_id, logs[n]))
                   for n, token in enumerate(tokens)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        elapsed = time.monotonic() - started
    assert not any(thread.is_alive() for thread in threads)
    assert [len(log) for log in logs] == [1 + SAVES] * PEOPLE
    statuses = {status for log in logs for _step, status in log}
    assert statuses == {200}
    assert elapsed < 60
    db.session.rollback()  # end this session's read snapshot (SQLite WAL)
    submissions = db.session.scalars(select(Submission).order_by(Submission.id)).all()
    assert [(s.state, s.display_name) for s in submissions] == [
        ("in_progress", f"Personne {n} v{SAVES}") for n in range(PEOPLE)]
    bodies = db.session.scalars(select(Answer.body).where(Answer.question_id == question_id)
                                .order_by(Answer.submission_id)).all()
    assert bodies == [f"Réponse {n}, version {SAVES}" for n in range(PEOPLE)]

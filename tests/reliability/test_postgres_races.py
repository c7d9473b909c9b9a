"""PostgreSQL under real concurrent requests: two tabs making the first save of an answer at
once, and a person erased while they save or submit. Every request answers (never a 500),
every answer is stored once, and an erased person is always gone."""

import pytest
from sqlalchemy import select

from intake.enums import State
from intake.extensions import db
from intake.models import Answer, AuditEvent, Invitation, Submission
from tests.reliability.helpers import (
    JSON,
    Visitor,
    add_blogger,
    complete_draft,
    live_server,
    page_tokens,
)
from tests.support.factories import make_invitation, question
from tests.support.races import finish_together, logged_in_blogger, postgres_app

__all__ = ["postgres_app"]  # the fixture, imported for these tests

PAIRS = 20
ERASURES = 16


@pytest.mark.slow
def test_two_tabs_making_the_first_save_of_an_answer_at_once_store_it_once(postgres_app,
                                                                           tmp_path):
    studies = question("studies").id
    people = [make_invitation(name=f"Personne {n}", email=f"p{n}@example.org")
              for n in range(PAIRS)]
    replies = []
    with live_server(postgres_app, tmp_path, workers=4) as server:
        for _invitation, token in people:
            visitor = Visitor(server.port)  # one browser, two tabs
            held = []
            for tab in ("A", "B"):
                csrf, version = page_tokens(visitor.get(f"/r/{token}").text)
                held.append(visitor.prepare_post(
                    f"/r/{token}/save", {"csrf_token": csrf, "version": version,
                                         "display_name": "Personne", f"q{studies}": tab},
                    headers={"Accept": JSON}))
            replies.append(finish_together(held))
    assert [[reply.status for reply in pair] for pair in replies] == [[200, 200]] * PAIRS
    db.session.rollback()
    for invitation, _token in people:
        submission = db.session.get(Submission, invitation.submission.id)
        assert submission.state == State.IN_PROGRESS
        assert [(a.question_id, a.body in ("A", "B")) for a in submission.answers] == [
            (studies, True)]


def erase_form(blogger: Visitor, csrf: str, submission: Submission) -> tuple[str, dict]:
    """Return the path and form that erase a person."""
    return (f"/admin/submissions/{submission.id}/erase",
            {"csrf_token": csrf, "confirm": submission.invitation.email})


@pytest.mark.slow
def test_erasing_a_person_while_they_save_or_submit_always_erases_them(postgres_app, tmp_path):
    add_blogger()
    drafts = [complete_draft(number) for number in range(ERASURES)]
    ids = [submission.id for submission, _token, _answers in drafts]
    outcomes = []
    with live_server(postgres_app, tmp_path, workers=4) as server:
        blogger, admin_csrf = logged_in_blogger(server.port)
        for number, (submission, token, answers) in enumerate(drafts):
            person = Visitor(server.port)
            csrf, version = page_tokens(person.get(f"/r/{token}").text)
            action = "submit" if number % 2 else "save"
            form = {"csrf_token": csrf, "version": version, "consent": "y",
                    "display_name": f"Personne {number} (modifié)",
                    **{f"q{qid}": f"{body} modifié" for qid, body in answers.items()}}
            held = [person.prepare_post(f"/r/{token}/{action}", form),
                    blogger.prepare_post(*erase_form(blogger, admin_csrf, submission))]
            saved, erased = finish_together(held)
            outcomes.append((action, saved.status, erased.status, erased.headers["Location"]))
    assert [outcome[2:] for outcome in outcomes] == [(303, "/admin/")] * ERASURES
    assert all(status in (303, 404) for _action, status, *_rest in outcomes), outcomes
    db.session.rollback()
    assert db.session.scalars(select(Submission.id).where(Submission.id.in_(ids))).all() == []
    assert db.session.scalars(select(Answer.id).where(Answer.submission_id.in_(ids))).all() == []
    assert db.session.scalars(select(Invitation.id)).all() == []
    assert db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action == "person_erased")).all() == ["person_erased"] * ERASURES

"""The blogger's French pages say things in French: a real plural for edited answers, and no
raw codes (« queued », « invitee », « system », email kinds) in the history or the emails."""

from sqlalchemy import select

from intake.enums import State
from intake.extensions import db
from intake.models import OutboxMessage
from intake.submissions.proof import answer_proof
from intake.workflow import audit
from tests.support.factories import make_submission


def save_answers(client, submission, texts: dict[int, str]) -> str:
    """Post the answers form with some texts changed; return the flash message shown after."""
    data = {}
    for answer in submission.answers:
        data[f"text-{answer.id}"] = texts.get(answer.id, answer.published_body)
        data[f"position-{answer.id}"] = answer.position
    response = client.post(f"/admin/submissions/{submission.id}/answers", data=data,
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    return page.split('class="flash flash-success"')[1].split(">", 1)[1].split("<")[0].strip()


def test_edited_answers_are_counted_with_a_real_plural(blogger_client):
    submission = make_submission()
    first, second, _third = submission.answers
    assert save_answers(blogger_client, submission, {}) == "Aucune réponse modifiée."
    assert save_answers(blogger_client, submission, {first.id: "Un."}) == "1 réponse modifiée."
    assert save_answers(blogger_client, submission, {first.id: "Deux.", second.id: "Trois."}) == (
        "2 réponses modifiées.")


def test_edited_answers_plural_in_english(blogger_client):
    blogger_client.post("/language", data={"language": "en", "next": "/admin/"})
    submission = make_submission()
    first, second, _third = submission.answers
    assert save_answers(blogger_client, submission, {first.id: "One."}) == "1 answer changed."
    assert save_answers(blogger_client, submission, {first.id: "A", second.id: "B"}) == (
        "2 answers changed.")


def test_history_and_emails_name_actors_and_statuses_in_french(blogger_client):
    submission = make_submission(State.SUBMITTED)
    blogger_client.post(f"/admin/submissions/{submission.id}/proof")
    answer_proof(submission, True, "")
    audit.record(submission, "email", audit.SYSTEM, kind="reminder")
    db.session.commit()
    page = blogger_client.get(f"/admin/submissions/{submission.id}").get_data(as_text=True)
    timeline = page.split('<ol class="timeline">')[1].split("</ol>")[0]
    lines = [" ".join(item.split("</time>")[1].split("</li>")[0].split())
             for item in timeline.split("<li>")[1:]]
    assert lines[:3] == ["— système : Courriel mis en file (Rappel)",
                         "— la personne invitée : Épreuve confirmée",
                         "— blogueuse@example.org : Épreuve envoyée"]
    emails = page.split('aria-labelledby="emails-title"')[1].split("</section>")[0]
    statuses = [row.split('">')[1].split("<")[0] for row in emails.split('<span class="badge')[1:]]
    stored = db.session.scalars(select(OutboxMessage.status)).all()
    assert stored == ["queued", "queued"]  # the proof, and the notice of its answer
    assert statuses == ["En attente", "En attente"]
    for code in ("queued", "invitee", "system"):
        assert f">{code}<" not in page and f" {code} :" not in page

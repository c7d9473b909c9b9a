"""Refusals: a refused change is undone, says why in words, and goes back where it came from."""

import re

import pytest
from sqlalchemy import func, select

from intake.enums import State
from intake.extensions import db
from intake.links import token_for
from intake.models import Answer, AuditEvent, Submission
from tests.support.factories import make_invitation, make_submission, question

JSON = {"Accept": "application/json"}


def flash_after(client, response, location: str, category: str) -> str:
    """Follow a 303 to `location` and return the text of its one flash message of a category."""
    assert (response.status_code, response.headers["Location"]) == (303, location)
    page = client.get(location).get_data(as_text=True)
    return re.findall(rf'<p class="flash flash-{category}"[^>]*>([^<]*)</p>', page)[0]


@pytest.mark.parametrize("case", ["no_consent", "proof_state", "slug_taken", "invalid",
                                  "crop_range", "crop_no_photo"])
def test_refused_review_change_is_undone_and_explained(blogger_client, case):
    other = make_submission(State.PUBLISHED, email="autre@example.org")
    submission = make_submission(State.PUBLISHED if case == "proof_state" else State.APPROVED,
                                 consent=case != "no_consent", photo=case != "crop_no_photo")
    base = f"/admin/submissions/{submission.id}"
    path, data, message = {
        "no_consent": (f"{base}/decide/publish", {"version": submission.version},
                       "La personne n’a pas donné son consentement à la publication."),
        "proof_state": (f"{base}/proof", {},
                        "L’épreuve s’envoie quand le portrait est soumis ou approuvé."),
        "slug_taken": (f"{base}/settings", {"title": "Nouveau", "slug": other.slug},
                       "Un autre portrait utilise déjà cette adresse."),
        "invalid": (f"{base}/settings", {"title": "x" * 301, "slug": "nouveau"},
                    "Vérifiez les champs du formulaire."),
        "crop_range": (f"{base}/crop", {"x": "2", "y": "0", "size": "0.5"},
                       "Le recadrage doit rester dans l’image (valeurs de 0 à 1)."),
        "crop_no_photo": (f"{base}/crop", {"x": "0", "y": "0", "size": "1"},
                          "Il n’y a pas encore de photo de portrait à recadrer."),
    }[case]
    events = db.session.scalar(select(func.count(AuditEvent.id)))

    response = blogger_client.post(path, data=data)

    assert flash_after(blogger_client, response, base, "error") == message
    db.session.rollback()
    stored = db.session.get(Submission, submission.id)
    assert (stored.state, stored.title, stored.slug, stored.proof_status) == (
        submission.state, "", submission.slug, "")
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events


def test_refused_invitation_follow_up_goes_back_to_the_invitation(blogger_client):
    submission = make_submission(State.REJECTED)
    path = f"/admin/invitations/{submission.invitation_id}"

    response = blogger_client.post(f"{path}/revoke")

    assert flash_after(blogger_client, response, path, "error") == (
        "Cette action n’est plus possible pour cette invitation.")
    db.session.rollback()
    stored = db.session.get(Submission, submission.id)
    assert (stored.state, stored.invitation.revoked_at) == ("rejected", None)


def test_proof_answered_twice_keeps_the_first_answer(blogger_client, client):
    submission = make_submission(State.APPROVED)
    blogger_client.post(f"/admin/submissions/{submission.id}/proof")
    path = f"/r/{token_for(submission.invitation)}/proof"
    client.post(path, data={"decision": "comment", "comment": "Premier avis"})

    response = client.post(path, data={"decision": "confirm"})

    assert flash_after(client, response, path, "info") == "Cette épreuve a déjà reçu une réponse."
    db.session.rollback()
    stored = db.session.get(Submission, submission.id)
    assert (stored.proof_status, stored.proof_comment) == ("commented", "Premier avis")


def test_stale_save_keeps_the_typed_text_on_the_page_and_saves_nothing(client):
    _invitation, token = make_invitation()
    field = f"q{question('studies').id}"

    page = client.post(f"/r/{token}/save", data={field: "Texte tapé", "version": "9"})
    autosave = client.post(f"/r/{token}/save", data={field: "Texte tapé", "version": "9"},
                           headers=JSON)

    message = ("Cette page n’était plus à jour : ces réponses n’ont pas été enregistrées. "
               "Relis-les, puis enregistre de nouveau.")
    html = page.get_data(as_text=True).replace("\u00a0", " ")
    assert page.status_code == 409
    assert message.replace("\u00a0", " ") in html
    assert "Texte tapé</textarea>" in html
    assert (autosave.status_code, autosave.json) == (409, {"error": "stale",
                                                           "message": message})
    assert db.session.scalar(select(func.count(Answer.id))) == 0

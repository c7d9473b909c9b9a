"""Large inputs: one huge answer is refused alone (by name, with its limit) while the rest
saves; a form of 10,000 fields is refused whatever its encoding."""

from sqlalchemy import select

from intake.extensions import db
from intake.models import Answer, Question, Submission
from tests.respond_helpers import make_invitation, question

JSON = {"Accept": "application/json"}
PASTE = "Un très long copier-coller. " * 22_000  # 616,000 characters


def stored(submission_id: int) -> tuple[str, dict[int, str]]:
    """Return a submission's stored name and answers by question id, read afresh."""
    db.session.rollback()
    submission = db.session.get(Submission, submission_id)
    return submission.display_name, {a.question_id: a.body for a in submission.answers}


def test_a_huge_paste_in_one_answer_is_refused_alone_and_the_rest_is_saved(client):
    invitation, token = make_invitation()
    studies, advice = question("studies"), question("advice")
    response = client.post(f"/r/{token}/save", headers=JSON, content_type="multipart/form-data",
                           data={f"q{studies.id}": PASTE, f"q{advice.id}": "Lisez.",
                                 "display_name": "Camille T."})
    assert response.status_code == 200
    assert response.get_json()["errors"] == {
        f"q{studies.id}": f"Ce texte compte {len(PASTE.strip())} caractères pour une limite de "
                          "1000. Raccourcissez-le : cette version n’a pas été enregistrée."}
    assert stored(invitation.submission.id) == ("Camille T.", {advice.id: "Lisez."})
    # What is typed next saves as usual, the long answer still waiting to be shortened.
    again = client.post(f"/r/{token}/save", headers=JSON, content_type="multipart/form-data",
                        data={f"q{studies.id}": PASTE, f"q{advice.id}": "Lisez beaucoup."})
    assert list(again.get_json()["errors"]) == [f"q{studies.id}"]
    assert stored(invitation.submission.id)[1] == {advice.id: "Lisez beaucoup."}


def test_without_javascript_a_huge_paste_answers_422_naming_the_field(client):
    invitation, token = make_invitation()
    studies = question("studies")
    response = client.post(f"/r/{token}/save", content_type="multipart/form-data",
                           data={f"q{studies.id}": PASTE, "display_name": "Camille T."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (f'<a href="#q{studies.id}">En quoi as-tu étudié? : Ce texte compte '
            f"{len(PASTE.strip())} caractères pour une limite de 1000.") in page
    assert PASTE.strip() in page  # the typed text is still in the page
    assert stored(invitation.submission.id) == ("Camille T.", {})


def test_an_answer_without_a_limit_is_held_to_the_longest_answer_allowed(client):
    invitation, token = make_invitation()
    studies = question("studies")
    studies.max_length = None
    db.session.commit()
    response = client.post(f"/r/{token}/save", headers=JSON,
                           data={f"q{studies.id}": "x" * 20_001})
    assert response.get_json()["errors"][f"q{studies.id}"].endswith(
        "pour une limite de 20000. Raccourcissez-le : cette version n’a pas été enregistrée.")
    client.post(f"/r/{token}/save", headers=JSON, data={f"q{studies.id}": "x" * 20_000})
    assert db.session.scalar(select(Answer.body).where(
        Answer.question_id == studies.id)) == "x" * 20_000
    assert db.session.get(Question, studies.id).max_length is None


def urlencoded_fields(count: int) -> str:
    """Return an urlencoded body of `count` fields."""
    return "&".join(f"f{number}=x" for number in range(count))


def test_an_urlencoded_post_of_ten_thousand_fields_is_refused(client):
    invitation, token = make_invitation()
    body = urlencoded_fields(9_999) + "&display_name=Trop"
    for path in (f"/r/{token}/save", "/login"):
        response = client.post(path, data=body,
                               content_type="application/x-www-form-urlencoded")
        page = response.get_data(as_text=True)
        assert response.status_code == 413, path
        assert "Ce formulaire envoie plus de 200 champs\u00a0: rien n’a été enregistré." in page
    autosave = client.post(f"/r/{token}/save", data=body, headers=JSON,
                           content_type="application/x-www-form-urlencoded")
    assert (autosave.status_code, autosave.get_json()["error"]) == (413, "too_large")
    assert stored(invitation.submission.id) == ("", {})
    fine = client.post(f"/r/{token}/save", headers=JSON,
                       content_type="application/x-www-form-urlencoded",
                       data=urlencoded_fields(150) + "&display_name=Camille")
    assert fine.status_code == 200
    assert stored(invitation.submission.id)[0] == "Camille"

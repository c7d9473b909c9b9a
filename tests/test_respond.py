"""The invitee's pages: the link, autosave, save, submit, photos, and every refusal."""

import io
import re
from datetime import timedelta

from PIL import Image
from sqlalchemy import func, select

from intake.enums import State
from intake.extensions import db
from intake.models import Answer, OutboxMessage, Revision, SocialLink, utcnow
from intake.workflow.transitions import set_state
from tests.support.databases import count_queries
from tests.support.factories import make_invitation, question, required_answers
from tests.support.images import jpeg

JSON = {"Accept": "application/json"}
INVALID = "Ce lien n’est pas valide"


def page(response) -> str:
    return response.get_data(as_text=True)


def without_csrf(html: str) -> str:
    """Drop the per-session form token so two pages can be compared."""
    return re.sub(r'content="[^"]*"', "", html)


def answers_form(answers: dict, **fields) -> dict:
    """Return form data for answers by question id plus other fields."""
    return {**{f"q{qid}": text for qid, text in answers.items()}, **fields}


def complete_form(**fields) -> dict:
    """Return a page's data with every required answer, a name and consent."""
    return answers_form(required_answers(), display_name="Camille T.", consent="y", **fields)


def upload(client, token, data: bytes, name="photo.jpg", **fields):
    """Post the page with a portrait file through the photo button."""
    form = {"photo_portrait": (io.BytesIO(data), name), "caption_portrait": "Au bureau",
            "credit_portrait": "Studio Nord", **fields}
    return client.post(f"/r/{token}/photo/portrait", data=form,
                       content_type="multipart/form-data")


def test_get_shows_questionnaire_with_note_and_changes_nothing(client):
    invitation, token = make_invitation(note="Merci d’avoir accepté!\n\nÀ bientôt.")
    response = client.get(f"/r/{token}")
    html = page(response)
    assert response.status_code == 200
    assert "<p>Merci d’avoir accepté!</p>" in html
    assert "Décris ta job en 140 caractères." in html
    assert "Comme un tweet d’autrefois\u00a0: 140 caractères au maximum.</p>" in html
    assert "Au plus 3000 caractères." in html
    assert 'data-max-length="140"' in html
    assert "Section 2 sur 10" in html
    assert '<progress id="progress" max="28" value="0">' in html
    assert 'id="display_name" name="display_name" type="text" value="Camille Tremblay"' in html
    assert 'name="link_mastodon"' in html
    db.session.refresh(invitation.submission)
    assert (invitation.submission.state, invitation.submission.version) == (State.INVITED, 1)


def test_page_marks_the_answers_and_what_autosave_leaves_alone(client):
    _, token = make_invitation()
    html = page(client.get(f"/r/{token}"))
    answers = re.findall(r'<textarea [^>]*\bdata-answer\b[^>]*name="(q\d+)"', html)
    left_alone = re.findall(r'<input [^>]*\bdata-no-autosave\b[^>]*name="([^"]+)"', html)
    assert (len(answers), len(set(answers))) == (28, 28)
    assert left_alone == ["photo_portrait", "photo_workspace", "consent"]


def test_pages_under_r_are_never_cached(client):
    _, token = make_invitation()
    for response in (client.get(f"/r/{token}"), client.get("/r/not-a-token"),
                     client.post(f"/r/{token}/save", data={}, headers=JSON)):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_autosave_answer_survives_a_new_session(app):
    invitation, token = make_invitation()
    studies = question("studies")
    response = app.test_client().post(
        f"/r/{token}/save", data=answers_form({studies.id: "Communication, UQAM"}, version="2"),
        headers=JSON)
    assert response.status_code == 200
    assert re.fullmatch(r"\d\d:\d\d", response.json["saved_at"])
    assert (response.json["errors"], response.json["version"]) == ({}, 2)
    html = page(app.test_client().get(f"/r/{token}"))
    assert "Communication, UQAM</textarea>" in html
    assert "Dernier enregistrement" in html
    assert invitation.submission.state == State.IN_PROGRESS


def series_queries(statements: list[str]) -> list[str]:
    """Return the statements that read the series' questions (all_questions)."""
    return [s for s in statements
            if "questions.questionnaire_id =" in s and "questions.active" in s]


def test_autosave_and_submit_read_the_series_questions_once(client):
    _, token = make_invitation()
    data = complete_form(version="2")
    with count_queries() as autosave:
        response = client.post(f"/r/{token}/save", data=data, headers=JSON)
    assert response.status_code == 200
    with count_queries() as submit:
        response = client.post(f"/r/{token}/submit", data=data)
    assert response.status_code == 422  # no portrait yet: the page is shown again
    # read once, then kept under the series' questions stamp
    assert (len(series_queries(autosave)), len(series_queries(submit))) == (1, 0)


def test_save_button_without_js_redirects_303_with_message(client):
    _, token = make_invitation()
    response = client.post(f"/r/{token}/save", data={"display_name": "Camille"})
    assert (response.status_code, response.headers["Location"]) == (303, f"/r/{token}")
    assert "Tes réponses sont enregistrées." in page(client.get(f"/r/{token}"))


def test_submit_missing_required_keeps_answers_and_names_it(client):
    invitation, token = make_invitation()
    answers = required_answers()
    advice = question("advice")
    del answers[advice.id]
    answers[question("phone").id] = "Android, sans hésiter"
    response = client.post(f"/r/{token}/submit",
                           data=answers_form(answers, display_name="Camille", consent="y"))
    html = page(response)
    assert response.status_code == 422
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert (f'<a href="#q{advice.id}">Que recommandes-tu à quelqu’un qui souhaite faire ce '
            "métier? : Réponds à cette question : elle est obligatoire.</a>") in summary
    assert 'href="#photo_portrait"' in summary
    assert "Android, sans hésiter</textarea>" in html
    assert 'value="Camille"' in html
    stored = {a.question_id: a.body for a in db.session.scalars(select(Answer))}
    assert stored[question("phone").id] == "Android, sans hésiter"
    assert len(stored) == len(answers)
    assert invitation.submission.state == State.IN_PROGRESS


def test_invalid_handle_message_shown_and_other_values_kept(client):
    _, token = make_invitation()
    response = client.post(f"/r/{token}/save", data={
        "display_name": "Camille", "link_x": "@camille_t", "link_facebook": "javascript:alert(1)",
        f"q{question('studies').id}": "Design",
    })
    html = page(response)
    assert response.status_code == 422
    assert "Facebook : Seuls les liens commençant par http:// ou https:// sont acceptés." in html
    assert 'value="javascript:alert(1)"' in html
    assert 'value="@camille_t"' in html
    assert "Design</textarea>" in html
    links = db.session.scalars(select(SocialLink)).all()
    assert [(k.network, k.url) for k in links] == [("x", "https://x.com/camille_t")]


def test_autosave_reports_errors_as_text(client):
    _, token = make_invitation()
    job = question("job-in-140")
    response = client.post(f"/r/{token}/save", data={f"q{job.id}": "é" * 150}, headers=JSON)
    assert response.json["errors"] == {
        f"q{job.id}": "Ce texte compte 150 caractères pour une limite de 140. Raccourcis-le : "
        "cette version n’a pas été enregistrée."
    }


def test_photo_upload_strips_gps_and_is_shown_back(client):
    invitation, token = make_invitation()
    response = upload(client, token, jpeg(gps=True), display_name="Camille")
    assert (response.status_code, response.headers["Location"]) == (
        303, f"/r/{token}#photos-portrait")
    photo = invitation.submission.photo("portrait")
    html = page(client.get(f"/r/{token}"))
    assert f"/r/{token}/photos/portrait.jpg?v={photo.sha256[:12]}" in html
    assert "Remplacer la photo" in html
    assert 'value="Au bureau"' in html
    served = client.get(f"/r/{token}/photos/portrait.jpg")
    assert client.get(f"/r/{token}/photo/portrait").status_code == 405
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"] == "private, no-store"
    with Image.open(io.BytesIO(served.data)) as image:
        assert (image.format, dict(image.getexif())) == ("JPEG", {})


def test_text_file_named_jpg_is_refused_with_message(client):
    invitation, token = make_invitation()
    response = upload(client, token, b"Bonjour, je ne suis pas une image.\n",
                      display_name="Camille")
    html = page(response)
    assert response.status_code == 422
    assert "Le fichier n’est pas une image JPEG, PNG ou WebP." in html
    assert 'value="Camille"' in html
    assert invitation.submission.photo("portrait") is None


def test_upload_over_size_limit_gets_friendly_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=2000)
    with app.app_context():
        _, token = make_invitation()
    response = upload(app.test_client(), token, b"x" * 5000)
    assert response.status_code == 413
    assert "une photo peut peser 10 Mo au plus" in page(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_double_submit_makes_one_submission(client, blogger):
    invitation, token = make_invitation()
    upload(client, token, jpeg(gps=True))
    form = complete_form(version="2")
    first = client.post(f"/r/{token}/submit", data=form)
    second = client.post(f"/r/{token}/submit", data=form)
    assert (first.status_code, second.status_code) == (303, 303)
    html = page(client.get(f"/r/{token}"))
    assert "Tes réponses ont déjà été envoyées : rien n’a été modifié." in html
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1
    kinds = sorted(m.kind for m in db.session.scalars(select(OutboxMessage)))
    assert kinds == ["new_submission", "receipt"]
    assert invitation.submission.state == State.SUBMITTED


def test_submitted_link_shows_read_only_copy(client):
    _, token = make_invitation()
    upload(client, token, jpeg(gps=True))
    studies = question("studies")
    client.post(f"/r/{token}/submit", data=complete_form(
        **{f"q{studies.id}": "Communication", "link_x": "@camille"}))
    html = page(client.get(f"/r/{token}"))
    assert "Ce que tu as envoyé" in html
    assert "<h3>En quoi as-tu étudié?</h3>" in html
    assert "<p>Communication</p>" in html
    assert "X (Twitter) : @camille" in html
    assert "<textarea" not in html
    autosave = client.post(f"/r/{token}/save", data={f"q{studies.id}": "Autre"}, headers=JSON)
    assert (autosave.status_code, autosave.json["error"]) == (409, "already_submitted")


def test_stale_page_is_not_saved_and_keeps_typed_text(client):
    invitation, token = make_invitation()
    studies = question("studies")
    response = client.post(f"/r/{token}/save",
                           data={f"q{studies.id}": "Ancienne page", "version": "9"})
    assert response.status_code == 409
    assert "Ancienne page</textarea>" in page(response)
    assert invitation.submission.answers == []


def test_changes_requested_reopens_and_resubmits(client):
    invitation, token = make_invitation()
    upload(client, token, jpeg(gps=True))
    client.post(f"/r/{token}/submit", data=complete_form())
    submission = invitation.submission
    set_state(submission, State.CHANGES_REQUESTED, "blogueuse@example.org",
              message="Peux-tu préciser ton parcours?", notify=False)
    submission.review_message = "Peux-tu préciser ton parcours?"
    db.session.commit()
    html = page(client.get(f"/r/{token}"))
    assert "Des changements te sont demandés" in html
    assert "<p>Peux-tu préciser ton parcours?</p>" in html
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    response = client.post(f"/r/{token}/submit", data=complete_form(version=version))
    assert response.status_code == 303
    assert submission.state == State.SUBMITTED
    assert [r.number for r in submission.revisions] == [1, 2]


def test_extra_questions_are_shown_and_saved(client):
    invitation, token = make_invitation(extra=["Quel est ton horaire?"])
    extra = invitation.extra_questions[0]
    html = page(client.get(f"/r/{token}"))
    assert "Questions pour toi" in html
    assert f'<label for="q{extra.id}">Quel est ton horaire?</label>' in html
    client.post(f"/r/{token}/save", data={f"q{extra.id}": "De 9 h à 17 h"}, headers=JSON)
    answer = db.session.scalars(select(Answer)).one()
    assert (answer.question_text, answer.body) == ("Quel est ton horaire?", "De 9 h à 17 h")


def test_expired_revoked_closed_and_random_links_get_same_404(client, blogger):
    expired, expired_token = make_invitation(email="a@example.org")
    expired.expires_at = utcnow() - timedelta(minutes=1)
    revoked, revoked_token = make_invitation(email="b@example.org")
    revoked.revoked_at = utcnow()
    withdrawn, withdrawn_token = make_invitation(email="c@example.org")
    withdrawn.submission.state = State.WITHDRAWN
    db.session.commit()
    pages = []
    for token in (expired_token, revoked_token, withdrawn_token, "x" * 43, "nope"):
        response = client.get(f"/r/{token}")
        assert response.status_code == 404
        pages.append(without_csrf(page(response)))
    assert len(set(pages)) == 1
    assert INVALID in pages[0]
    assert 'action="/r/new-link"' in pages[0]
    assert client.post(f"/r/{revoked_token}/save", data={}).status_code == 404
    assert expired.submission.state == State.INVITED


def test_wrong_tokens_are_rate_limited_but_own_autosaves_are_not(make_app):
    app = make_app(TOKEN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    with app.app_context():
        _, token = make_invitation()
    codes = [client.post(f"/r/{token}/save", data={}, headers=JSON).status_code
             for _ in range(5)]
    codes += [client.get(f"/r/guess{n}").status_code for n in range(4)]
    assert codes == [200] * 5 + [404, 404, 404, 429]
    assert client.get(f"/r/{token}").status_code == 200  # guessing never blocks a valid link


def test_expired_csrf_token_keeps_typed_text_without_saving(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        invitation, token = make_invitation()
        studies = question("studies").id
    response = client.post(f"/r/{token}/save", data={
        f"q{studies}": "Texte tapé pendant une heure", "display_name": "Camille",
        "csrf_token": "expired",
    })
    html = page(response)
    assert response.status_code == 400
    assert "Ta session a expiré, alors rien n’a été enregistré." in html
    assert "Texte tapé pendant une heure</textarea>" in html
    assert 'value="Camille"' in html
    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    saved = client.post(f"/r/{token}/save", data={
        f"q{studies}": "Texte tapé pendant une heure", "csrf_token": fresh}, headers=JSON)
    assert saved.status_code == 200
    with app.app_context():
        assert db.session.scalars(select(Answer.body)).all() == ["Texte tapé pendant une heure"]


def test_expired_csrf_token_on_autosave_hands_a_new_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        _, token = make_invitation()
    response = client.post(f"/r/{token}/save", data={"display_name": "Camille"}, headers=JSON)
    assert (response.status_code, response.json["error"]) == (400, "csrf")
    retry = client.post(f"/r/{token}/save", data={"display_name": "Camille"},
                        headers={**JSON, "X-CSRFToken": response.json["csrf_token"]})
    assert retry.status_code == 200


def test_english_invitation_sets_page_language(client):
    _, token = make_invitation(language="en")
    html = page(client.get(f"/r/{token}"))
    assert '<html lang="en">' in html
    assert "What did you study?" in html


def test_withdraw_needs_confirmation_then_closes_the_link(client):
    invitation, token = make_invitation()
    response = client.post(f"/r/{token}/withdraw", data={})
    assert response.status_code == 303
    assert invitation.submission.state == State.INVITED
    done = client.post(f"/r/{token}/withdraw", data={"confirm": "yes"})
    assert done.status_code == 200
    assert "rien ne sera publié et ce lien ne fonctionne plus" in page(done)
    assert invitation.submission.state == State.WITHDRAWN
    assert client.get(f"/r/{token}").status_code == 404

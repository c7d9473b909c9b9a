"""The blogger's questionnaire editor: settings, add, reword, reorder, (de)activate."""

import io

from sqlalchemy import select

from intake.extensions import db
from intake.models import Answer, Question
from intake.questionnaire.series import current_questionnaire
from tests.support.factories import make_invitation, question, required_answers
from tests.support.images import jpeg


def section_keys(section: str) -> list[str]:
    """Return the keys of a section's series questions in order."""
    return list(db.session.scalars(
        select(Question.key).where(Question.section == section, Question.invitation_id.is_(None))
        .order_by(Question.position)))


def question_data(**values) -> dict:
    """Return a question form's data with defaults."""
    return {"text_fr": "", "text_en": "", "help_fr": "", "help_en": "",
            "section": "the-job", "max_length": "", **values}


def test_editor_lists_questions_by_section(blogger_client):
    html = blogger_client.get("/admin/questionnaire").get_data(as_text=True)
    assert "<h3>Le métier</h3>" in html
    assert "Décris ta job en 140 caractères." in html
    assert "140 caractères au plus" in html


def test_add_question_goes_to_end_of_its_section_and_is_asked(blogger_client):
    response = blogger_client.post("/admin/questionnaire/questions", data=question_data(
        text_fr="Quel est ton emoji préféré?", text_en="What is your favourite emoji?",
        required="y", max_length="50"))
    assert response.status_code == 303
    added = db.session.scalar(select(Question).where(Question.text_fr.like("Quel est ton emoji%")))
    assert section_keys("the-job")[-1] == added.key == "quel-est-ton-emoji-prefere"
    assert (added.required, added.max_length, added.text_en) == (
        True, 50, "What is your favourite emoji?")
    _, token = make_invitation()
    html = blogger_client.get(f"/r/{token}").get_data(as_text=True)
    assert html.index("Quel est ton emoji préféré?") < html.index("Es-tu plus iPhone ou Android?")


def test_add_question_without_french_text_is_refused(blogger_client):
    response = blogger_client.post("/admin/questionnaire/questions",
                                   data=question_data(text_en="Only English", max_length="0"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Écrivez la question en français." in html
    assert "Indiquez une limite entre 1 et 20000 caractères, ou laissez vide." in html


def test_reword_leaves_submitted_answer_text_unchanged(blogger_client):
    invitation, token = make_invitation()
    studies = question("studies")
    blogger_client.post(f"/r/{token}/photo/portrait", content_type="multipart/form-data", data={
        "photo_portrait": (io.BytesIO(jpeg(gps=True)), "moi.jpg")})
    data = {f"q{qid}": text for qid, text in required_answers().items()}
    data.update(display_name="Camille", consent="y")
    data[f"q{studies.id}"] = "Communication"
    assert blogger_client.post(f"/r/{token}/submit", data=data).status_code == 303
    response = blogger_client.post(f"/admin/questionnaire/questions/{studies.id}",
                                   data=question_data(text_fr="Quelles études as-tu faites?",
                                                      section="background"))
    assert response.status_code == 303
    assert studies.text_fr == "Quelles études as-tu faites?"
    answer = db.session.scalar(select(Answer).where(Answer.question_id == studies.id))
    assert answer.question_text == "En quoi as-tu étudié?"
    sent = {a["question_id"]: a for a in invitation.submission.revisions[0].data["answers"]}
    assert sent[studies.id]["question"] == "En quoi as-tu étudié?"
    html = blogger_client.get(f"/r/{token}").get_data(as_text=True)
    assert "<h3>En quoi as-tu étudié?</h3>" in html


def test_move_question_swaps_within_its_section(blogger_client):
    before = section_keys("background")
    target = question("studies")
    blogger_client.post(f"/admin/questionnaire/questions/{target.id}/move",
                        data={"direction": "up"})
    after = section_keys("background")
    assert after == [before[1], before[0], *before[2:]]
    first = question(after[0])
    blogger_client.post(f"/admin/questionnaire/questions/{first.id}/move",
                        data={"direction": "up"})
    assert section_keys("background") == after


def test_deactivate_hides_question_and_reactivate_brings_it_back(blogger_client):
    pinterest = question("pinterest")
    _, token = make_invitation()
    blogger_client.post(f"/admin/questionnaire/questions/{pinterest.id}/active",
                        data={"active": "0"})
    assert "Que penses-tu de Pinterest?" not in blogger_client.get(f"/r/{token}").get_data(
        as_text=True)
    blogger_client.post(f"/admin/questionnaire/questions/{pinterest.id}/active",
                        data={"active": "1"})
    assert pinterest.active is True


def test_extra_question_is_not_edited_here(blogger_client):
    invitation, _ = make_invitation(extra=["Quel est ton horaire?"])
    extra = invitation.extra_questions[0]
    assert blogger_client.get(f"/admin/questionnaire/questions/{extra.id}").status_code == 404


def test_settings_save_titles_reading_list_and_reminders(blogger_client):
    response = blogger_client.post("/admin/questionnaire/settings", data={
        "title_fr": "Portraits de pros", "title_en": "Pro portraits",
        "intro_fr": "Bonjour.\r\n\r\nDeuxième paragraphe.", "intro_en": "",
        "reading_list": "Le métier | https://exemple.com/metier\nSans adresse\n\n",
        "reminder_days": "14, 7 ,7", "max_reminders": "3",
    })
    assert response.status_code == 303
    series = current_questionnaire()
    assert (series.title_fr, series.title_en) == ("Portraits de pros", "Pro portraits")
    assert series.intro_fr == "Bonjour.\n\nDeuxième paragraphe."
    assert series.reading_list == [
        {"title": "Le métier", "url": "https://exemple.com/metier"},
        {"title": "Sans adresse", "url": ""},
    ]
    assert (series.reminder_days, series.max_reminders) == ([7, 14], 3)


def test_settings_refuse_bad_link_and_days_and_change_nothing(blogger_client):
    response = blogger_client.post("/admin/questionnaire/settings", data={
        "title_fr": "Autre titre", "reading_list": "Piège | javascript:alert(1)",
        "reminder_days": "7, demain", "max_reminders": "2",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("Ligne 1\u00a0: Seuls les liens commençant par http:// ou https:// sont acceptés."
            in html)
    assert "Indiquez des nombres de jours entre 1 et 365" in html
    assert current_questionnaire().title_fr == "Portrait de gestionnaire de communauté"


def test_editor_page_shows_stored_settings(blogger_client):
    html = blogger_client.get("/admin/questionnaire").get_data(as_text=True)
    assert 'value="7, 14"' in html
    assert "Démystifier le métier de gestionnaire de communauté au Québec\n" in html

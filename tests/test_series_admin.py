"""The blogger's series pages: create (default questions or a copy), edit one series'
settings and questions without touching another, filter the dashboard by series."""

from intake.enums import State
from intake.extensions import db
from intake.questionnaire.series import all_series, default_series, find_series
from tests.support.documents import html_text
from tests.support.factories import make_submission

N = "\u00a0"
SETTINGS = {"title_fr": "Portrait de bénévole", "title_en": "Volunteer portrait",
            "intro_fr": "", "intro_en": "", "reading_list": "", "reminder_days": "3",
            "max_reminders": "1", "typography": "france", "register": "vous"}


def create(blogger_client, **values):
    """Post the new-series form; return the response."""
    return blogger_client.post("/admin/series", data={"title_fr": "Portrait de bénévole",
                                                      "slug": "", "start": "default",
                                                      **values})


def test_new_series_from_default_questions_opens_its_editor(blogger_client):
    response = create(blogger_client)

    assert response.status_code == 303
    assert response.headers["Location"] == (
        "/admin/series/portrait-de-benevole/questionnaire#settings")
    made = find_series("portrait-de-benevole")
    assert (made.title_en, made.intro_fr, made.intro_en, made.reading_list) == ("", "", "", [])
    assert [q.text_fr for q in made.questions] == [
        q.text_fr for q in default_series().questions]
    page = html_text(blogger_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Portrait de bénévole" in page


def test_new_series_as_a_copy_takes_the_other_series_settings_and_questions(blogger_client):
    create(blogger_client, slug="benevoles")
    blogger_client.post("/admin/series/benevoles/questionnaire/settings",
                        data={**SETTINGS, "slug": "benevoles", "languages": ["", "en"]})

    response = create(blogger_client, title_fr="Portrait d’élu", slug="elus",
                      start="benevoles")

    assert response.status_code == 303
    copy, original = find_series("elus"), find_series("benevoles")
    assert (copy.title_en, copy.reminder_days, copy.typography, copy.register,
            copy.languages) == ("Volunteer portrait", [3], "france", "vous", ["en"])
    assert [q.text_fr for q in copy.questions] == [q.text_fr for q in original.questions]


def test_new_series_refuses_a_taken_address_and_a_missing_title(blogger_client):
    create(blogger_client, slug="benevoles")

    taken = create(blogger_client, title_fr="Autre", slug="benevoles")
    untitled = create(blogger_client, title_fr=" ", slug="autre")

    assert taken.status_code == untitled.status_code == 422
    assert (f"Une autre série a déjà cette adresse (slug){N}: choisissez-en une autre."
            in taken.get_data(as_text=True))
    assert "Le titre en français est obligatoire." in untitled.get_data(as_text=True)
    assert [s.slug for s in all_series()] == [default_series().slug, "benevoles"]


def test_settings_and_questions_of_one_series_leave_the_default_alone(blogger_client):
    create(blogger_client, slug="benevoles")
    default = default_series()
    before = (default.title_fr, default.typography, default.register, default.slug,
              len(default.questions))

    saved = blogger_client.post("/admin/series/benevoles/questionnaire/settings",
                                data={**SETTINGS, "slug": "benevoles-2026",
                                      "languages": ["", "fr"]})
    added = blogger_client.post("/admin/series/benevoles-2026/questionnaire/questions",
                                data={"text_fr": "Pourquoi donnes-tu ton temps?",
                                      "section": "background"})

    assert saved.status_code == 303
    assert added.status_code == 303, added.get_data(as_text=True)
    db.session.expire_all()
    mine = find_series("benevoles-2026")
    assert (mine.typography, mine.register, mine.languages) == ("france", "vous", ["fr"])
    assert "Pourquoi donnes-tu ton temps?" in [q.text_fr for q in mine.questions]
    assert (default.title_fr, default.typography, default.register, default.slug,
            len(default.questions)) == before
    empty = blogger_client.post("/admin/series/benevoles-2026/questionnaire/settings",
                                data={**SETTINGS, "slug": "benevoles-2026", "languages": [""]})
    assert empty.status_code == 422
    assert "Choisissez au moins une langue." in empty.get_data(as_text=True)


def test_dashboard_filters_by_series(blogger_client):
    create(blogger_client, slug="benevoles")
    make_submission(State.SUBMITTED, name="Ana Défaut", email="ana@example.org")
    theirs = make_submission(State.SUBMITTED, name="Béa Bénévole", email="bea@example.org")
    theirs.invitation.questionnaire_id = find_series("benevoles").id
    db.session.commit()

    every = html_text(blogger_client.get("/admin/").get_data(as_text=True))
    filtered = html_text(blogger_client.get("/admin/?series=benevoles").get_data(as_text=True))

    assert ("Ana Défaut" in every, "Béa Bénévole" in every) == (True, True)
    assert ("Ana Défaut" in filtered, "Béa Bénévole" in filtered) == (False, True)
    listed = html_text(blogger_client.get("/admin/invitations").get_data(as_text=True))
    assert "Béa Bénévole bea@example.org MusiquePlus Portrait de bénévole" in listed

"""The blog's typographic convention: chosen on « Réglages de la série », Québec by default,
applied to posts and to the application's own French strings."""

from intake.extensions import db
from intake.i18n import set_typography_convention, typography_convention
from intake.publishing.pages import render_stale_pages
from intake.publishing.stored import mark_stale
from intake.questionnaire.series import default_series
from tests.support.factories import make_portrait

SETTINGS = {"title_fr": "Portrait de gestionnaire de communauté", "title_en": "",
            "intro_fr": "", "intro_en": "", "reading_list": "", "reminder_days": "7",
            "max_reminders": "1"}


def test_convention_is_quebec_by_default_and_chosen_in_the_series_settings(blogger_client):
    assert typography_convention() == "quebec"
    page = blogger_client.get("/admin/questionnaire").get_data(as_text=True)
    assert '<option selected value="quebec">' in page

    response = blogger_client.post("/admin/questionnaire/settings",
                                   data={**SETTINGS, "typography": "france"})

    assert response.status_code == 303
    db.session.expire_all()
    assert default_series().typography == "france"
    page = blogger_client.get("/admin/questionnaire").get_data(as_text=True)
    assert '<option selected value="france">' in page


def test_unknown_convention_is_refused_and_nothing_changes(blogger_client):
    response = blogger_client.post("/admin/questionnaire/settings",
                                   data={**SETTINGS, "title_fr": "Autre", "typography": "suisse"})

    assert response.status_code == 422
    assert "Choisissez une typographie de la liste." in response.get_data(as_text=True)
    db.session.expire_all()
    assert (default_series().typography, default_series().title_fr) == (
        "quebec", "Portrait de gestionnaire de communauté")


def test_post_follows_the_convention(client):
    make_portrait("Léa Typo", "lea-typo", [("Ton site ?", "Classique ! Oui ; non : bien.")])

    quebec = client.get("/portraits/lea-typo").get_data(as_text=True)
    set_typography_convention("france")
    mark_stale()  # as the settings page does; then the worker's turn
    db.session.commit()
    render_stale_pages()
    france = client.get("/portraits/lea-typo").get_data(as_text=True)

    assert "Ton site?" in quebec and "Classique! Oui; non\u00a0: bien." in quebec
    assert "Ton site\u202f?" in france and "Classique\u202f! Oui\u202f; non\u00a0: bien." in france


def test_our_own_french_strings_follow_a_france_blog(client):
    quebec = client.get("/").get_data(as_text=True)
    set_typography_convention("france")
    db.session.commit()
    france = client.get("/").get_data(as_text=True)
    client.post("/language", data={"language": "en", "next": "/"})
    english = client.get("/").get_data(as_text=True)

    assert "Aucun portrait n’est encore publié. Revenez bientôt!" in quebec
    assert "Aucun portrait n’est encore publié. Revenez bientôt\u202f!" in france
    assert "\u202f" not in english

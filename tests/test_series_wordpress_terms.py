"""Each series names its WordPress categories and tags: typed names cleaned, stored by the
series settings form, copied with the series, shown per series on the WordPress page, the
blog-wide settings when a series names none."""

import pytest

from intake.errors import FieldRefused
from intake.extensions import db
from intake.questionnaire.editor import parse_term_names
from intake.questionnaire.series import create_series, default_series, find_series
from intake.wordpress.settings import post_terms
from tests.support.documents import html_text
from tests.support.factories import make_blogger
from tests.support.http import log_in

N = "\u00a0"
SETTINGS = {"title_fr": "Portrait de bénévole", "title_en": "", "intro_fr": "",
            "intro_en": "", "reading_list": "", "reminder_days": "7", "max_reminders": "1",
            "slug": "benevoles", "languages": ["", "fr"]}


def test_names_are_cleaned_split_and_deduplicated():
    typed = " Portraits ,\r\nGestion   de\tcommunauté\n\nportraits\n, Entrevues,\u202eÉTS\n"

    assert parse_term_names(typed) == [
        "Portraits", "Gestion de communauté", "Entrevues", "ÉTS"]
    assert parse_term_names("") == parse_term_names(" , \n ,") == []
    assert parse_term_names("A & B, l’été") == ["A & B", "l’été"]


@pytest.mark.parametrize(("typed", "message"), [
    ("Court\n" + "x" * 101, f"«{N}{'x' * 30}…{N}» est trop long{N}: un nom compte au plus "
                            "100 caractères."),
    ("Bien, <b>gras</b>", f"«{N}<b>gras</b>{N}»{N}: un nom ne peut pas contenir les signes "
                          "< et >."),
    (", ".join(f"nom {n}" for n in range(21)), "Au plus 20 noms (il y en a 21)."),
])
def test_names_too_long_with_markup_or_too_many_are_refused(app, typed, message):
    with pytest.raises(FieldRefused) as refused:
        parse_term_names(typed)
    assert str(refused.value.message) == message


def test_a_name_of_100_characters_and_20_names_are_kept():
    assert parse_term_names("y" * 100) == ["y" * 100]
    assert len(parse_term_names("\n".join(f"nom {n}" for n in range(20)))) == 20


def test_settings_form_stores_each_series_names(blogger_client):
    create_series("Portrait de bénévole", "benevoles")
    db.session.commit()

    saved = blogger_client.post("/admin/series/benevoles/questionnaire/settings", data={
        **SETTINGS, "wordpress_categories": "Bénévoles, Portraits\nbénévoles",
        "wordpress_tags": "entraide\r\n  vie   de quartier "})

    assert saved.status_code == 303
    db.session.expire_all()
    mine, default = find_series("benevoles"), default_series()
    assert (mine.wordpress_categories, mine.wordpress_tags) == (
        ["Bénévoles", "Portraits"], ["entraide", "vie de quartier"])
    assert (default.wordpress_categories, default.wordpress_tags) == ([], [])
    page = blogger_client.get("/admin/series/benevoles/questionnaire").get_data(as_text=True)
    assert "\nBénévoles\nPortraits</textarea>" in page
    assert "\nentraide\nvie de quartier</textarea>" in page
    assert "Catégories WordPress des portraits" in page
    assert "au plus 20 noms de 100 caractères. Les catégories manquantes" in page


def test_refused_names_change_nothing_and_say_why(blogger_client):
    create_series("Portrait de bénévole", "benevoles")
    db.session.commit()
    blogger_client.post("/admin/series/benevoles/questionnaire/settings", data={
        **SETTINGS, "wordpress_categories": "Bénévoles", "wordpress_tags": "entraide"})

    refused = blogger_client.post("/admin/series/benevoles/questionnaire/settings", data={
        **SETTINGS, "title_fr": "Autre titre", "wordpress_categories": "Bénévoles, Élus",
        "wordpress_tags": "x" * 101})

    assert refused.status_code == 422
    text = html_text(refused.get_data(as_text=True))
    assert "est trop long : un nom compte au plus 100 caractères." in text
    db.session.expire_all()
    mine = find_series("benevoles")
    assert (mine.title_fr, mine.wordpress_categories, mine.wordpress_tags) == (
        "Portrait de bénévole", ["Bénévoles"], ["entraide"])


def test_a_form_without_the_fields_keeps_the_names_and_a_copy_takes_them(blogger_client):
    create_series("Portrait de bénévole", "benevoles")
    db.session.commit()
    blogger_client.post("/admin/series/benevoles/questionnaire/settings", data={
        **SETTINGS, "wordpress_categories": "Bénévoles", "wordpress_tags": "entraide"})

    kept = blogger_client.post("/admin/series/benevoles/questionnaire/settings",
                               data={**SETTINGS, "title_fr": "Portrait de bénévoles"})
    copy = create_series("Portrait d’élu", "elus", copy_from=find_series("benevoles"))
    db.session.commit()

    assert kept.status_code == 303
    db.session.expire_all()
    mine = find_series("benevoles")
    assert (mine.title_fr, mine.wordpress_categories, mine.wordpress_tags) == (
        "Portrait de bénévoles", ["Bénévoles"], ["entraide"])
    assert (copy.wordpress_categories, copy.wordpress_tags) == (["Bénévoles"], ["entraide"])
    copy.wordpress_categories.append("Élus")
    assert mine.wordpress_categories == ["Bénévoles"]


def test_a_series_without_names_takes_the_blog_settings(make_app):
    app = make_app(WORDPRESS_CATEGORIES=["Portraits", " "], WORDPRESS_TAGS=["général"])
    with app.app_context():
        series = create_series("Portrait de bénévole", "benevoles")
        series.wordpress_tags = ["entraide"]
        db.session.commit()

        assert post_terms(series) == (["Portraits"], ["entraide"])
        assert post_terms(default_series()) == (["Portraits"], ["général"])
        assert post_terms() == (["Portraits"], ["général"])


def test_wordpress_page_shows_each_series_names(make_app):
    app = make_app(WORDPRESS_CATEGORIES=["Portraits"], WORDPRESS_TAGS=[])
    with app.app_context():
        series = create_series("Portrait de bénévole", "benevoles")
        series.wordpress_categories = ["Bénévoles", "<i>Vie</i> & co"]
        series.wordpress_tags = ["entraide"]
        db.session.commit()
        client = app.test_client()
        make_blogger()
        log_in(client)

        page = client.get("/admin/wordpress").get_data(as_text=True)

    text = html_text(page)
    assert "<i>Vie" not in page and "&lt;i&gt;Vie&lt;/i&gt; &amp; co" in page
    assert "Portrait de bénévole Bénévoles, <i>Vie</i> & co entraide" in text
    assert "Portrait de gestionnaire de communauté Portraits (par défaut) — (par défaut)" in text
    assert "<dd>Portraits</dd>" in page

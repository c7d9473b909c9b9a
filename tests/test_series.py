"""Several series side by side: own questions, own settings, own index, feed and « Autres
portraits »; a copy never shares anything with its original."""

import xml.etree.ElementTree as ET

from intake.enums import MailKind
from intake.extensions import db
from intake.models import Answer
from intake.questionnaire import editor
from intake.questionnaire.series import all_series, create_series, default_series
from tests.support.documents import html_text, parse_html
from tests.support.factories import invite, make_invitation, make_portrait, outbox_rows

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://portraits.example.org"
VOLUNTEER_QUESTION = "Pourquoi donnes-tu ton temps?"
STUDY_QUESTION = "En quoi as-tu étudié?"


def volunteer_series():
    """Create a second series from the default questionnaire, then make its questions its own:
    one added, the study question no longer asked; commits."""
    series = create_series("Portrait de bénévole", "benevoles")
    db.session.flush()
    editor.add_question(series, text_fr=VOLUNTEER_QUESTION, text_en="", help_fr="", help_en="",
                        required=False, max_length=None, section=editor.sections(series)[0])
    study = next(q for q in series.questions if q.text_fr == STUDY_QUESTION)
    editor.set_active(study, False)
    db.session.commit()
    return series


def published_in_both():
    """Publish two portraits in the default series and one in the volunteers'."""
    volunteers = volunteer_series()
    make_portrait("Alice Première", "alice", [("Q?", "Réponse.")], published_days_ago=2)
    make_portrait("Bruno Second", "bruno", [("Q?", "Réponse.")], published_days_ago=1)
    make_portrait("Chloé Bénévole", "chloe", [("Q?", "Réponse.")], series=volunteers)
    return volunteers


def test_invitee_of_each_series_sees_its_own_questions(client):
    volunteers = volunteer_series()
    _first, first_token = make_invitation("Ana Défaut", "ana@example.org")
    _second, second_token = make_invitation("Béa Bénévole", "bea@example.org", series=volunteers)

    first = html_text(client.get(f"/r/{first_token}").get_data(as_text=True))
    second = html_text(client.get(f"/r/{second_token}").get_data(as_text=True))

    assert (STUDY_QUESTION in first, VOLUNTEER_QUESTION in first) == (True, False)
    assert (STUDY_QUESTION in second, VOLUNTEER_QUESTION in second) == (False, True)


def test_new_series_starts_from_the_default_questions_and_a_copy_owns_its_questions(app):
    default = default_series()
    volunteers = volunteer_series()
    copy = create_series("Portrait d’élu", copy_from=volunteers)
    db.session.commit()

    assert {q.text_fr for q in volunteers.questions} == (
        {q.text_fr for q in default.questions} | {VOLUNTEER_QUESTION})
    assert (copy.slug, copy.title_fr) == ("portrait-delu", "Portrait d’élu")
    assert [(q.text_fr, q.active) for q in copy.questions] == [
        (q.text_fr, q.active) for q in volunteers.questions]
    assert {q.id for q in copy.questions}.isdisjoint({q.id for q in volunteers.questions})
    assert len(default.questions) + 1 == len(volunteers.questions)
    assert [s.slug for s in all_series()] == [default.slug, "benevoles", "portrait-delu"]


def test_editing_one_series_questionnaire_changes_no_other_and_no_answer(app):
    default = default_series()
    copy = create_series("Portrait d’élu", copy_from=default)
    db.session.flush()
    before = [(q.text_fr, q.active) for q in default.questions]
    portrait = make_portrait("Dora Donnée", "dora", [(STUDY_QUESTION, "En histoire.")])
    answer = portrait.answers[0]
    answer.question_id = next(q.id for q in default.questions if q.text_fr == STUDY_QUESTION)
    db.session.commit()

    mine = next(q for q in copy.questions if q.text_fr == STUDY_QUESTION)
    editor.update_question(mine, text_fr="Qu’as-tu étudié, au juste?", text_en="",
                           help_fr="", help_en="", required=mine.required,
                           max_length=mine.max_length, section=mine.section)
    editor.set_active(copy.questions[0], False)
    db.session.commit()
    db.session.expire_all()

    assert [(q.text_fr, q.active) for q in default.questions] == before
    assert db.session.get(Answer, answer.id).question_text == STUDY_QUESTION
    assert mine.text_fr == "Qu’as-tu étudié, au juste?"


def test_each_series_index_and_feed_lists_only_its_own(client):
    volunteers = published_in_both()
    default = default_series()

    own = parse_html(client.get(f"/series/{default.slug}/").get_data(as_text=True)).urls
    theirs = parse_html(client.get("/series/benevoles/").get_data(as_text=True)).urls
    feed = ET.fromstring(client.get(f"/series/{volunteers.slug}/feed.atom").data)

    assert [u for u in own if u.startswith("/portraits/") and "photo" not in u] == [
        "/portraits/bruno", "/portraits/alice"]
    assert [u for u in theirs if u.startswith("/portraits/") and "photo" not in u] == [
        "/portraits/chloe"]
    assert [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")] == [
        f"{BASE}/portraits/chloe"]
    assert feed.find(f"{ATOM}title").text == "Portrait de bénévole"
    assert client.get("/series/inconnue/").status_code == 404


def test_home_lists_every_series_with_its_newest_portraits(client):
    published_in_both()

    page = client.get("/").get_data(as_text=True)
    urls = parse_html(page).urls

    assert [u for u in urls if u.startswith("/series/") and u.endswith("/")][:3:2] == [
        f"/series/{default_series().slug}/", "/series/benevoles/"]
    assert [u for u in urls if u.startswith("/portraits/") and "photo" not in u] == [
        "/portraits/bruno", "/portraits/alice", "/portraits/chloe"]
    assert "Portrait de bénévole" in html_text(page)


def test_other_portraits_stay_within_the_series(client):
    published_in_both()

    alice = parse_html(client.get("/portraits/alice").get_data(as_text=True)).urls
    chloe = parse_html(client.get("/portraits/chloe").get_data(as_text=True)).urls

    others = [u for u in alice if u.startswith(BASE + "/portraits/")]
    assert f"{BASE}/portraits/bruno" in others
    assert f"{BASE}/portraits/chloe" not in others
    assert [u for u in chloe if u.startswith(BASE + "/portraits/")
            and u != f"{BASE}/portraits/chloe" and not u.endswith(".pdf")] == []


def test_old_feed_address_redirects_to_the_default_series_feed(client):
    response = client.get("/feed.atom")

    assert response.status_code == 301
    assert response.headers["Location"] == f"/series/{default_series().slug}/feed.atom"


def test_typography_is_a_setting_of_each_series(client):
    volunteers = volunteer_series()
    volunteers.typography = "france"
    db.session.commit()
    make_portrait("Éric Québec", "eric", [("Ton site ?", "Oui ! Bien.")])
    make_portrait("Fanny France", "fanny", [("Ton site ?", "Oui ! Bien.")], series=volunteers)

    quebec = client.get("/portraits/eric").get_data(as_text=True)
    france = client.get("/portraits/fanny").get_data(as_text=True)

    assert ("Ton site?" in quebec, "Oui! Bien." in quebec) == (True, True)
    assert ("Ton site\u202f?" in france, "Oui\u202f! Bien." in france) == (True, True)


def test_register_is_a_setting_of_each_series(client):
    volunteers = volunteer_series()
    volunteers.register = "vous"
    db.session.commit()

    _ana, ana_token = invite("Ana Défaut", "ana@example.org")
    _bea, bea_token = invite("Béa Bénévole", "bea@example.org", series=volunteers)

    assert "Tes réponses sont enregistrées" in client.get(f"/r/{ana_token}").get_data(
        as_text=True)
    assert "Vos réponses sont enregistrées" in client.get(f"/r/{bea_token}").get_data(
        as_text=True)
    texts = {m.to_addr: m.text_body for m in outbox_rows(MailKind.INVITATION)}
    assert "j’aimerais beaucoup que tu en fasses partie" in texts["ana@example.org"]
    assert "j’aimerais beaucoup que vous en fassiez partie" in texts["bea@example.org"]
    assert "«\u00a0Portrait de bénévole\u00a0»" in texts["bea@example.org"]

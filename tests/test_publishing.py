"""The published portrait as data: order, hidden answers, edits, typography, lists, renditions."""

from sqlalchemy import select

from intake.enums import State
from intake.extensions import db
from intake.models import Rendition
from intake.publishing import renditions
from intake.publishing.listing import published_portraits
from intake.publishing.renditions import (
    queue_render,
    remove_renditions,
    render_pdf,
    render_pending,
)
from intake.publishing.text import UGC_REL, Run, line_text
from intake.publishing.view import Block, blocks, portrait_view, summary_line
from intake.questionnaire.series import current_questionnaire
from intake.typography import NBSP, french_typography
from tests.support.factories import make_portrait
from tests.support.seeds import CARL, carl, jean_luc, seed_answers

ANSWERS = [
    ("Première question?", "Première réponse, avec des accents : é à ç œ."),
    ("Deuxième question?", "Réponse cachée."),
    ("Troisième question?", "Réponse d’origine."),
    ("Quatrième question?", "Quatrième réponse 🙂"),
]


def test_portrait_view_keeps_chosen_order_without_hidden_answers(app):
    submission = make_portrait("Anne Ordre", "anne-ordre", ANSWERS, hidden={1})
    answers = {a.position: a for a in submission.answers}
    answers[0].position, answers[3].position = 3, 0
    db.session.commit()

    questions = [item["question"] for item in portrait_view(submission).answers]

    assert questions == ["Quatrième question?", "Troisième question?", "Première question?"]


def test_portrait_view_uses_the_bloggers_edit(app):
    submission = make_portrait("Anne Édition", "anne-edition", ANSWERS,
                               edited={2: "Réponse revue par la blogueuse."})

    bodies = [line_text(item["blocks"][0].lines[0])
              for item in portrait_view(submission).answers]

    assert bodies[2] == "Réponse revue par la blogueuse."
    assert "Réponse d’origine." not in bodies


def test_portrait_view_title_and_follow_heading_come_from_series_settings(app):
    current_questionnaire().title_fr = "Portrait de bénévole"
    submission = make_portrait("Zoé Titre", "zoe-titre", ANSWERS[:1])

    view = portrait_view(submission)

    assert view.title == f"Portrait de bénévole{NBSP}: Zoé Titre"
    assert view.headings["follow"] == "Pour suivre Zoé Titre"
    assert line_text(view.series_intro[0].lines[0]).startswith("Nouveau et méconnu")


def test_blocks_keep_paragraphs_and_seed_dash_lists(app):
    answer = dict(seed_answers(CARL))["Quel est le plus grand défi pour ta marque?"]

    result = blocks(answer, "fr")

    assert [b.kind for b in result] == ["p", "ul"]
    assert result[0].lines == [(Run("Les défis sont nombreux et diversifiés."),)]
    assert result[1].lines[0] == (Run("Garder la communauté intéressée."),)
    assert len(result[1].lines) == 5


def test_blocks_mix_lines_bullets_and_star_items(app):
    text = "Intro :\n- un\n* deux\n• trois\nsuite\n\n-5 degrés dehors"

    assert blocks(text, "fr") == [
        Block("p", [(Run(f"Intro{NBSP}:"),)]),
        Block("ul", [(Run("un"),), (Run("deux"),), (Run("trois"),)]),
        Block("p", [(Run("suite"),)]),
        Block("p", [(Run("-5 degrés dehors"),)]),
    ]


def test_french_typography_applied_but_urls_untouched(app):
    body = "Mon site? https://exemple.com/page?x=1&y=2 : à voir!"
    submission = make_portrait("Léa Typo", "lea-typo", [("Ton site?", body)])

    item = portrait_view(submission).answers[0]

    assert item["question"] == "Ton site?"
    url = "https://exemple.com/page?x=1&y=2"
    assert item["blocks"][0].lines[0] == (
        Run("Mon site? "), Run(url, url, UGC_REL), Run(f"{NBSP}: à voir!"))


def test_english_invitation_gets_english_typography(app):
    submission = make_portrait("Sam English", "sam-english",
                               [("What's your job?", "It's \"community\" work!")],
                               language="en")

    item = portrait_view(submission).answers[0]

    assert item["question"] == "What’s your job?"
    assert item["blocks"][0].lines[0] == (Run("It’s “community” work!"),)


def test_others_list_follows_publish_and_unpublish(app):
    first = carl()
    second = jean_luc()
    assert [o["slug"] for o in portrait_view(first).others] == ["jean-luc-sanscartier"]

    second.state = State.APPROVED.value
    db.session.commit()
    assert portrait_view(first).others == []

    third = make_portrait("Nouvelle Personne", "nouvelle-personne", ANSWERS[:1])
    second.state = State.PUBLISHED.value
    db.session.commit()
    assert [o["slug"] for o in portrait_view(first).others] == [
        "nouvelle-personne", "jean-luc-sanscartier"]
    assert [o["title"] for o in portrait_view(third).others][1] == (
        f"Portrait de gestionnaire de communauté{NBSP}: Carl-Olivier Perras-Beaulieu")


def test_published_portraits_newest_first_only_published(app):
    carl()
    jean_luc()
    make_portrait("Brouillon", "brouillon", ANSWERS[:1], state=State.APPROVED)

    assert [s.slug for s in published_portraits()] == [
        "jean-luc-sanscartier", "carl-olivier-perras-beaulieu"]


def test_reading_list_links_only_http_urls(app):
    current_questionnaire().reading_list = [
        {"title": "Lien sûr", "url": "https://exemple.com/lecture"},
        {"title": "Lien piégé", "url": "javascript:alert(1)"},
        {"title": "Sans lien", "url": ""},
        {"title": "", "url": "https://exemple.com/vide"},
    ]
    submission = make_portrait("Léo Lecture", "leo-lecture", ANSWERS[:1])

    assert portrait_view(submission).reading == [
        {"title": "Lien sûr", "url": "https://exemple.com/lecture"},
        {"title": "Lien piégé", "url": ""},
        {"title": "Sans lien", "url": ""},
    ]


def test_summary_line_prefers_role_then_first_sentence(app):
    with_role = carl()
    without = jean_luc()

    assert summary_line(with_role) == (
        "Agent d’information (web et médias sociaux), École de technologie supérieure")
    assert summary_line(without) == "Twitter, 13 janvier 2009."


def test_render_pdf_stores_ready_pdf(app):
    submission = jean_luc()

    row = render_pdf(submission)
    db.session.commit()

    stored = db.session.scalar(select(Rendition).where(Rendition.submission_id == submission.id,
                                                       Rendition.kind == "pdf"))
    assert (stored.id, stored.status, stored.error, stored.attempts) == (row.id, "ready", "", 0)
    assert stored.data.startswith(b"%PDF-")
    assert len(stored.sha256) == 64


def test_render_pdf_failure_is_stored_and_never_raises(app, tmp_path):
    submission = jean_luc()
    static = app.static_folder
    app.static_folder = str(tmp_path)  # no print.css there: the render fails for real

    row = render_pdf(submission)
    render_pdf(submission)
    db.session.commit()

    assert (row.status, row.attempts, row.data) == ("failed", 2, None)
    assert row.error.startswith("FileNotFoundError")
    assert submission.state == "published"

    app.static_folder = static
    assert render_pending() == {"ready": 1, "failed": 0}
    assert (row.status, row.attempts, row.error) == ("ready", 0, "")


def test_queue_render_ignores_unpublished(app):
    submission = make_portrait("Pas Publiée", "pas-publiee", ANSWERS[:1], state=State.APPROVED)

    assert queue_render(submission) is None
    assert db.session.scalars(select(Rendition)).all() == []


def test_remove_renditions_deletes_the_page_and_the_pdf(app):
    submission = jean_luc()
    queue_render(submission)  # stores the page
    render_pdf(submission)
    db.session.commit()

    assert remove_renditions(submission) == 2  # the page and the PDF
    db.session.commit()
    assert renditions.rendition(submission) is None


def test_render_pending_skips_after_max_attempts(app, tmp_path):
    submission = carl()
    app.static_folder = str(tmp_path)
    for _ in range(renditions.MAX_ATTEMPTS):
        render_pdf(submission)
    db.session.commit()

    assert renditions.pending_portraits() == []
    assert render_pending() == {"ready": 0, "failed": 0}


def test_cli_render_retries_missing_pdfs(app):
    carl()
    jean_luc()

    result = app.test_cli_runner().invoke(args=["render"])

    assert result.output == "Pages rendered: 2\nPDF ready: 2, failed: 0\n"
    assert sorted(r.status for r in db.session.scalars(select(Rendition))) == ["ready"] * 4


def test_french_typography_helper_is_idempotent_on_titles(app):
    title = portrait_view(carl()).title
    assert french_typography(title) == title


def test_review_page_says_pdf_in_preparation_until_the_worker_stored_it(blogger_client):
    submission = jean_luc()
    queue_render(submission)
    db.session.commit()
    page = blogger_client.get(f"/admin/submissions/{submission.id}").get_data(as_text=True)
    assert "PDF en préparation…" in page
    assert "/portraits/jean-luc-sanscartier.pdf" not in page
    assert renditions.render_queued() == 1
    page = blogger_client.get(f"/admin/submissions/{submission.id}").get_data(as_text=True)
    assert "PDF en préparation…" not in page
    assert 'href="/portraits/jean-luc-sanscartier.pdf"' in page

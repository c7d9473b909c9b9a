"""A portrait in English is an English post: headings, series text, labels, PDF; without an
English series text the blogger is warned and the post shows the French one, marked so."""

import io

from pypdf import PdfReader

from intake.enums import State
from intake.extensions import db
from intake.publishing.exports import blog_exports
from intake.publishing.pdf import render_portrait_pdf
from intake.questionnaire.series import current_questionnaire
from tests.support.documents import pdf_text
from tests.support.factories import make_portrait, make_submission
from tests.support.publishing import article

ANSWERS = [("What did you study?", "Public relations, at UQAM. Don't ask!"),
           ("Your favourite tool?", "Hootsuite : see https://hootsuite.com/ ")]


def english_portrait(**overrides):
    """Publish Sam's portrait, in English."""
    return make_portrait("Sam Smith", "sam-smith", ANSWERS, language="en",
                         links={"x": "@samsmith"}, **overrides)


def test_english_post_has_english_headings_series_text_and_labels(client):
    make_portrait("Ana Première", "ana-premiere", [("Q?", "R.")], published_days_ago=1)
    english_portrait()

    page = client.get("/portraits/sam-smith").get_data(as_text=True)
    blocks = article(page).blocks

    assert '<html lang="en">' in page and '<article class="post" lang="en">' in page
    assert blocks[0] == ("h1", "Community manager portrait: Sam Smith")
    assert blocks[3][1].startswith("New and little known, the community manager’s job")
    headings = [text for tag, text in blocks if tag == "h2"]
    assert headings == ["What did you study?", "Your favourite tool?", "To follow Sam Smith",
                        "Other portraits", "Reading"]
    assert ("p", "Download the PDF") in blocks
    assert ("li", "X (Twitter): @samsmith") in blocks
    assert ("p", "Public relations, at UQAM. Don’t ask!") in blocks
    assert '<li lang="fr"><a href="https://portraits.example.org/portraits/ana-premiere">' in page


def test_english_pdf_is_english(app):
    submission = english_portrait()

    data = render_portrait_pdf(submission)
    text = pdf_text(data, series="Community manager portrait")

    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "en"
    assert text.startswith("COMMUNITY MANAGER PORTRAIT Community manager portrait: Sam Smith")
    for part in ("This portrait online:", "To follow Sam Smith", "Reading",
                 "New and little known"):
        assert part in text
    assert "Pour suivre" not in text and "Lecture" not in text


def test_english_exports_are_english(app):
    exported = blog_exports(english_portrait())

    assert "<h2>To follow Sam Smith</h2>" in exported["html"]
    assert "Download the portrait as a PDF" in exported["markdown"]
    assert exported["title"] == "Community manager portrait: Sam Smith"


def test_without_english_series_text_the_post_shows_french_marked_fr(client):
    current_questionnaire().intro_en = ""
    db.session.commit()
    english_portrait()

    page = client.get("/portraits/sam-smith").get_data(as_text=True)

    assert '<div class="series-intro" lang="fr">' in page
    assert "Nouveau et méconnu" in page
    assert "<h2>To follow Sam Smith</h2>" in page


def test_review_page_warns_before_publishing_without_english_series_text(blogger_client):
    english = make_submission(State.APPROVED, name="Sam Smith", email="sam@example.org",
                              language="en")
    french = make_submission(State.APPROVED, name="Léa Tremblay", email="lea@example.org")
    warning = "la série n’a pas de titre ou d’introduction en anglais"

    def page(submission):
        return blogger_client.get(f"/admin/submissions/{submission.id}").get_data(as_text=True)

    assert warning not in page(english)  # the default series has its English text
    current_questionnaire().title_en = ""
    db.session.commit()
    assert warning in page(english)
    assert warning not in page(french)

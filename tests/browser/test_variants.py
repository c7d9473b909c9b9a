"""Variants of the invitee's journey: no JavaScript, English, a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from intake.enums import State
from intake.extensions import db
from intake.invitations.operations import create_invitation
from intake.models import Submission
from tests.browser.conftest import screenshot
from tests.browser.helpers import (
    fill_answers,
    fits_width,
    log_in,
    overflowing,
    photo_file,
    upload_portrait,
)
from tests.support.seeds import JEAN_LUC, jean_luc, seed_answers

pytestmark = pytest.mark.browser


def invitation_link(live_site, language: str = "fr", name: str = "Jean-Luc Sanscartier") -> str:
    """Create an invitation in the live site's database and return its link."""
    server, app = live_site
    with app.app_context():
        _invitation, token = create_invitation(name=name, email="jl@example.org",
                                               language=language)
        db.session.commit()
    return f"{server.url}/r/{token}"


def submission_state(app) -> str:
    """Return the state of the only invitation's submission."""
    with app.app_context():
        return db.session.scalar(db.select(Submission.state))


def test_questionnaire_without_javascript_saves_and_submits(browser, live_site, tmp_path):
    link = invitation_link(live_site)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(link)
    upload_portrait(page, photo_file(tmp_path))
    values = fill_answers(page, seed_answers(JEAN_LUC))
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    expect(page.locator(".flash-success")).to_have_text(
        "Tes réponses sont enregistrées. Reviens quand tu veux avec le même lien.")

    again = context.new_page()
    again.goto(link)
    for field_id, text in values.items():
        assert again.input_value(f"#{field_id}") == text, field_id
    again.get_by_role("button", name="Envoyer mes réponses").click()
    expect(again.locator("#error-summary li")).to_have_text(
        [re.compile("Coche la case pour accepter la publication de tes réponses.")])
    again.check("#consent")
    again.get_by_role("button", name="Envoyer mes réponses").click()
    expect(again.locator(".notice-submitted")).to_contain_text("Tes réponses ont bien été reçues")
    assert submission_state(live_site[1]) == State.SUBMITTED


def test_english_invitation_shows_english_pages(browser, live_site):
    # Needs the compiled catalogue (the lead compiles it; `make` does too).
    page = browser.new_page()
    page.goto(invitation_link(live_site, language="en"))
    assert page.get_attribute("html", "lang") == "en"
    expect(page.locator(".lead")).to_have_text("Hello Jean-Luc Sanscartier,")
    expect(page.locator("label", has_text="What did you study?")).to_contain_text("(required)")
    expect(page.locator("#progress-label")).to_have_text("Questions answered: 0 of 28")
    expect(page.get_by_role("button", name="Save and continue later")).to_be_visible()
    expect(page.get_by_role("button", name="Send my answers")).to_be_visible()
    studies = page.locator("label", has_text="What did you study?").get_attribute("for")
    page.fill(f"#{studies}", "Communications at UQAM")
    page.wait_for_function("() => /^Saved at \\d\\d:\\d\\d$/.test("
                           "document.getElementById('save-status').textContent.trim())",
                           timeout=15000)


def test_phone_screen_nothing_overflows(browser, live_site, tmp_path):
    server, app = live_site
    link = invitation_link(live_site, name="Camille Tremblay")
    with app.app_context():
        submission_id = jean_luc().id
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    problems = {}

    def check(name: str) -> None:
        screenshot(page, "mobile-" + name.replace(" ", "-"))
        if not fits_width(page):
            problems[name] = overflowing(page)

    page.goto(link)
    fill_answers(page, seed_answers(JEAN_LUC))
    check("questionnaire")
    log_in(page, server.url)
    check("review queue")
    page.goto(f"{server.url}/admin/submissions/{submission_id}")
    check("review detail")
    page.goto(f"{server.url}/portraits/jean-luc-sanscartier")
    expect(page.locator("h1")).to_contain_text("Jean-Luc Sanscartier")
    check("post")
    assert problems == {}

"""The whole journey in Chromium: invite, answer, review, change, resubmit, publish, read."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from intake.enums import State
from intake.extensions import db
from intake.models import Submission
from intake.publishing.view import typeset
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.helpers import (
    fill_answers,
    link_in,
    log_in,
    photo_file,
    upload_portrait,
    wait_for_mail,
    wait_until_saved,
    watch_console,
)
from tests.support.documents import norm, pdf_text, squash
from tests.support.publishing import wait_for_pdf
from tests.support.seeds import JEAN_LUC, seed_answers

pytestmark = pytest.mark.browser

NAME = "Jean-Luc Sanscartier"
EMAIL = "jean-luc@example.org"
STUDIES_EDIT = "Communication, option relations publiques, à l’UQAM (réponse éditée)."
JOB_CHANGE = "Je parle au public au nom de Musique Plus, tous les jours, avec plaisir."
CHANGE_REQUEST = "Pourriez-vous récrire votre description en 140 caractères?"


def invite(page, base: str) -> None:
    """Fill the invitation form, look at the preview and send it."""
    page.goto(f"{base}/admin/invitations/new")
    page.fill("#name", NAME)
    page.fill("#email", EMAIL)
    page.fill("#organisation", "Musique Plus")
    page.fill("#note", "Ton nom revient souvent dans nos portraits : à ton tour!")
    page.get_by_role("button", name="Voir le courriel").click()
    expect(page.locator("h1")).to_have_text("Aperçu du courriel")
    preview = page.locator(".email-preview pre")
    expect(preview).to_contain_text(f"Bonjour {NAME},")
    expect(preview).to_contain_text("/r/••••••••••••")
    page.get_by_role("button", name="Créer l’invitation et envoyer").click()
    expect(page).to_have_url(re.compile(rf"{base}/admin/invitations/\d+$"))


def box_for(page, label_start: str) -> str:
    """Return the id of the answer box whose label starts with the given words."""
    label = page.locator("label", has_text=label_start).first
    return label.get_attribute("for")


def answer_questionnaire(invitee, pairs, tmp_path) -> dict:
    """Upload the portrait, type the seed answers, wait for the autosave; return the values."""
    upload_portrait(invitee, photo_file(tmp_path), caption="Jean-Luc au bureau",
                    credit="Marie Tremblay")
    invitee.fill("#role_title", "Gestionnaire de communauté")
    values = fill_answers(invitee, pairs)
    assert len(values) >= 20 and set(values.values()) <= {a for _, a in pairs}, values
    wait_until_saved(invitee)
    screenshot(invitee, "questionnaire")
    # A full-page capture leaves out the sticky save bar: keep one screen with it too.
    invitee.screenshot(path=str(ARTIFACTS / "questionnaire-save-bar.png"))
    return values


def check_saved_after_reload(invitee, values: dict) -> None:
    """Reload the questionnaire and find every answer, the role and the photo saved."""
    invitee.reload()
    for field_id, text in values.items():
        assert invitee.input_value(f"#{field_id}") == text, field_id
    assert invitee.input_value("#role_title") == "Gestionnaire de communauté"
    assert invitee.input_value("#caption_portrait") == "Jean-Luc au bureau"
    expect(invitee.locator("#photos-portrait figure.photo-preview img")).to_be_visible()
    expect(invitee.locator("#progress-label")).to_have_text(
        f"Questions répondues : {len(values)} sur 28")


def send(invitee) -> None:
    """Give consent (if not already given) and send the answers."""
    if not invitee.is_checked("#consent"):
        invitee.check("#consent")
    invitee.get_by_role("button", name="Envoyer mes réponses").click()
    expect(invitee.locator(".notice-submitted")).to_contain_text("Tes réponses ont bien été reçues")


def edit_and_ask_for_changes(blogger, base: str) -> None:
    """Open the submission from the queue, edit the studies answer, ask for a change."""
    blogger.goto(f"{base}/admin/")
    screenshot(blogger, "review-queue")
    blogger.get_by_role("link", name=NAME).click()
    expect(blogger.locator("h1")).to_contain_text(NAME)
    screenshot(blogger, "review-detail")
    box = blogger.locator(".answer-edit", has=blogger.locator(".question",
                                                              has_text="En quoi as-tu étudié"))
    box.locator("textarea").fill(STUDIES_EDIT)
    blogger.get_by_role("button", name="Enregistrer les réponses").click()
    expect(blogger.locator(".flash-success")).to_have_text("1 réponse modifiée.")
    blogger.fill("#message-changes", CHANGE_REQUEST)
    blogger.get_by_role("button", name="Demander des modifications").click()
    expect(blogger.locator("h1 .badge")).to_have_text("Modifications demandées")


def approve_and_publish(blogger) -> None:
    """See the invitee's change, approve, publish."""
    blogger.reload()
    changes = blogger.locator("section[aria-labelledby=changes]")
    expect(changes).to_contain_text("Décris ta job")
    expect(changes.locator("ins").first).to_be_visible()
    blogger.get_by_role("button", name="Approuver").click()
    expect(blogger.locator("h1 .badge")).to_have_text("Approuvé")
    blogger.get_by_role("button", name="Publier").click()
    expect(blogger.locator("h1 .badge")).to_have_text("Publié")


def test_journey_from_invitation_to_published_pdf(browser, live_site, smtp, tmp_path):
    server, app = live_site
    base = server.url
    pairs = seed_answers(JEAN_LUC)
    console: list[str] = []

    blogger = watch_console(browser.new_context().new_page(), console)
    log_in(blogger, base)
    invite(blogger, base)
    link = link_in(wait_for_mail(smtp, EMAIL, "/r/"), base)

    invitee = watch_console(browser.new_context().new_page(), console)
    invitee.goto(link)
    expect(invitee.locator(".lead")).to_have_text(f"Bonjour {NAME},")
    values = answer_questionnaire(invitee, pairs, tmp_path)
    check_saved_after_reload(invitee, values)
    studies, job = box_for(invitee, "En quoi as-tu étudié"), box_for(invitee, "Décris ta job")
    kept = [text for field_id, text in values.items() if field_id not in (studies, job)]
    send(invitee)

    seen = len(smtp.messages)
    edit_and_ask_for_changes(blogger, base)
    invitee.goto(link_in(wait_for_mail(smtp, EMAIL, CHANGE_REQUEST, seen=seen), base))
    expect(invitee.locator(".notice-changes")).to_contain_text(CHANGE_REQUEST)
    invitee.fill(f"#{job}", JOB_CHANGE)
    wait_until_saved(invitee)
    send(invitee)

    approve_and_publish(blogger)
    with app.app_context():
        submission = db.session.scalar(db.select(Submission))
        assert submission.state == State.PUBLISHED
        slug = submission.slug
        wait_for_pdf(submission.id)  # the worker renders it, in the background

    reader = watch_console(browser.new_context(accept_downloads=True).new_page(), console)
    reader.goto(f"{base}/portraits/{slug}")
    title = f"Portrait de gestionnaire de communauté : {NAME}"
    expect(reader.locator("h1")).to_have_text(title)
    post = norm(reader.locator("article.post").inner_text())
    for expected in (STUDIES_EDIT, JOB_CHANGE, *kept):
        assert squash(typeset(expected, "fr")) in squash(post), expected[:80]
    screenshot(reader, "post")

    with reader.expect_download() as download:
        reader.get_by_role("link", name="Télécharger le PDF").click()
    pdf_path = tmp_path / "portrait.pdf"
    download.value.save_as(pdf_path)
    text = pdf_text(pdf_path.read_bytes())
    assert title in text
    for expected in (STUDIES_EDIT, JOB_CHANGE, *kept):
        assert squash(typeset(expected, "fr")) in squash(text), expected[:80]
    render_first_page(pdf_path)
    assert console == []


def render_first_page(pdf_path) -> None:
    """Render the PDF's first page with pdftoppm into the screenshots folder."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf_path), str(ARTIFACTS / "pdf-page-1")], check=True, timeout=60)
    assert (ARTIFACTS / "pdf-page-1.png").stat().st_size > 1000

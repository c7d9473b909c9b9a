"""Every field a person types, filled with hostile text, shown inert everywhere it appears."""

import re
import xml.etree.ElementTree as ElementTree

import pytest
from sqlalchemy import select

from intake.enums import State
from intake.extensions import db
from intake.invitations import emails, link_requests, operations
from intake.links import token_for
from intake.models import OutboxMessage, Question, Submission
from intake.publishing.pdf import portrait_fetcher, portrait_pdf_html, render_pdf_html
from intake.questionnaire import drafts, structure
from intake.questionnaire import submit as submitting
from intake.questionnaire.drafts import Draft, PhotoDraft
from intake.submissions import decisions, editing, proof
from intake.workflow.transitions import set_state
from tests.security.inert import PAYLOADS, live_markup
from tests.support.documents import pdf_text
from tests.support.images import jpeg

BLOGGER = "blogueuse@example.org"


def hostile(n: int) -> str:
    """Return the n-th payload, wrapping around the corpus."""
    return PAYLOADS[n % len(PAYLOADS)]


@pytest.fixture
def hostile_portrait(app, blogger):
    """A portrait whose every typed field holds a payload, taken through the whole flow."""
    invitation, _token = operations.create_invitation(
        name=hostile(0), email="hostile@example.org", organisation=hostile(1),
        note=hostile(2), extra_questions=[hostile(3)], created_by=blogger)
    emails.queue_invitation_email(invitation, actor=blogger)
    link_requests.request_new_link("hostile@example.org")
    submission = invitation.submission
    questions = structure.all_questions(submission)
    answers = {q.id: hostile(i) for i, q in enumerate(questions)}
    identity = {"display_name": hostile(4), "role_title": hostile(5), "organisation": hostile(6)}
    photos = {"portrait": PhotoDraft(jpeg(gps=True), hostile(7), hostile(8)),
              "workspace": PhotoDraft(jpeg(gps=True), hostile(9), hostile(10))}
    errors = drafts.save_draft(submission, Draft(
        answers=answers, identity=identity, handles={"website": "https://example.org/portfolio"},
        photos=photos))
    assert errors == {}
    submitting.submit(submission, submission.version, consent=True)
    decisions.request_changes(submission, blogger, hostile(11), submission.version)
    drafts.save_draft(submission, Draft(answers={questions[0].id: hostile(12)}))
    submitting.submit(submission, submission.version, consent=True)
    editing.save_settings(submission, blogger, title=hostile(13), slug="portrait-hostile",
                          editor_intro=hostile(14), publication_date=None,
                          proof_requested=False)
    first = submission.answers[0]
    editing.save_answer_edits(submission, blogger, [
        editing.AnswerEdit(first.id, hostile(15), False, first.position)])
    decisions.approve(submission, blogger, submission.version)
    decisions.publish(submission, blogger, submission.version)
    db.session.commit()
    return submission


def assert_inert(html: str, where: str) -> None:
    """Fail if the page carries live markup from a person."""
    assert live_markup(html) == [], where


def test_hostile_text_is_inert_on_blogger_pages(hostile_portrait, blogger_client):
    submission = hostile_portrait
    pages = ["/admin/", f"/admin/submissions/{submission.id}", "/admin/invitations",
             f"/admin/invitations/{submission.invitation_id}", "/admin/outbox",
             f"/admin/submissions/{submission.id}/export",
             f"/admin/submissions/{submission.id}/erase"]
    pages += [f"/admin/outbox/{m.id}" for m in db.session.scalars(select(OutboxMessage))]
    for path in pages:
        response = blogger_client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.get_data(as_text=True), path)


def test_hostile_text_is_inert_on_invitee_pages(hostile_portrait, client):
    token = token_for(hostile_portrait.invitation)
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert_inert(page, "read-only view")
    set_state(hostile_portrait, State.APPROVED, "tester", notify=False)
    proof.send_proof(hostile_portrait, "tester")
    db.session.commit()
    assert_inert(client.get(f"/r/{token}/proof").get_data(as_text=True), "proof")


def test_hostile_text_is_inert_in_editable_questionnaire(app, client):
    invitation, token = operations.create_invitation(
        name=hostile(0), email="h2@example.org", note=hostile(2), extra_questions=[hostile(3)])
    submission = invitation.submission
    questions = structure.all_questions(submission)
    drafts.save_draft(submission, Draft(
        answers={q.id: hostile(i) for i, q in enumerate(questions)},
        identity={"display_name": hostile(4)}, handles={"facebook": hostile(5)}))
    db.session.commit()
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert_inert(page, "questionnaire")
    assert "{{ config.SECRET_KEY }}" in page
    assert "test-secret-key" not in page


def test_hostile_text_is_inert_on_public_pages(hostile_portrait, client):
    for path in ("/", f"/portraits/{hostile_portrait.slug}"):
        page = client.get(path).get_data(as_text=True)
        assert_inert(page, path)
        assert "test-secret-key" not in page
    feed = client.get("/feed.atom", follow_redirects=True).get_data(as_text=True)
    tree = ElementTree.fromstring(feed)
    tags = {element.tag.split("}")[-1] for element in tree.iter()}
    assert tags <= {"feed", "title", "subtitle", "link", "id", "updated", "author", "name",
                    "entry", "published", "summary", "content", "generator", "uri", "email",
                    "category", "rights", "icon", "logo"}


def test_hostile_text_is_inert_in_every_email(hostile_portrait):
    messages = list(db.session.scalars(select(OutboxMessage)))
    kinds = {m.kind for m in messages}
    assert {"invitation", "receipt", "new_submission", "changes_requested", "approved",
            "published", "new_link_requested"} <= kinds
    for message in messages:
        assert_inert(message.html_body, message.kind)
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "test-secret-key" not in message.text_body + message.html_body


def test_hostile_text_is_inert_in_exports(hostile_portrait, blogger_client):
    from intake.publishing.exports import blog_exports

    exports = blog_exports(hostile_portrait)
    assert_inert(exports["html"], "wordpress")
    markdown = exports["markdown"]
    assert not re.search(r"<(script|img|svg|iframe|style|a )", markdown)
    assert "](javascript:" not in markdown


def test_hostile_text_is_text_in_pdf_and_fetcher_only_sees_our_urls(hostile_portrait):
    fetcher = portrait_fetcher(hostile_portrait)
    data = render_pdf_html(portrait_pdf_html(hostile_portrait), fetcher)
    text = pdf_text(data)
    assert "alert" in text
    assert all(url.startswith(("intake-photo:", "intake-static:")) for url in fetcher.asked)
    assert b"/EmbeddedFiles" not in data
    assert "test-secret-key" not in text


def test_extra_question_text_is_stored_literally(hostile_portrait):
    extra = db.session.scalar(select(Question).where(Question.invitation_id.is_not(None)))
    assert extra.text_fr == hostile(3)
    assert db.session.get(Submission, hostile_portrait.id).state == "published"

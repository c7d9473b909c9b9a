"""The questionnaire page written once per shape and filled in (issue 19): every kept shape
writes, byte for byte, the page Jinja writes from the same values; people who share a shape
see only their own values; an edit to what a shape holds shows at the next view."""

import re
from datetime import timedelta

import pytest
from flask import render_template

from intake.enums import PhotoKind, State
from intake.extensions import db
from intake.models import Question, utcnow
from intake.questionnaire.structure import all_questions
from intake.respond import page_shapes
from intake.respond.blueprint import load
from intake.respond.page_fields import page_form
from intake.respond.views import page_context
from intake.submissions.erasure import erase_person
from intake.typography import FRANCE, QUEBEC
from tests.support.factories import add_photo, make_invitation
from tests.test_respond_page import HOSTILE, SHOWN, answered_invitation, clear_caches, use_settings


def both_renders(app, token: str) -> tuple[str, str]:
    """Return the page from its kept shape and the page Jinja writes, for the same values
    (one request, so the same form token; its own app context, as a real request has)."""
    with app.app_context(), app.test_request_context(f"/r/{token}"):
        invitation = load(token)
        questions = all_questions(invitation.submission)
        context = page_context(token, invitation, page_form(invitation.submission, questions),
                               questions)
        return (page_shapes.questionnaire_html(context),
                render_template(page_shapes.TEMPLATE, **context))


def invitations_of_every_shape() -> list[str]:
    """Return the tokens of pages that switch each part on or off: fresh, answered with hostile
    text everywhere, English, both photos, saved, changes requested with a hostile message."""
    fresh = make_invitation(email="fresh@example.org")[1]
    answered = answered_invitation("fr", 30, extra=2)
    english = answered_invitation("en", 3)
    invitation, both_photos = make_invitation(name=HOSTILE, email="photos@example.org")
    submission = invitation.submission
    add_photo(submission, caption=HOSTILE)
    add_photo(submission, PhotoKind.WORKSPACE, credit=HOSTILE, size=(300, 500))
    submission.last_saved_at = utcnow() - timedelta(hours=3)
    submission.state = State.IN_PROGRESS
    invitation, changes = make_invitation(email="changes@example.org", note="Merci!")
    invitation.submission.state = State.CHANGES_REQUESTED
    invitation.submission.review_message = f"Ajoute ceci.\n\n{HOSTILE}"
    invitation.submission.last_saved_at = utcnow()
    db.session.commit()
    return [fresh, answered, english, both_photos, changes]


@pytest.mark.parametrize(("register", "convention"), [("tu", QUEBEC), ("vous", FRANCE)])
def test_every_kept_shape_writes_the_page_jinja_writes(app, register, convention):
    use_settings(register, convention)
    tokens = invitations_of_every_shape()
    clear_caches()
    pages = {}
    for token in tokens * 2:  # cold, then from the kept shapes
        kept, jinja = both_renders(app, token)
        assert kept == jinja
        assert page_shapes.NONCE not in kept
        pages[token] = kept
    assert len(page_shapes._SHAPES) == len(tokens)
    fresh, answered, english, both_photos, changes = (pages[token] for token in tokens)
    assert f"\r\n0 {SHOWN}</textarea>" in answered
    assert "Bonjour &lt;b&gt;Camille&lt;/b&gt; &amp; co," in answered
    assert re.search(r'name="csrf_token" type="hidden" value="[\w.-]{40,}"', answered)
    assert f"Bonjour {SHOWN}," in both_photos and 'width="300" height="500"' in both_photos
    assert both_photos.count(f"/r/{tokens[3]}/photos/") == 2  # the previews
    assert both_photos.count(f"/r/{tokens[3]}/photo/") == 2  # the upload buttons
    assert "Dernier enregistrement" in both_photos and "Dernier enregistrement" not in fresh
    assert "<p>Ajoute ceci.</p>" in changes and f"<p>{SHOWN}</p>" in changes
    assert "Questions answered: 3 of 28" in english


def test_people_who_share_a_shape_see_only_their_own_values(client):
    first = make_invitation(name="Alice Premier", email="a@example.org")[1]
    second = make_invitation(name="Bruno Second", email="b@example.org")[1]
    clear_caches()
    client.get(f"/r/{first}")
    page = client.get(f"/r/{second}").get_data(as_text=True)
    assert len(page_shapes._SHAPES) == 1
    assert "Bonjour Bruno Second," in page and 'value="Bruno Second"' in page
    assert "Alice" not in page and first not in page
    assert page.count(f"/r/{second}/") == 7  # save ×3, both photos, submit, withdraw


def test_an_edit_to_what_a_shape_holds_shows_at_the_next_view(client):
    invitation, token = make_invitation(email="edit@example.org")
    question = db.session.scalars(db.select(Question).where(
        Question.questionnaire_id == invitation.questionnaire_id)
        .order_by(Question.position)).first()
    edits = [
        (lambda: setattr(question, "text_fr", "Une question <nouvelle>?"),
         "Une question &lt;nouvelle&gt;?"),
        (lambda: setattr(question, "help_fr", "Un indice tout neuf."), "Un indice tout neuf."),
        (lambda: setattr(question, "max_length", 1234), 'data-max-length="1234"'),
        (lambda: setattr(question, "required", not question.required), None),  # its mark
        (lambda: setattr(invitation, "note", "Une note ajoutée."), "<p>Une note ajoutée.</p>"),
        (lambda: setattr(invitation.questionnaire, "title_fr", "Série renommée"),
         "<h1>Série renommée</h1>"),
        (lambda: setattr(invitation.questionnaire, "intro_fr", "Une intro."), "<p>Une intro.</p>"),
    ]
    for edit, shown in edits:
        before = client.get(f"/r/{token}").get_data(as_text=True)
        edit()
        db.session.commit()
        after = client.get(f"/r/{token}").get_data(as_text=True)
        assert after != before
        if shown:
            assert shown in after and shown not in before


def test_a_page_with_messages_or_a_flash_is_not_kept(client):
    token = answered_invitation("fr", 2)
    clear_caches()
    page = client.post(f"/r/{token}/submit", data={"link_x": "@@ <mauvais>"})
    assert page.status_code == 422 and "field-error" in page.get_data(as_text=True)
    assert page_shapes._SHAPES == {}


def test_kept_questions_follow_every_change_to_them(client):
    invitation, token = make_invitation(email="extra@example.org", extra=["Ta question <à toi>?"])
    series = invitation.questionnaire
    stamp = series.questions_stamp
    assert "Ta question &lt;à toi&gt;?" in client.get(f"/r/{token}").get_data(as_text=True)
    erase_person(invitation.submission, None)  # its extra question is deleted with it
    db.session.commit()
    assert series.questions_stamp != stamp
    # SQLite gives the next invitation the id just freed: it must not inherit the question
    successor, successor_token = make_invitation(email="next@example.org")
    page = client.get(f"/r/{successor_token}").get_data(as_text=True)
    assert "à toi" not in page and "Questions répondues\u00a0: 0 sur 28" in page
    stamp = series.questions_stamp
    question = db.session.scalars(db.select(Question).where(
        Question.questionnaire_id == series.id, Question.invitation_id.is_(None))).first()
    question.active = False
    db.session.commit()
    assert series.questions_stamp != stamp
    page = client.get(f"/r/{successor_token}").get_data(as_text=True)
    assert "Questions répondues\u00a0: 0 sur 27" in page
    assert f'id="q{question.id}"' not in page

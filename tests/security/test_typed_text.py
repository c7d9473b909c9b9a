"""Control, bidi-override and invisible characters are cleaned where text enters: every form
field, the invitee's saves, the blogger's forms, CLI arguments and the bulk list. The feed
stays valid XML, the post and the PDF show no bidi control, and emoji (ZWJ sequences too)
survive."""

import io
import re
import xml.etree.ElementTree as ElementTree

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, PasswordField, StringField, TextAreaField

from intake.auth import forms as auth_forms
from intake.extensions import db
from intake.forms import IntakeForm
from intake.invitations.bulk import read_list
from intake.links import token_for
from intake.models import (
    Answer,
    Invitation,
    Photo,
    Question,
    Questionnaire,
    SocialLink,
    Submission,
    User,
)
from intake.questionnaire.drafts import Draft, PhotoDraft, save_draft
from intake.questionnaire.structure import all_questions
from intake.respond import forms as respond_forms
from intake.review import forms as review_forms
from intake.review import invitation_forms, questionnaire_forms
from intake.submissions.editing import AnswerEdit, save_answer_edits
from intake.text import clean_text
from tests.support.documents import pdf_text
from tests.support.factories import BLOGGER_EMAIL, BLOGGER_PASSWORD, make_invitation
from tests.support.images import jpeg
from tests.support.publishing import render_queued_pdfs

WOMAN_TECHNOLOGIST = "\U0001f469\u200d\U0001f4bb"  # 👩‍💻
RAINBOW_FLAG = "\U0001f3f3\ufe0f\u200d\U0001f308"  # 🏳️‍🌈
# NUL, BEL, ESC; a right-to-left override around a file name; an isolate; zero-width space,
# non-joiner, word joiner, BOM; e + combining acute; two ZWJ emoji; a stray ZWJ between
# letters; DEL, NEL (a line break); a hidden tag letter; CRLF and a TAB.
HOSTILE = ("Alice\x00\x07\x1b \u202egnp.exe\u202c \u2066x\u2069\u200b\u200c\u2060\ufeff "
           f"e\u0301 {WOMAN_TECHNOLOGIST} {RAINBOW_FLAG} a\u200db\x7f\x85c\U000e0041"
           "\r\nfin\tici")
ONE_LINE = f"Alice gnp.exe x \u00e9 {WOMAN_TECHNOLOGIST} {RAINBOW_FLAG} ab c fin ici"
MULTI_LINE = f"Alice gnp.exe x \u00e9 {WOMAN_TECHNOLOGIST} {RAINBOW_FLAG} ab\nc\nfin\tici"
# What must never be stored or shown: controls but TAB/LF/CR, bidi embeddings, overrides and
# isolates, zero-width and invisible format characters, tag characters.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                       "\u200b\u200c\u2060\ufeff\U000e0000-\U000e007f]")


def forbidden(text: str) -> list[str]:
    """Return the forbidden characters of a text, and any ZWJ outside the two emoji."""
    text = text or ""
    found = FORBIDDEN.findall(text)
    rest = text.replace(WOMAN_TECHNOLOGIST, "").replace(RAINBOW_FLAG, "")
    return found + (["\u200d"] if "\u200d" in rest else [])


def test_clean_text_keeps_emoji_joiners_and_drops_the_rest():
    assert clean_text(HOSTILE) == ONE_LINE
    assert clean_text(HOSTILE, multiline=True) == MULTI_LINE
    emoji = ["👩‍💻", "🏳️‍🌈", "👨🏽‍💻", "❤️‍🔥", "🧑‍🤝‍🧑", "🏳️‍⚧️", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "#️⃣"]
    assert [clean_text(text) for text in emoji] == emoji
    assert [clean_text(text) for text in ("a\u200db", "\u200d👩", "👩\u200d",
                                          "👩\u200d\u200d💻", "x\U000e0041y")] == [
        "ab", "👩", "👩", "👩💻", "xy"]
    assert clean_text("Québec \u200fRTL\u200e") == "Québec \u200fRTL\u200e"  # marks stay
    for text in (HOSTILE, "👩\u200b\u200d💻", " \u2028 a \u2029 "):
        for multiline in (False, True):
            once = clean_text(text, multiline=multiline)
            assert clean_text(once, multiline=multiline) == once


def every_form_class() -> list[type]:
    """Return every form class of the app (the questionnaire's fixed part included)."""
    assert auth_forms and respond_forms and review_forms and invitation_forms
    assert questionnaire_forms
    found, todo = [], [IntakeForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            if subclass.__module__.startswith("intake.") and subclass not in found:
                found.append(subclass)
                todo.append(subclass)
    return found


def text_fields(form: FlaskForm) -> dict[str, bool]:
    """Return the form's typed-text fields, by name, with whether each is multi-line."""
    return {field.name: isinstance(field, TextAreaField) for field in form
            if isinstance(field, StringField)
            and not isinstance(field, (PasswordField, HiddenField))}


def test_every_text_field_of_every_form_cleans_what_is_typed(app):
    walked, passwords = [], []
    for form_class in every_form_class():
        with app.test_request_context(method="POST", data={}):
            names = [field.name for field in form_class()]
        with app.test_request_context(method="POST", data=dict.fromkeys(names, HOSTILE)):
            form = form_class()
            for name, multiline in text_fields(form).items():
                assert form[name].data == (MULTI_LINE if multiline else ONE_LINE), (
                    form_class.__name__, name)
                walked.append(f"{form_class.__name__}.{name}")
            passwords += [form[name].data for name in names
                          if isinstance(form[name], PasswordField)]
    assert {"InvitationForm.name", "InvitationForm.note", "InvitationForm.extra_questions",
            "MessageForm.subject", "MessageForm.body", "QuestionnaireBase.display_name",
            "QuestionnaireBase.caption_portrait", "QuestionnaireBase.credit_workspace",
            "SettingsForm.title", "SettingsForm.editor_intro", "SettingsForm.intro_fr",
            "QuestionForm.text_fr", "DecisionForm.message", "AccountForm.name",
            "WelcomeForm.name", "NewLinkForm.email", "EraseForm.confirm"} <= set(walked)
    assert passwords and set(passwords) == {HOSTILE}  # a password is kept as typed


def test_the_questionnaire_form_cleans_answers_and_handles(app):
    invitation, _token = make_invitation()
    submission = invitation.submission
    questions = all_questions(submission)
    data = {f"q{q.id}": HOSTILE for q in questions} | {"link_x": "\u202e@cam\u200bille"}
    with app.test_request_context(method="POST", data=data):
        form = respond_forms.build_form(submission, questions, posted=True)
        assert {form[f"q{q.id}"].data for q in questions} == {MULTI_LINE}
        assert form["link_x"].data == "@camille"


def assert_clean_rows(rows: list, columns: tuple[str, ...]) -> None:
    """Fail when any of these columns of these rows holds a forbidden character."""
    dirty = [(type(row).__name__, column, getattr(row, column)) for row in rows
             for column in columns if forbidden(getattr(row, column) or "")]
    assert dirty == []


def test_hostile_text_through_every_route_is_stored_clean_and_the_feed_parses(
        app, blogger_client, client):
    response = blogger_client.post("/admin/invitations/preview", data={
        "action": "send", "name": HOSTILE, "email": "alice@example.org", "language": "fr",
        "organisation": HOSTILE, "note": HOSTILE, "extra_questions": HOSTILE,
        "expires_days": "30", "subject": HOSTILE, "body": HOSTILE + " {lien}"})
    assert response.status_code == 303
    invitation = db.session.scalar(select(Invitation))
    assert (invitation.name, invitation.note) == (ONE_LINE, MULTI_LINE)
    token = token_for(invitation)
    submission = invitation.submission
    questions = {q.id: q for q in invitation.extra_questions}
    answers = {f"q{a}": HOSTILE for a in (*questions, *series_question_ids(app))}
    person = {"display_name": HOSTILE, "role_title": HOSTILE, "organisation": HOSTILE,
              "caption_portrait": HOSTILE, "credit_portrait": HOSTILE,
              "link_x": "\u202e@cam\u200bille\u200d", "consent": "y", **answers}
    upload = {"photo_portrait": (jpeg_file(), "portrait.jpg")}
    assert client.post(f"/r/{token}/save", data={**person, **upload},
                       content_type="multipart/form-data").status_code == 303
    assert client.post(f"/r/{token}/submit", data=person).status_code == 303
    first = min(submission.answers, key=lambda a: a.position)
    path = f"/admin/submissions/{submission.id}"
    for action, data in [
            ("settings", {"title": HOSTILE, "slug": "portrait-alice", "editor_intro": HOSTILE}),
            ("answers", {f"text-{first.id}": HOSTILE + " modifié"}),
            ("decide/approve", {"version": str(submission.version), "message": HOSTILE})]:
        assert blogger_client.post(f"{path}/{action}", data=data).status_code == 303, action
    assert blogger_client.post(f"{path}/decide/publish", data={
        "version": str(submission.version)}).status_code == 303
    assert blogger_client.post("/admin/questionnaire/settings", data={
        "title_fr": HOSTILE, "title_en": HOSTILE, "intro_fr": HOSTILE, "intro_en": HOSTILE,
        "reading_list": "Lecture\u202e | https://example.org/\u200bguide",
        "reminder_days": "7, 14", "max_reminders": "2"}).status_code == 303
    assert blogger_client.post("/account", data={
        "name": HOSTILE, "email": BLOGGER_EMAIL, "language": "fr",
        "timezone": "America/Toronto"}).status_code == 303

    db.session.rollback()
    submission = db.session.get(Submission, submission.id)
    assert (submission.display_name, submission.title, submission.editor_intro) == (
        ONE_LINE, ONE_LINE, MULTI_LINE)
    assert {a.body for a in submission.answers} == {MULTI_LINE}
    assert first.edited_body == MULTI_LINE + " modifié"
    assert [(link.network, link.handle) for link in submission.links] == [("x", "@camille")]
    photo = submission.photo("portrait")
    assert (photo.caption, photo.credit) == (ONE_LINE, ONE_LINE)
    series = db.session.scalar(select(Questionnaire))
    assert (series.title_fr, series.intro_fr) == (ONE_LINE, MULTI_LINE)
    assert series.reading_list == [{"title": "Lecture", "url": "https://example.org/guide"}]
    assert db.session.scalar(select(User.name)) == ONE_LINE
    assert_clean_rows([submission], ("display_name", "role_title", "organisation", "title",
                                     "editor_intro", "review_message"))
    assert_clean_rows([invitation], ("name", "organisation", "note"))
    assert_clean_rows(db.session.scalars(select(Answer)).all(), ("body", "edited_body",
                                                               "question_text"))
    assert_clean_rows(db.session.scalars(select(Question)).all(), ("text_fr", "text_en"))
    assert_clean_rows(db.session.scalars(select(Photo)).all(), ("caption", "credit"))
    assert_clean_rows(db.session.scalars(select(SocialLink)).all(), ("handle", "url"))

    feed = client.get("/feed.atom", follow_redirects=True).get_data(as_text=True)
    entry_title = ElementTree.fromstring(feed).find(
        "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert WOMAN_TECHNOLOGIST in entry_title.text and RAINBOW_FLAG in entry_title.text
    post = client.get("/portraits/portrait-alice").get_data(as_text=True)
    assert forbidden(post) == []
    assert "gnp.exe" in post and WOMAN_TECHNOLOGIST in post
    render_queued_pdfs()  # the worker's job
    pdf = client.get("/portraits/portrait-alice.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert "gnp.exe" in text and forbidden(text) == []


def series_question_ids(app) -> list[int]:
    """Return the ids of the series' questions."""
    return db.session.scalars(select(Question.id).where(Question.invitation_id.is_(None),
                                                     Question.active.is_(True))).all()


def jpeg_file() -> io.BytesIO:
    """Return an uploadable JPEG."""
    return io.BytesIO(jpeg(gps=True))


def test_cli_arguments_are_cleaned(app, runner):
    result = runner.invoke(args=["invite", "cli@example.org", "--name", HOSTILE,
                                 "--organisation", HOSTILE])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-admin", "autre@example.org", "--name", HOSTILE,
                                 "--password-stdin"], input=BLOGGER_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "cli@example.org"))
    assert (invitation.name, invitation.organisation) == (ONE_LINE, ONE_LINE)
    assert db.session.scalar(select(User.name).where(User.email == "autre@example.org")) == (
        ONE_LINE)


def test_bulk_list_cells_are_cleaned(app):
    cell = HOSTILE.replace('"', "")
    data = ("nom,courriel,note\n"
            f'"{cell}",bulk@example.org,"{cell}"\n').encode()
    row = read_list(data).rows[0]
    assert (row.name, row.note) == (ONE_LINE, MULTI_LINE)


def test_domain_entry_points_clean_text_that_comes_without_a_form(app, blogger):
    invitation, _token = make_invitation()
    submission = invitation.submission
    question = all_questions(submission)[0]
    errors = save_draft(submission, Draft(
        answers={question.id: HOSTILE}, identity={"display_name": HOSTILE},
        handles={"x": "\u202e@cam\u200bille"},
        photos={"portrait": PhotoDraft(jpeg(gps=True), HOSTILE, HOSTILE)}))
    assert errors == {}
    answer = submission.answers[0]
    save_answer_edits(submission, blogger, [AnswerEdit(answer.id, HOSTILE + "!", False, 1)])
    db.session.commit()
    db.session.refresh(submission)
    photo = submission.photo("portrait")
    assert ([(a.body, a.edited_body) for a in submission.answers], submission.display_name,
            [link.handle for link in submission.links], photo.caption, photo.credit) == (
        [(MULTI_LINE, MULTI_LINE + "!")], ONE_LINE, ["@camille"], ONE_LINE, ONE_LINE)

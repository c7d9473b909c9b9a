"""The questionnaire service: which questions, drafts that keep every valid value, submit."""

import pytest
from PIL import Image
from sqlalchemy import func, select

from intake.enums import State
from intake.extensions import db
from intake.models import Answer, AuditEvent, Consent, OutboxMessage, Revision, SocialLink
from intake.questionnaire.drafts import (
    Draft,
    PhotoDraft,
    QuestionnaireError,
    form_version,
    save_draft,
)
from intake.questionnaire.structure import all_questions, questions_for
from intake.questionnaire.submit import save_and_submit, submit, withdraw
from tests.support.factories import make_invitation, question, required_answers
from tests.support.images import jpeg


@pytest.fixture
def request_ctx(app):
    """Run in a request so lazy messages can be turned into text."""
    with app.test_request_context():
        yield


def ready(submission, **answers) -> None:
    """Fill everything a submit needs: name, required answers, a portrait."""
    save_draft(submission, Draft(answers={**required_answers(), **answers},
                                 identity={"display_name": "Camille T."}))
    save_draft(submission, Draft(photos={"portrait": PhotoDraft(
        jpeg(gps=True), "Camille au bureau", "Studio Nord")}))


def test_questions_for_groups_sections_in_order_with_extras_last(app):
    invitation, _ = make_invitation(extra=["Quel est ton horaire?"])
    sections = questions_for(invitation.submission)
    assert [s.key for s in sections] == [
        "background", "the-job", "tools-habits", "challenges-opinions", "day-to-day",
        "wrap-up", "extra",
    ]
    assert sections[0].title == "Parcours"
    assert [q.text_fr for q in sections[-1].questions] == ["Quel est ton horaire?"]
    assert sections[1].questions[1].key == "job-in-140"


def test_questions_for_leaves_out_deactivated_and_other_people_extras(app):
    invitation, _ = make_invitation(extra=["Question pour Camille?"])
    make_invitation(email="autre@example.org", extra=["Question pour quelqu’un d’autre?"])
    question("pinterest").active = False
    db.session.commit()
    keys = [q.key for q in all_questions(invitation.submission)]
    assert "pinterest" not in keys
    assert keys[-1] == "extra-1"
    assert len(keys) == 28


def test_questions_for_english_invitation_has_english_titles(app):
    invitation, _ = make_invitation(language="en")
    assert questions_for(invitation.submission)[0].title == "Background"


def test_save_draft_first_save_moves_to_in_progress_without_email(app):
    invitation, _ = make_invitation()
    submission = invitation.submission
    assert form_version(submission) == 2
    errors = save_draft(submission, Draft(answers={question("studies").id: "Communication"}))
    db.session.commit()
    assert errors == {}
    assert submission.state == State.IN_PROGRESS
    assert submission.version == 2
    assert submission.last_saved_at is not None
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.actor, event.from_state, event.to_state) == ("invitee", "invited", "in_progress")


def test_save_draft_upserts_one_answer_per_question_with_text_snapshot(app):
    invitation, _ = make_invitation()
    submission = invitation.submission
    studies = question("studies")
    save_draft(submission, Draft(answers={studies.id: "Première version"}))
    save_draft(submission, Draft(answers={studies.id: "  Deuxième\r\nversion  "}))
    db.session.commit()
    answer = db.session.scalars(select(Answer)).one()
    assert answer.body == "Deuxième\nversion"
    assert answer.question_text == "En quoi as-tu étudié?"


def test_save_draft_english_invitation_snapshots_english_text(app):
    invitation, _ = make_invitation(language="en")
    save_draft(invitation.submission, Draft(answers={question("studies").id: "Communications"}))
    assert invitation.submission.answers[0].question_text == "What did you study?"


def test_save_draft_over_limit_keeps_stored_value_and_says_why(app, request_ctx):
    invitation, _ = make_invitation()
    submission = invitation.submission
    job = question("job-in-140")
    save_draft(submission, Draft(answers={job.id: "Animer des communautés."}))
    errors = save_draft(submission, Draft(answers={job.id: "x" * 141,
                                                   question("studies").id: "Design"}))
    assert {k: str(v) for k, v in errors.items()} == {
        f"q{job.id}": "Ce texte compte 141 caractères pour une limite de 140. Raccourcis-le : "
        "cette version n’a pas été enregistrée."
    }
    bodies = {a.question_id: a.body for a in submission.answers}
    assert bodies == {job.id: "Animer des communautés.", question("studies").id: "Design"}


def test_save_draft_invalid_handle_is_reported_and_others_saved(app, request_ctx):
    invitation, _ = make_invitation()
    submission = invitation.submission
    errors = save_draft(submission, Draft(
        identity={"display_name": "Camille"},
        handles={"x": "https://x.com/camille_t", "facebook": "javascript:alert(1)"}))
    db.session.commit()
    assert {k: str(v) for k, v in errors.items()} == {
        "link_facebook": "Seuls les liens commençant par http:// ou https:// sont acceptés."
    }
    links = db.session.scalars(select(SocialLink)).all()
    assert [(k.network, k.handle, k.url) for k in links] == [
        ("x", "@camille_t", "https://x.com/camille_t")
    ]
    assert submission.display_name == "Camille"


def test_save_draft_empty_handle_removes_link(app):
    invitation, _ = make_invitation()
    submission = invitation.submission
    save_draft(submission, Draft(handles={"instagram": "@camille"}))
    save_draft(submission, Draft(handles={"instagram": ""}))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SocialLink)) == 0


def test_save_draft_after_submit_is_refused(app):
    invitation, _ = make_invitation()
    submission = invitation.submission
    ready(submission)
    submit(submission, form_version(submission), consent=True)
    with pytest.raises(QuestionnaireError) as error:
        save_draft(submission, Draft(answers={question("studies").id: "Changé"}))
    assert error.value.code == "already_submitted"


def test_save_draft_with_stale_version_is_refused(app):
    invitation, _ = make_invitation()
    with pytest.raises(QuestionnaireError) as error:
        save_draft(invitation.submission, Draft(), expected_version=7)
    assert error.value.code == "stale"


def test_save_photo_strips_gps_and_replaces_previous(app):
    invitation, _ = make_invitation()
    submission = invitation.submission
    first_upload = PhotoDraft(jpeg((800, 600), gps=True), "Légende", "Crédit")
    assert save_draft(submission, Draft(photos={"portrait": first_upload})) == {}
    first = submission.photo("portrait").sha256
    second_upload = PhotoDraft(jpeg((300, 400), gps=True), "Autre", "Moi")
    assert save_draft(submission, Draft(photos={"portrait": second_upload})) == {}
    db.session.commit()
    photo = submission.photo("portrait")
    assert len(submission.photos) == 1
    assert photo.sha256 != first
    assert (photo.width, photo.height, photo.caption, photo.credit) == (300, 400, "Autre", "Moi")
    import io

    with Image.open(io.BytesIO(photo.data)) as image:
        assert dict(image.getexif()) == {}


def test_save_photo_text_file_is_refused_and_keeps_old_photo(app, request_ctx):
    invitation, _ = make_invitation()
    submission = invitation.submission
    save_draft(submission, Draft(photos={"portrait": PhotoDraft(jpeg(gps=True))}))
    errors = save_draft(submission,
                        Draft(photos={"portrait": PhotoDraft(b"not an image at all")}))
    assert {k: str(v) for k, v in errors.items()} == {
        "photo_portrait": "Le fichier n’est pas une image JPEG, PNG ou WebP."
    }
    assert submission.photo("portrait") is not None


def test_submit_missing_required_names_it_and_keeps_answers(app, request_ctx):
    invitation, _ = make_invitation()
    submission = invitation.submission
    answers = required_answers()
    missing = question("advice").id
    del answers[missing]
    answers[question("phone").id] = "Android"
    blocking = save_and_submit(submission,
                               Draft(answers=answers, identity={"display_name": "Camille"}),
                               expected_version=form_version(submission), consent=True)
    db.session.commit()
    assert sorted(blocking) == sorted([f"q{missing}", "photo_portrait"])
    assert len(submission.answers) == len(answers)
    assert submission.state == State.IN_PROGRESS


def test_submit_records_consent_revision_and_queues_emails(app, blogger):
    invitation, _ = make_invitation()
    submission = invitation.submission
    ready(submission)
    save_draft(submission, Draft(handles={"x": "@camille"}))
    revision = submit(submission, form_version(submission), consent=True)
    db.session.commit()
    assert submission.state == State.SUBMITTED
    assert revision.number == 1
    assert revision.data["display_name"] == "Camille T."
    assert revision.data["links"] == [
        {"network": "x", "handle": "@camille", "url": "https://x.com/camille"}
    ]
    assert revision.data["consent_version"] == app.config["CONSENT_VERSION"]
    assert [c.text_version for c in db.session.scalars(select(Consent))] == ["2026-11-v1"]
    kinds = sorted(m.kind for m in db.session.scalars(select(OutboxMessage)))
    assert kinds == ["new_submission", "receipt"]


def test_submit_twice_gives_one_revision(app):
    invitation, _ = make_invitation()
    submission = invitation.submission
    ready(submission)
    version = form_version(submission)
    submit(submission, version, consent=True)
    db.session.commit()
    with pytest.raises(QuestionnaireError) as error:
        submit(submission, version, consent=True)
    db.session.rollback()
    assert error.value.code == "already_submitted"
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1


def test_resubmit_after_changes_requested_makes_revision_two(app):
    from intake.workflow.transitions import set_state

    invitation, _ = make_invitation()
    submission = invitation.submission
    ready(submission)
    submit(submission, form_version(submission), consent=True)
    set_state(submission, State.CHANGES_REQUESTED, "blogueuse@example.org", notify=False)
    save_draft(submission, Draft(answers={question("studies").id: "Révisé"}))
    revision = submit(submission, form_version(submission), consent=True)
    db.session.commit()
    assert (submission.state, revision.number) == (State.SUBMITTED, 2)
    assert len(submission.consents) == 2


def test_withdraw_closes_the_submission(app):
    invitation, _ = make_invitation()
    withdraw(invitation.submission)
    assert invitation.submission.state == State.WITHDRAWN

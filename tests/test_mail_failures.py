"""A message that cannot be queued is recorded as failed, explained, and never blocks the move."""

from intake.enums import State
from intake.extensions import db
from intake.mail.outbox import Recipient, failure_reason, queue_templated, queue_written
from intake.models import User, utcnow
from intake.workflow.transitions import set_state
from tests.support.factories import (
    BLOGGER_EMAIL,
    invite,
    make_invitation,
    make_submission,
    outbox_rows,
)
from tests.support.http import log_in
from tests.support.images import jpeg
from tests.test_respond import complete_form, upload
from tests.test_review import post_decision

ADMIN_PASSWORD = "a long enough password"
ADMIN_REASON = ("L’adresse «\u00a0admin@localhost\u00a0» n’est pas une adresse courriel "
                "valide\u00a0: The part after the @-sign is not valid. It should have a period.")


def add_blogger(email: str, language: str = "fr") -> User:
    """Insert a blogger row directly (create_user may refuse the address); commits."""
    user = User(email=email, language=language, name="Marie", welcomed_at=utcnow())
    user.set_password(ADMIN_PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def text(response) -> str:
    return response.get_data(as_text=True)


def test_submit_with_invalid_blogger_address_still_submits_and_says_why(client):
    add_blogger("admin@localhost")
    invitation, token = make_invitation()
    upload(client, token, jpeg(gps=True))
    response = client.post(f"/r/{token}/submit", data=complete_form(version="2"))
    assert response.status_code == 303
    db.session.expire_all()
    submission = invitation.submission
    assert submission.state == State.SUBMITTED
    assert [r.number for r in submission.revisions] == [1]
    assert [(m.kind, m.to_addr, m.status, m.attempts) for m in outbox_rows()] == [
        ("receipt", "camille@example.org", "queued", 0),
        ("new_submission", "admin@localhost", "failed", 0),
    ]
    failed = outbox_rows("new_submission")[0]
    assert failed.subject == "Nouveau portrait reçu : Camille Tremblay"
    assert failed.submission_id == submission.id
    assert failed.last_error == ("invalid_address: The part after the @-sign is not valid. "
                                 "It should have a period.")
    assert log_in(client, "admin@localhost", ADMIN_PASSWORD).status_code == 303
    outbox_page = text(client.get("/admin/outbox?status=failed"))
    assert ADMIN_REASON in outbox_page
    assert "Corrigez l’adresse là où elle a été saisie" in outbox_page
    dashboard = text(client.get("/admin/"))
    assert "1 courriel n’est pas parti" in dashboard
    assert 'href="/admin/outbox?status=failed"' in dashboard
    assert ADMIN_REASON in dashboard


def test_failure_reason_follows_the_blogger_language(client):
    add_blogger("admin@localhost", language="en")
    submission = make_submission(State.IN_PROGRESS)
    set_state(submission, State.SUBMITTED, "tester")
    db.session.commit()
    log_in(client, "admin@localhost", ADMIN_PASSWORD)
    page = text(client.get("/admin/"))
    assert "1 email was not sent" in page
    assert ("The address “admin@localhost” is not a valid email address: The part after the "
            "@-sign is not valid.") in page


def test_approve_and_publish_with_invalid_invitee_address_still_move(blogger_client):
    submission = make_submission(email="jeanluc@localhost")
    assert post_decision(blogger_client, submission, "approve").status_code == 303
    db.session.expire_all()
    assert submission.state == State.APPROVED
    assert post_decision(blogger_client, submission, "publish").status_code == 303
    db.session.expire_all()
    assert submission.state == State.PUBLISHED
    assert [(m.kind, m.to_addr, m.status, m.last_error.split(":")[0])
            for m in outbox_rows()] == [
        ("approved", "jeanluc@localhost", "failed", "invalid_address"),
        ("published", "jeanluc@localhost", "failed", "invalid_address"),
    ]


def test_request_changes_with_hostile_address_is_kept_on_one_line(blogger_client):
    submission = make_submission(email="x@example.org\r\nBcc: all@example.org")
    response = post_decision(blogger_client, submission, "request_changes", message="Précise.")
    assert response.status_code == 303
    db.session.expire_all()
    assert submission.state == State.CHANGES_REQUESTED
    row = outbox_rows("changes_requested")[0]
    assert (row.status, row.to_addr) == ("failed", "x@example.org Bcc: all@example.org")
    assert row.last_error == "invalid_address: line break in address"


def test_kind_without_template_is_recorded_failed_and_session_stays_usable(app):
    submission = make_submission()
    message = queue_templated("no_such_kind", Recipient("camille@example.org"),
                              submission=submission, dedupe_key="no_such_kind:1")
    db.session.commit()
    row = outbox_rows()[0]
    assert row.id == message.id
    assert (row.kind, row.status, row.attempts, row.subject, row.text_body) == (
        "no_such_kind", "failed", 0, "[no_such_kind]", "")
    assert row.last_error == "template_error: TemplateNotFound: email/no_such_kind.subject.txt"
    with app.test_request_context():
        assert failure_reason(row).startswith("Ce courriel n’a pas pu être rédigé")


def test_failed_row_is_replaced_by_a_later_attempt_with_the_same_key(app):
    submission = make_submission()
    queue_templated("approved", Recipient("jeanluc@localhost"), submission=submission,
                    dedupe_key="approved:again", invitation=submission.invitation, link="x")
    queue_templated("approved", Recipient("jeanluc@example.org"), submission=submission,
                    dedupe_key="approved:again", invitation=submission.invitation, link="x")
    queue_templated("approved", Recipient("other@example.org"), submission=submission,
                    dedupe_key="approved:again", invitation=submission.invitation, link="x")
    db.session.commit()
    assert [(m.to_addr, m.status, m.last_error) for m in outbox_rows()] == [
        ("jeanluc@example.org", "queued", "")]


def test_retry_of_invalid_address_explains_instead_of_looping(blogger_client):
    submission = make_submission(email="jeanluc@localhost")
    post_decision(blogger_client, submission, "approve")
    row = outbox_rows()[0]
    page = text(blogger_client.post(f"/admin/outbox/{row.id}/retry", follow_redirects=True))
    assert ("L’adresse «\u00a0jeanluc@localhost\u00a0» n’est toujours pas valide\u00a0: ce "
            "courriel ne peut pas être renvoyé tel quel.") in page
    assert (outbox_rows()[0].status, outbox_rows()[0].attempts) == ("failed", 0)


def test_template_error_message_offers_no_retry(blogger_client):
    queue_templated("no_such_kind", Recipient(BLOGGER_EMAIL))
    db.session.commit()
    row = outbox_rows()[0]
    page = text(blogger_client.get(f"/admin/outbox/{row.id}"))
    assert "Ce courriel n’a pas pu être rédigé" in page
    assert f"/admin/outbox/{row.id}/retry" not in page
    blogger_client.post(f"/admin/outbox/{row.id}/retry")
    assert outbox_rows()[0].status == "failed"


def test_invite_command_still_refuses_bad_address_with_a_sentence(app, runner):
    result = runner.invoke(args=["invite", "camille@localhost", "--name", "Camille"])
    assert result.exit_code == 1
    assert ("Cannot invite 'camille@localhost': The part after the @-sign is not valid. "
            "It should have a period.") in result.output
    assert outbox_rows() == []


def test_dashboard_without_failed_mail_shows_no_warning(blogger_client):
    invite()
    assert "pas parti" not in text(blogger_client.get("/admin/"))


def test_written_message_that_cannot_be_queued_is_kept_failed_with_its_reason(app):
    submission = make_submission()
    queue_written("invitation", Recipient("camille@localhost", "Camille"), "Pour {nom}",
                  "Bonjour {nom}, voici {lien}.", {"name": "Camille", "link": "https://x"},
                  submission=submission)
    queue_written("invitation", Recipient("camille@example.org", "Camille", "zz"), "Pour {nom}",
                  "Bonjour {nom}.", {"name": "Camille"}, submission=submission)
    db.session.commit()
    bad_address, bad_render = outbox_rows()
    assert (bad_address.status, bad_address.subject, bad_address.text_body) == (
        "failed", "Pour Camille", "Bonjour Camille, voici https://x.")
    assert bad_address.last_error.startswith("invalid_address: ")
    assert (bad_render.status, bad_render.subject, bad_render.text_body) == (
        "failed", "[invitation]", "")
    assert bad_render.last_error == "template_error: UnknownLocaleError: unknown locale 'zz'"

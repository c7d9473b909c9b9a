"""Invitations: the service, the editor with its preview, follow-ups, the CLI, email templates."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from intake.enums import LINK_ALIVE, REMINDABLE, State
from intake.extensions import db
from intake.invitations import operations, reminders
from intake.links import find_invitation, invitation_link
from intake.mail.delivery import deliver_due
from intake.mail.invitee import invitee_context
from intake.mail.outbox import render_email
from intake.models import AuditEvent, Invitation, OutboxMessage, Question, Submission, utcnow
from intake.workflow.transitions import set_state
from tests.support.factories import as_sent, invite, outbox_rows

PERSON = {
    "name": "Camille Roy",
    "email": "camille@example.org",
    "organisation": "Atelier Nord",
    "language": "fr",
    "note": "On s’est croisées au colloque.",
    "extra_questions": "Comment conciliez-vous études et gestion de communauté ?\n\n"
                       "Et la télé en direct ?",
    "expires_days": "30",
}


def preview(client, **changes):
    """Post the first step and return the preview page's text."""
    response = client.post("/admin/invitations/preview", data={**PERSON, **changes})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def send(client, subject, body, **changes):
    """Post the preview step with an edited message and the 'send' action."""
    data = {**PERSON, **changes, "subject": subject, "body": body, "action": "send"}
    return client.post("/admin/invitations/preview", data=data)


def test_create_invitation_makes_invited_submission_and_extra_questions(app):
    invitation, token = operations.create_invitation(
        name="Camille Roy", email="Camille@Example.org", organisation="Atelier Nord",
        extra_questions=["Études et communauté ?", "La télé en direct ?"])
    db.session.commit()
    assert invitation.email == "Camille@example.org"
    assert invitation.submission.state == "invited"
    assert invitation.submission.display_name == "Camille Roy"
    assert [(q.key, q.text_fr, q.invitation_id) for q in invitation.extra_questions] == [
        ("extra-1", "Études et communauté ?", invitation.id),
        ("extra-2", "La télé en direct ?", invitation.id),
    ]
    series_questions = invitation.questionnaire.questions
    assert all(q.invitation_id is None for q in series_questions)
    assert round((invitation.expires_at - utcnow()).total_seconds() / 86400) == 30
    assert [e.action for e in db.session.scalars(select(AuditEvent))] == ["invited"]


def test_create_invitation_stores_only_the_token_hash(app):
    invitation, token = operations.create_invitation(name="A", email="a@example.org")
    db.session.commit()
    assert len(token) >= 43
    assert invitation.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (invitation.token_nonce, invitation.token_sha256)
    assert invitation_link(invitation) == f"https://portraits.example.org/r/{token}"
    assert find_invitation(token) is invitation


def test_first_step_refuses_bad_email_and_too_many_questions(blogger_client):
    page = blogger_client.post("/admin/invitations/preview", data={
        **PERSON, "email": "camille@", "extra_questions": "\n".join(f"Q{i} ?" for i in range(6)),
    }).get_data(as_text=True)
    assert "Cette adresse courriel n’est pas valide." in page
    assert "Au plus 5 questions, une par ligne." in page
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_preview_shows_editable_message_with_placeholders_in_french(blogger_client):
    page = preview(blogger_client)
    assert 'value="Invitation : Portrait de gestionnaire de communauté"' in page
    assert "Bonjour {nom}," in page
    assert "{lien}" in page
    assert "{date_limite}" in page
    assert "Bonjour Camille Roy," in page  # the rendered preview beside it
    assert "https://portraits.example.org/r/••••••••••••" in page  # the link, token hidden
    assert "On s’est croisées au colloque." in page
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_preview_in_english_uses_english_placeholders(blogger_client):
    page = preview(blogger_client, language="en")
    assert "{name}" in page
    assert "{link}" in page
    assert '<section class="panel email-preview" aria-labelledby="preview-title" lang="en">' in page


def test_send_refuses_body_without_link_placeholder(blogger_client):
    response = send(blogger_client, "Bonjour", "Bonjour {nom}, voici le questionnaire.")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Le message doit contenir {lien}" in page
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_send_refuses_unknown_placeholders_and_names_them(blogger_client):
    response = send(blogger_client, "Salut {prenom}", "Bonjour {token}, {lien} {config.x}")
    page = response.get_data(as_text=True)
    assert "Champ inconnu, impossible à remplir\u00a0: {prenom}." in page
    assert "Champ inconnu, impossible à remplir\u00a0: {token}, {config.x}." in page
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_update_preview_shows_placeholder_errors_before_sending(blogger_client):
    response = blogger_client.post("/admin/invitations/preview", data={
        **PERSON, "subject": "Bonjour", "body": "Bonjour {nom} {prenom}", "action": "preview"})
    page = response.get_data(as_text=True)
    assert "Champ inconnu, impossible à remplir\u00a0: {prenom}." in page
    assert "Le message doit contenir {lien}" in page
    assert "Bonjour Camille Roy {prenom}" in page
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_send_creates_invitation_queues_edited_email_and_shows_link_once(blogger_client):
    response = send(blogger_client, "Pour vous, {nom}",
                    "Bonjour {nom},\n\nVotre lien : {lien}\nAvant le {date_limite}.")
    assert response.status_code == 303
    invitation = db.session.scalar(select(Invitation))
    assert response.headers["Location"] == f"/admin/invitations/{invitation.id}"
    link = invitation_link(invitation)
    message = outbox_rows("invitation")[0]
    assert message.subject == "Pour vous, Camille Roy"
    text, html = as_sent(message)
    expires = text.split("Avant le ")[1]
    assert text == f"Bonjour Camille Roy,\n\nVotre lien : {link}\nAvant le {expires}"
    assert f'<a href="{link}">{link}</a>' in html
    assert message.text_body + "\n" == text.replace(link,
                                                     f"[[lien:questionnaire:{invitation.id}]]")
    assert [q.text_fr for q in invitation.extra_questions] == [
        "Comment conciliez-vous études et gestion de communauté ?", "Et la télé en direct ?"]
    first = blogger_client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<input id="new-link" type="text" readonly value="{link}">' in first
    again = blogger_client.get(response.headers["Location"]).get_data(as_text=True)
    assert link not in again


def test_typed_braces_and_markup_come_out_literally(blogger_client):
    name = "{token} <b>x</b> {{ config }}"
    response = send(blogger_client, "{nom}", "Bonjour {nom} !\n\n{lien}", name=name)
    assert response.status_code == 303
    message = outbox_rows("invitation")[0]
    link = invitation_link(db.session.scalar(select(Invitation)))
    assert message.subject == name
    assert as_sent(message)[0] == f"Bonjour {name} !\n\n{link}\n"  # sent text ends a line
    assert "Bonjour {token} &lt;b&gt;x&lt;/b&gt; {{ config }} !" in message.html_body
    assert "<b>" not in message.html_body


@pytest.mark.parametrize("kind", ["invitation", "reminder", "link_regenerated"])
def test_invitation_emails_escape_names_in_html_and_keep_them_in_text(app, kind):
    invitation, _token = operations.create_invitation(
        name="<b>x</b> {token}", email="x@example.org", note="<script>1</script>")
    context = invitee_context(invitation)
    subject, text, html = render_email(kind, "fr", submission=invitation.submission, **context)
    assert "Bonjour <b>x</b> {token}," in text
    assert "Bonjour &lt;b&gt;x&lt;/b&gt; {token}," in html
    assert "<script>" not in html
    assert f"\n[[lien:questionnaire:{invitation.id}]]\n" in text


def submitted(invitation):
    """Give the submission one answer and submit it (queues receipt and notice)."""
    submission = invitation.submission
    question = invitation.questionnaire.questions[0]
    from intake.models import Answer

    submission.answers.append(Answer(question_id=question.id, question_text="Votre parcours ?",
                                     body="<i>Long</i>\n{token}", position=1))
    set_state(submission, "in_progress")
    set_state(submission, "submitted")
    db.session.commit()
    return submission


def test_workflow_emails_render_in_both_languages(app, blogger):
    invitation, _token = invite(name="<b>Ana</b>")
    submission = submitted(invitation)
    receipt = outbox_rows("receipt")[0]
    assert "— Votre parcours ?\n<i>Long</i>\n{token}" in receipt.text_body
    assert "<h3>Votre parcours ?</h3>" in receipt.html_body
    assert "&lt;i&gt;Long&lt;/i&gt;<br>{token}" in receipt.html_body
    notice = outbox_rows("new_submission")[0]
    assert notice.subject == "Nouveau portrait reçu : <b>Ana</b>"
    assert notice.to_addr == blogger.email
    context = {"invitation": invitation, "link": invitation_link(invitation),
               "message": "Précisez <u>ceci</u>.", "post_url": "https://p/x",
               "pdf_url": "https://p/x.pdf", "review_url": "https://p/admin/1"}
    for kind in ("changes_requested", "approved", "rejected", "published", "proof", "receipt",
                 "new_submission", "link_regenerated", "reminder", "invitation"):
        extra = invitee_context(invitation) if kind in (
            "invitation", "reminder", "link_regenerated") else {}
        for language in ("fr", "en"):
            subject, text, html = render_email(kind, language, submission=submission,
                                               **{**context, **extra})
            assert subject and text and html.startswith("<!doctype html>"), kind
            assert f'<html lang="{language}">' in html
            assert "<u>" not in html and "<b>Ana" not in html, kind
    _s, text, html = render_email("changes_requested", "fr", submission=submission, **context)
    assert "Précisez <u>ceci</u>." in text
    assert "Précisez &lt;u&gt;ceci&lt;/u&gt;." in html


def test_link_in_email_uses_base_url_whatever_the_host_header(blogger_client):
    response = send(blogger_client, "{nom}", "{lien}", **{})
    assert response.status_code == 303
    invitation = db.session.scalar(select(Invitation))
    # A request that arrives with a forged Host header queues another copy of the link.
    app = blogger_client.application
    with app.test_request_context(f"/admin/invitations/{invitation.id}/resend",
                                  method="POST", headers={"Host": "evil.example"}):
        operations.resend(db.session.get(Invitation, invitation.id))
        db.session.commit()
    bodies = [as_sent(m)[0] for m in outbox_rows("invitation")]
    assert len(bodies) == 2
    assert all(re.search(r"https://portraits\.example\.org/r/[\w-]{43}", b) for b in bodies)
    assert not any("evil.example" in b for b in bodies)


def test_emailed_link_opens_the_questionnaire(make_app, smtp):
    app = make_app(**smtp.config())
    with app.app_context():
        invite(name="Camille Roy")
        deliver_due()
    text = smtp.messages[0].get_body(("plain",)).get_content()
    path = re.search(r"https://portraits\.example\.org(/r/[\w-]+)", text).group(1)
    response = app.test_client().get(path)
    assert response.status_code == 200
    assert "Camille Roy" in response.get_data(as_text=True)


def test_revoke_asks_confirmation_then_kills_the_link(blogger_client):
    invitation, token = invite()
    confirm = blogger_client.get(f"/admin/invitations/{invitation.id}/revoke")
    assert "Révoquer l’invitation de Camille Roy?" in confirm.get_data(as_text=True)
    assert invitation.submission.state == "invited"
    response = blogger_client.post(f"/admin/invitations/{invitation.id}/revoke")
    assert response.status_code == 303
    db.session.expire_all()
    assert invitation.submission.state == "revoked"
    assert invitation.revoked_at is not None
    assert blogger_client.get(f"/r/{token}").status_code == 404


def test_regenerate_kills_old_link_and_emails_new_one(blogger_client):
    invitation, old = invite()
    response = blogger_client.post(f"/admin/invitations/{invitation.id}/regenerate")
    assert response.status_code == 303
    db.session.expire_all()
    new_link = invitation_link(invitation)
    assert find_invitation(old) is None
    assert new_link != f"https://portraits.example.org/r/{old}"
    message = outbox_rows("link_regenerated")[0]
    assert new_link in as_sent(message)[0]
    page = blogger_client.get(f"/admin/invitations/{invitation.id}").get_data(as_text=True)
    assert f'readonly value="{new_link}"' in page


def test_extend_reopens_expired_invitation(app):
    invitation, _token = invite()
    invitation.expires_at = utcnow() - timedelta(days=1)
    reminders.queue_due_reminders()
    assert invitation.submission.state == "expired"
    operations.extend(invitation, 10)
    db.session.commit()
    assert invitation.submission.state == "invited"
    assert round((invitation.expires_at - utcnow()).total_seconds() / 86400) == 10


def test_extend_expired_with_answers_goes_back_in_progress(app):
    invitation, _token = invite()
    set_state(invitation.submission, "in_progress")
    invitation.submission.last_saved_at = utcnow()
    invitation.expires_at = utcnow() - timedelta(days=1)
    reminders.expire_overdue()
    operations.extend(invitation, 5)
    assert invitation.submission.state == "in_progress"


def test_extend_button_pushes_expiry(blogger_client):
    invitation, _token = invite()
    before = invitation.expires_at
    response = blogger_client.post(f"/admin/invitations/{invitation.id}/extend",
                                   data={"days": "7"})
    assert response.status_code == 303
    db.session.expire_all()
    assert invitation.expires_at - before == timedelta(days=7)


def test_resend_refused_after_revocation(app):
    invitation, _token = invite()
    operations.revoke(invitation)
    with pytest.raises(operations.InvitationError):
        operations.resend(invitation)
    assert len(outbox_rows("invitation")) == 1


def test_invitation_list_shows_state_last_email_reminders_and_expiry(blogger_client):
    invitation, _token = invite(name="Camille Roy")
    reminders.remind_now(invitation)
    db.session.commit()
    page = blogger_client.get("/admin/invitations").get_data(as_text=True)
    assert "Camille Roy" in page
    assert "Invité" in page
    assert "Rappel<br>" in page
    assert "<td>1</td>" in page
    assert str(invitation.expires_at.year) in page
    filtered = blogger_client.get("/admin/invitations?state=revoked").get_data(as_text=True)
    assert "Camille Roy" not in filtered


def test_invite_command_creates_queues_and_prints_link(app):

    result = app.test_cli_runner().invoke(args=[
        "invite", "sam@example.org", "--name", "Sam Tremblay", "--lang", "en",
        "--expires-days", "10", "--organisation", "Studio"])
    assert result.exit_code == 0, result.output
    invitation = db.session.scalar(select(Invitation))
    assert result.output.strip() == invitation_link(invitation)
    assert (invitation.language, invitation.organisation) == ("en", "Studio")
    assert round((invitation.expires_at - utcnow()).total_seconds() / 86400) == 10
    assert [(m.kind, m.to_addr, m.language) for m in outbox_rows()] == [
        ("invitation", "sam@example.org", "en")]


def test_invite_command_refuses_bad_address(app):

    result = app.test_cli_runner().invoke(args=["invite", "nope", "--name", "X"])
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count(Question.id))
                             .where(Question.invitation_id.isnot(None))) == 0
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


@pytest.mark.parametrize("ignore_expiry", [False, True])
def test_link_is_open_and_its_sql_clause_agree_on_every_state(app, ignore_expiry):
    rows = []
    for state in State:
        for revoked in (False, True):
            for days in (-1, 30):
                invitation, _token = invite(email=f"{state.value}-{revoked}-{days}@example.org")
                invitation.submission.state = state.value
                invitation.expires_at = utcnow() + timedelta(days=days)
                invitation.revoked_at = utcnow() if revoked else None
                rows.append(invitation)
    db.session.commit()
    for states in (LINK_ALIVE, REMINDABLE):
        in_python = {inv.id for inv in rows
                     if inv.link_is_open(states, ignore_expiry=ignore_expiry)}
        in_sql = set(db.session.scalars(
            select(Invitation.id).join(Submission)
            .where(Invitation.open_clause(states, ignore_expiry=ignore_expiry))))
        assert in_python == in_sql
        expected = {inv.id for inv in rows if inv.submission.state in states
                    and inv.revoked_at is None and (ignore_expiry or inv.expires_at > utcnow())}
        assert in_python == expected

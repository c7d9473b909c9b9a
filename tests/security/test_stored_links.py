"""No working invitation link is stored: the outbox keeps a slot, filled only when sending.

A copy of the database (every text of every table) holds no token that opens a link, yet the
emails delivered to a real SMTP server carry the working link; « Courriels » shows it masked;
the link shown once after inviting never travels in the session cookie.
"""

import re

import pytest
from sqlalchemy import select

from intake.enums import MailKind, State
from intake.extensions import db
from intake.invitations import operations, reminders
from intake.links import find_invitation, invitation_link, token_for
from intake.mail.delivery import deliver_due
from intake.models import Invitation
from intake.submissions.proof import answer_proof, send_proof
from intake.workflow.transitions import set_state
from tests.support.factories import (
    as_sent,
    invite,
    make_blogger,
    make_submission,
    outbox_rows,
)
from tests.support.http import log_in

BASE = "https://portraits.example.org"
TOKEN_IN_TEXT = re.compile(r"/r/([A-Za-z0-9_-]{20,})")


@pytest.fixture
def mail_app(make_app, smtp):
    """An app whose mail goes to the test SMTP server; its context is pushed."""
    app = make_app(**smtp.config())
    with app.app_context():
        yield app


def every_stored_text() -> str:
    """Return every value of every row of every table, as text: a copy of the database."""
    values = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            values.extend(value.decode("latin-1") if isinstance(value, bytes) else str(value)
                          for value in row)
    return "\n".join(values)


def queue_every_email_with_a_link() -> list[Invitation]:
    """Queue every kind of email that carries an invitee's link; commits. Returns the
    invitations whose links went into them."""
    first, _token = invite(name="Camille Roy", email="camille@example.org")
    reminders.remind_now(first)
    second, _token = invite(name="Ana Pérez", email="ana@example.org")
    operations.regenerate_link(second)
    proof = make_submission(State.SUBMITTED, name="Jean Tremblay", email="jean@example.org")
    send_proof(proof, None)
    moving = make_submission(State.IN_PROGRESS, name="Lou Gagnon", email="lou@example.org")
    set_state(moving, State.SUBMITTED)
    set_state(moving, State.CHANGES_REQUESTED, message="Précise ton parcours.")
    db.session.commit()
    return [first, second, proof.invitation, moving.invitation]


def test_database_copy_holds_no_working_link_yet_delivered_mail_does(mail_app, smtp):
    invitations = queue_every_email_with_a_link()
    kinds = {row.kind for row in outbox_rows()}
    assert {MailKind.INVITATION, MailKind.REMINDER, MailKind.LINK_REGENERATED, MailKind.PROOF,
            MailKind.RECEIPT, MailKind.CHANGES_REQUESTED} <= kinds
    stored = every_stored_text()
    tokens = {invitation.id: token_for(invitation) for invitation in invitations}
    assert [i for i, token in tokens.items() if token in stored] == []
    assert [t for t in TOKEN_IN_TEXT.findall(stored) if find_invitation(t)] == []
    assert f"[[lien:questionnaire:{invitations[0].id}]]" in stored

    report = deliver_due()
    assert (report.sent, report.failed) == (len(outbox_rows()), 0)
    delivered = {}
    for message in smtp.messages:
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        delivered.setdefault(message["To"].addresses[0].addr_spec, []).append((text, html))
    for invitation in invitations:
        link = invitation_link(invitation)
        for text, html in delivered[invitation.email]:
            assert link in text and f'href="{link}' in html
            assert "[[lien:" not in text + html
            opened = find_invitation(TOKEN_IN_TEXT.search(text).group(1))
            assert opened is not None and opened.id == invitation.id
    assert [i for i, token in tokens.items() if token in every_stored_text()] == []


def test_message_queued_before_a_new_link_carries_the_new_one(mail_app, smtp):
    invitation, old = invite()
    operations.regenerate_link(invitation)
    db.session.commit()
    assert deliver_due().sent == 2
    new = token_for(invitation)
    texts = [m.get_body(("plain",)).get_content() for m in smtp.messages]
    assert [(old in text, f"{BASE}/r/{new}" in text) for text in texts] == [(False, True)] * 2


def test_message_of_a_revoked_invitation_is_failed_with_its_reason_not_sent(make_app, smtp):
    app = make_app(**smtp.config())
    client = app.test_client()
    with app.app_context():
        make_blogger()
        log_in(client)
        invitation, token = invite()
        operations.revoke(invitation)
        db.session.commit()
        report = deliver_due()
        row = outbox_rows("invitation")[0]
        stored = (row.status, row.last_error.split(":")[0])
        page = client.get(f"/admin/outbox/{row.id}").get_data(as_text=True)
    assert (report.sent, report.failed, smtp.messages) == (0, 1, [])
    assert stored == ("failed", "LinkUnavailable")
    assert ("Ce courriel n’est pas parti\u00a0: l’invitation a été révoquée avant son envoi, "
            "et le lien qu’il portait ne fonctionne plus. Il ne sera pas envoyé.") in page
    assert "Renvoyer" not in page and token not in page


def test_outbox_page_shows_the_link_masked(blogger_client):
    invitation, token = invite()
    reminders.remind_now(invitation)
    db.session.commit()
    masked = f"{BASE}/r/{'•' * 12}"
    for row in outbox_rows():
        page = blogger_client.get(f"/admin/outbox/{row.id}").get_data(as_text=True)
        text = page.split('<pre class="panel mail-text"')[1].split("</pre>")[0]
        html = page.split('<pre class="panel mail-source">')[1].split("</pre>")[0]
        assert masked in text, row.kind
        assert f"href=&#34;{masked}&#34;" in html, row.kind
        assert token not in page and "[[lien:" not in page
        assert ("Le lien personnel est masqué ici\u00a0: il n’est ajouté au courriel qu’au "
                "moment de l’envoi.") in page


def test_link_shown_once_never_travels_in_the_session_cookie(blogger_client):
    response = blogger_client.post("/admin/invitations/preview", data={
        "name": "Camille Roy", "email": "camille@example.org", "language": "fr",
        "expires_days": "30", "subject": "Bonjour {nom}", "body": "Ton lien : {lien}",
        "action": "send"})
    assert response.status_code == 303
    invitation = db.session.scalar(select(Invitation))
    token = token_for(invitation)
    app = blogger_client.application
    cookie = blogger_client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    session = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert session["new_link"] == invitation.id
    assert token not in repr(session)
    page = blogger_client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'readonly value="{BASE}/r/{token}"' in page
    assert token not in blogger_client.get(response.headers["Location"]).get_data(as_text=True)


def test_typed_slot_of_another_invitation_is_not_filled(app):
    other, _token = invite(name="Autre", email="autre@example.org")
    typed = f"[[lien:questionnaire:{other.id}]]"
    submission = make_submission(State.IN_PROGRESS, answers=[("Ton parcours?", typed)])
    set_state(submission, State.SUBMITTED)
    db.session.commit()
    receipt = outbox_rows("receipt")[0]
    text, html = as_sent(receipt)
    assert typed in text and typed in html
    assert token_for(other) not in text + html
    assert invitation_link(submission.invitation) in text


def test_own_slot_is_not_filled_in_a_message_to_the_bloggers(app, blogger):
    submission = make_submission(State.SUBMITTED)
    send_proof(submission, None)
    typed = f"Mon lien : [[lien:questionnaire:{submission.invitation.id}]]"
    answer_proof(submission, False, typed)
    db.session.commit()
    notice = outbox_rows("proof_answered")[0]
    text, html = as_sent(notice)
    assert "[[lien:questionnaire:" in text and "[[lien:questionnaire:" in html
    assert token_for(submission.invitation) not in text + html

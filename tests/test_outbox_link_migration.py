"""Migration 845bc0d0aba1 turns the working links of messages queued before it into slots
(and back on downgrade), on SQLite and on PostgreSQL."""

import pytest
from sqlalchemy import text

from intake import create_app
from intake.extensions import db
from intake.invitations.operations import create_invitation
from intake.links import invitation_link, token_for
from intake.models import OutboxMessage
from tests.support.databases import postgres_database
from tests.support.factories import as_sent

BEFORE, AFTER = "cfc050e4f86e", "845bc0d0aba1"


def old_row(invitation, dead_link: str) -> OutboxMessage:
    """Return a message as stored before the migration: the working link, its proof link,
    and a link that no longer works."""
    link = invitation_link(invitation)
    return OutboxMessage(
        kind="invitation", submission=invitation.submission, to_addr=invitation.email,
        subject="Invitation", message_id="<old@portraits.example.org>", language="fr",
        text_body=f"Ton lien :\n{link}\nÉpreuve : {link}/proof\nAncien : {dead_link}\n",
        html_body=f'<p><a href="{link}">{link}</a></p>')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_uri(request, tmp_path):
    """Yield an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite'}"
        return
    uri, drop = postgres_database()
    yield uri
    drop()


def test_old_working_links_become_slots_and_come_back_on_downgrade(database_uri, tmp_path,
                                                                    monkeypatch):
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "SECRET_KEY": "test-secret-key",
                      "BASE_URL": "https://portraits.example.org", "TESTING": True})
    runner = app.test_cli_runner()
    # Rows are written with today's models, then the schema goes back to before the migration
    # (later migrations add columns the old schema lacks), so the rows are what it finds.
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        invitation, old_token = create_invitation(name="Camille Roy", email="camille@example.org")
        dead = f"https://portraits.example.org/r/{'x' * 43}"
        message = old_row(invitation, dead)
        db.session.add(message)
        db.session.commit()
        link, row_id, message_id = invitation_link(invitation), invitation.id, message.id
        db.session.remove()
    assert runner.invoke(args=["db", "downgrade", BEFORE]).exit_code == 0
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        assert row.text_body == (f"Ton lien :\n[[lien:questionnaire:{row_id}]]\n"
                                 f"Épreuve : [[lien:proof:{row_id}]]\nAncien : {dead}\n")
        assert row.html_body == (f'<p><a href="[[lien:questionnaire:{row_id}]]">'
                                 f"[[lien:questionnaire:{row_id}]]</a></p>")
        assert old_token not in row.text_body + row.html_body
        assert token_for(row.submission.invitation) == old_token
        assert as_sent(row)[0].startswith(f"Ton lien :\n{link}\nÉpreuve : {link}/proof\n")
        db.session.remove()
    assert runner.invoke(args=["db", "downgrade", BEFORE]).exit_code == 0
    with app.app_context():
        text_body, html_body = db.session.execute(
            text("SELECT text_body, html_body FROM outbox WHERE id = :id"),
            {"id": message_id}).one()
        assert text_body == f"Ton lien :\n{link}\nÉpreuve : {link}/proof\nAncien : {dead}\n"
        assert html_body == f'<p><a href="{link}">{link}</a></p>'
        db.session.remove()
        db.engine.dispose()

"""Helpers for the invitation, mail and reminder tests: wiring, invites, refusing SMTP servers."""

from datetime import timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from intake.auth.accounts import create_user
from intake.extensions import db
from intake.invitations.emails import queue_invitation_email
from intake.invitations.operations import create_invitation
from intake.models import Invitation, OutboxMessage
from tests.conftest import Collector, free_port


def invite(name="Camille Roy", email="camille@example.org", language="fr", **extra):
    """Create an invitation with its email queued and committed; return (invitation, token)."""
    invitation, token = create_invitation(name=name, email=email, language=language, **extra)
    queue_invitation_email(invitation)
    db.session.commit()
    return invitation, token


def outbox_rows(kind=None):
    """Return the outbox rows, oldest first, optionally of one kind."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    db.session.expire_all()
    return db.session.scalars(query).all()


def make_due(*rows):
    """Pretend the retry wait of some outbox rows has passed."""
    ids = [row.id for row in rows]
    past = rows[0].created_at - timedelta(days=1)
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                       .values(next_attempt_at=past))
    db.session.commit()


def age(invitation, days):
    """Pretend an invitation and its last email were created `days` ago."""
    db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id).values(
            created_at=invitation.created_at - timedelta(days=days),
            last_email_at=(invitation.last_email_at or invitation.created_at)
            - timedelta(days=days)))
    db.session.commit()
    db.session.expire_all()


class RefusingHandler(Collector):
    """An aiosmtpd handler that refuses every recipient with one SMTP reply (e.g. 450, 550)."""

    def __init__(self, reply: str):
        super().__init__()
        self.reply = reply
        self.attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.attempts += 1
        return self.reply


class RefusingServer:
    """A real SMTP server on loopback that refuses recipients."""

    def __init__(self, reply: str):
        self.handler = RefusingHandler(reply)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def config(self) -> dict:
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_TIMEOUT": 5}


def log_in_new_blogger(app, client, csrf=False):
    """Create a blogger in this app's database and log the client in."""
    create_user("editrice@example.org", "a long enough password", name="Édith Éditrice")
    db.session.commit()
    data = {"email": "editrice@example.org", "password": "a long enough password"}
    if csrf:
        page = client.get("/login").get_data(as_text=True)
        data["csrf_token"] = page.split('name="csrf-token" content="')[1].split('"')[0]
    assert client.post("/login", data=data).status_code == 303

"""The message sent for one outbox row: the invitee's working link put in at the last moment,
headers built from the standard library's address objects (never by joining strings)."""

from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from flask import current_app
from flask_mail import Message

from intake.mail.addresses import one_line
from intake.mail.link_slots import fill_links
from intake.models import OutboxMessage


class OutgoingMessage(Message):
    """A Flask-Mail message whose bytes are those of a standard-library EmailMessage; its
    envelope recipient is the bare address, so a display name can never add one."""

    def __init__(self, email: EmailMessage, envelope_to: str):
        super().__init__(subject=str(email["Subject"]), recipients=[envelope_to])
        self.email = email
        self.msgId = str(email["Message-ID"])

    def as_bytes(self) -> bytes:
        return self.email.as_bytes(policy=policy.SMTP)

    def as_string(self) -> str:
        return self.email.as_string(policy=policy.SMTP)


def mail_address(name: str, address: str) -> Address:
    """Return a header address: the display name on one line (quoted or encoded when written,
    so `Eve, "Mallory" <m@evil.example>` stays a name), the domain in IDNA form."""
    local, _at, domain = one_line(address, 254).rpartition("@")
    if not local or not domain:
        raise ValueError(f"not an email address: {address!r}")
    return Address(one_line(name, 200), local, domain.encode("idna").decode("ascii"))


def sender_address() -> Address:
    """Return MAIL_DEFAULT_SENDER ("Name <address>" or a (name, address) pair) as an Address."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    name, address = sender if isinstance(sender, tuple | list) else parseaddr(sender)
    return mail_address(name, address)


def build_message(row: OutboxMessage) -> OutgoingMessage:
    """Return the message to send for an outbox row: its stored Message-ID, its language, and
    the invitee's current link in place of each slot (see link_slots.fill_links, which raises
    LinkUnavailable for a revoked invitation). Reads the row's invitation; writes nothing."""
    invitation = row.submission.invitation if row.submission is not None else None
    email = EmailMessage()
    email["Subject"] = one_line(row.subject)
    email["From"] = sender_address()
    email["To"] = mail_address(row.to_name, row.to_addr)
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = row.message_id
    email.set_content(fill_links(row.text_body, invitation, row.to_addr),
                      cte="quoted-printable")
    if row.html_body:
        email.add_alternative(fill_links(row.html_body, invitation, row.to_addr),
                              subtype="html", cte="quoted-printable")
    # After the parts: making the message multipart moves every Content-* header into a part.
    email["Content-Language"] = "en" if row.language == "en" else "fr"
    return OutgoingMessage(email, email["To"].addresses[0].addr_spec)

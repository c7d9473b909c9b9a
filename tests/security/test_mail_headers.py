"""Address headers are built from the standard library's Address objects: a typed name with a
comma, quotes and an address stays one display name, never a second recipient."""

import pytest

from intake.mail.delivery import deliver_due
from tests.support.factories import invite

HOSTILE_NAMES = [
    'Eve, "Mallory" <mallory@evil.example>',
    'Édith, "Mallory" <mallory@evil.example>',
    "Eve <mallory@evil.example>, Bob",
    'Eve\\", mallory@evil.example, "x',
]


@pytest.fixture
def mail_app(make_app, smtp):
    """An app whose mail goes to the test SMTP server; its context is pushed."""
    app = make_app(**smtp.config(),
                   MAIL_DEFAULT_SENDER='"Le blogue, « Portraits »" <blog@example.org>')
    with app.app_context():
        yield app


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_display_name_stays_one_recipient(mail_app, smtp, name):
    invite(name=name, email="camille@example.org")
    assert deliver_due().sent == 1
    received = smtp.messages[0]
    recipients = [(a.display_name, a.addr_spec) for a in received["To"].addresses]
    assert recipients == [(name, "camille@example.org")]
    assert smtp.handler.envelopes[0][1] == ["camille@example.org"]
    assert received.get_all("Cc") is None and received.get_all("Bcc") is None
    assert [key for key, value in received.items() if "evil.example" in str(value)] == ["To"]


def test_sender_with_a_comma_stays_one_address(mail_app, smtp):
    invite()
    deliver_due()
    sender = [(a.display_name, a.addr_spec) for a in smtp.messages[0]["From"].addresses]
    assert sender == [("Le blogue, « Portraits »", "blog@example.org")]
    assert smtp.messages[0]["Content-Language"] == "fr"

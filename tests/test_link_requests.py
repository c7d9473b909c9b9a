"""Asking for a new link from the invalid-link page: bloggers told, nothing revealed, limited."""

import re
from datetime import timedelta

from intake.enums import State
from intake.extensions import db
from intake.invitations.link_requests import request_new_link
from intake.models import User, utcnow
from tests.support.factories import BLOGGER_EMAIL, make_invitation, outbox_rows
from tests.support.http import csrf_token

CONFIRMATION = ("Si cette adresse correspond à une invitation, l’équipe du blogue t’enverra "
                "un nouveau lien.")
INVALID_ADDRESS = "Cette adresse courriel n’est pas valide."


def text(response) -> str:
    return response.get_data(as_text=True)


def without_csrf(html: str) -> str:
    """Drop the per-request form tokens so two pages can be compared."""
    return re.sub(r'(content|value)="[A-Za-z0-9._-]{40,}"', "", html)


def add_english_blogger() -> User:
    """Insert a second blogger who reads English; commits."""
    user = User(email="editor@example.org", language="en", name="Ed", welcomed_at=utcnow())
    user.set_password("a long enough password")
    db.session.add(user)
    db.session.commit()
    return user


def ask(client, email):
    """Post the new-link form as a person would."""
    return client.post("/r/new-link", data={"email": email})


def test_matching_address_tells_each_blogger_in_their_language_once_a_day(client, blogger):
    add_english_blogger()
    invitation, _token = make_invitation(name="Camille Tremblay", email="camille@example.org")
    response = ask(client, "Camille@Example.org")
    assert (response.status_code, response.headers["Location"]) == (303, "/r/new-link")
    assert CONFIRMATION in text(client.get("/r/new-link"))
    admin_url = f"https://portraits.example.org/admin/invitations/{invitation.id}"
    rows = outbox_rows("new_link_requested")
    assert [(r.to_addr, r.language, r.status, r.submission_id) for r in rows] == [
        (BLOGGER_EMAIL, "fr", "queued", invitation.submission.id),
        ("editor@example.org", "en", "queued", invitation.submission.id),
    ]
    french, english = rows
    assert french.subject == "Nouveau lien demandé : Camille Tremblay"
    assert ("Camille Tremblay (camille@example.org) demande un nouveau lien pour répondre au "
            "questionnaire") in french.text_body
    assert admin_url in french.text_body
    assert f'<a href="{admin_url}">Ouvrir l’invitation</a>' in french.html_body
    assert english.subject == "New link requested: Camille Tremblay"
    assert "Camille Tremblay (camille@example.org) is asking for a new link" in english.text_body
    assert admin_url in english.text_body
    assert ask(client, "camille@example.org").status_code == 303
    assert len(outbox_rows("new_link_requested")) == 2


def test_next_day_request_tells_the_bloggers_again(app, blogger):
    invitation, _token = make_invitation()
    request_new_link("camille@example.org")
    request_new_link("camille@example.org", now=utcnow() + timedelta(days=1))
    db.session.commit()
    assert len(outbox_rows("new_link_requested")) == 2


def test_unknown_address_gets_the_same_answer_and_queues_nothing(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.session.add(User(email=BLOGGER_EMAIL, password_hash="x"))
        make_invitation(email="camille@example.org")
    answers = []
    for email in ("camille@example.org", "nobody@example.org"):
        client = app.test_client()
        csrf = csrf_token(text(client.get("/r/not-a-link")))
        posted = client.post("/r/new-link", data={"email": email, "csrf_token": csrf})
        followed = client.get(posted.headers["Location"])
        answers.append((posted.status_code, posted.headers["Location"], text(posted),
                        followed.status_code, without_csrf(text(followed))))
    assert answers[0] == answers[1]
    assert CONFIRMATION in answers[0][4]
    with app.app_context():
        assert [r.dedupe_key.split(":")[0] for r in outbox_rows()] == ["new_link_requested"]


def test_closed_invitations_are_not_renewed_but_expired_ones_are(app, blogger):
    revoked, _ = make_invitation(email="revoked@example.org")
    revoked.revoked_at = utcnow()
    withdrawn, _ = make_invitation(email="withdrawn@example.org")
    withdrawn.submission.state = State.WITHDRAWN
    rejected, _ = make_invitation(email="rejected@example.org")
    rejected.submission.state = State.REJECTED
    expired, _ = make_invitation(email="expired@example.org", days=-3)
    db.session.commit()
    counts = [request_new_link(f"{who}@example.org")
              for who in ("revoked", "withdrawn", "rejected", "expired")]
    db.session.commit()
    assert counts == [0, 0, 0, 1]
    assert [r.submission_id for r in outbox_rows()] == [expired.submission.id]


def test_bad_or_hostile_address_is_refused_on_the_form_and_queues_nothing(make_app):
    app = make_app(NEW_LINK_RATE_LIMIT="20 per hour")
    client = app.test_client()
    cases = {
        "": "Indique l’adresse courriel à laquelle tu as reçu l’invitation.",
        "pas une adresse": INVALID_ADDRESS,
        "camille@example.org\r\nBcc: all@example.org": INVALID_ADDRESS,
        "<script>alert(1)</script>@example.org": INVALID_ADDRESS,
        "a" * 5000 + "@example.org": INVALID_ADDRESS,
    }
    with app.app_context():
        db.session.add(User(email=BLOGGER_EMAIL, password_hash="x"))
        make_invitation(email="camille@example.org")
        for email, message in cases.items():
            response = ask(client, email)
            page = text(response)
            assert response.status_code == 422, email
            assert message in page, email
            assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;@example.org" in text(
            ask(client, "<script>alert(1)</script>@example.org"))
        assert outbox_rows() == []


def test_requests_have_their_own_budget_apart_from_the_token_guesses(make_app):
    app = make_app(NEW_LINK_RATE_LIMIT="3 per hour", TOKEN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    with app.app_context():
        _, token = make_invitation()
    codes = [ask(client, "nobody@example.org").status_code for _ in range(3)]
    codes.append(ask(client, "pas une adresse").status_code)
    codes.append(client.get(f"/r/{token}").status_code)
    codes += [client.get(f"/r/guess{n}").status_code for n in range(3)]
    assert codes == [303, 303, 303, 429, 200, 404, 404, 429]
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    codes = [guesser.get(f"/r/guess{n}").status_code for n in range(3)]
    codes.append(ask(guesser, "nobody@example.org").status_code)
    assert codes == [404, 404, 429, 303]


def test_invalid_link_and_request_pages_never_show_a_blogger_address(make_app):
    app = make_app(BLOGGER_NOTIFY_EMAIL="notices@example.org")
    client = app.test_client()
    with app.app_context():
        db.session.add(User(email=BLOGGER_EMAIL, password_hash="x"))
        make_invitation(email="camille@example.org")
    pages = [client.get("/r/not-a-link"), client.get("/r/new-link"),
             ask(client, "pas une adresse"), ask(client, "camille@example.org")]
    assert [p.status_code for p in pages] == [404, 200, 422, 303]
    for page in map(text, pages):
        assert BLOGGER_EMAIL not in page
        assert "notices@example.org" not in page
        assert "mailto:" not in page
    assert 'action="/r/new-link"' in text(pages[0])


def test_expired_form_token_keeps_the_address_and_sends_nothing(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        make_invitation(email="camille@example.org")
    response = client.post("/r/new-link", data={"email": "camille@example.org",
                                                "csrf_token": "expired"})
    page = text(response)
    assert response.status_code == 400
    assert "Ta session a expiré, alors rien n’a été envoyé." in page
    assert 'value="camille@example.org"' in page
    with app.app_context():
        assert outbox_rows() == []

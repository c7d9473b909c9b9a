"""Login, logout, rate limits, and the login wall around every blogger page."""

import re

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import User
from tests.support.factories import BLOGGER_EMAIL, BLOGGER_PASSWORD
from tests.support.http import log_in


def test_login_with_right_password_opens_dashboard(client, blogger):
    response = log_in(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_login_wrong_password_says_so_in_french(client, blogger):
    response = log_in(client, password="wrong password")
    assert response.status_code == 200
    assert "Adresse courriel ou mot de passe incorrect." in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_login_unknown_account_gives_same_message(client, blogger):
    response = log_in(client, email="nobody@example.org")
    assert "Adresse courriel ou mot de passe incorrect." in response.get_data(as_text=True)


def test_login_wrong_password_in_english_after_switch(client, blogger):
    client.post("/language", data={"language": "en", "next": "/login"})
    response = log_in(client, password="wrong password")
    assert "Wrong email address or password." in response.get_data(as_text=True)


def test_login_email_is_case_insensitive(client, blogger):
    assert log_in(client, email=BLOGGER_EMAIL.upper()).status_code == 303


def test_login_next_never_leaves_the_site(client, blogger):
    response = client.post(
        "/login?next=//evil.example/x", data={"email": BLOGGER_EMAIL, "password": BLOGGER_PASSWORD}
    )
    assert response.headers["Location"] == "/admin/"


def test_login_rate_limit_answers_429(make_app):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [log_in(client, password="bad").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Trop de tentatives" in log_in(client).get_data(as_text=True)


def test_logout_requires_post_and_ends_session(blogger_client):
    assert blogger_client.get("/logout").status_code == 405
    assert blogger_client.post("/logout").status_code == 303
    assert blogger_client.get("/admin/").status_code == 302


def test_password_change_replaces_hash(blogger_client):
    response = blogger_client.post(
        "/account/password",
        data={"current": BLOGGER_PASSWORD, "new": "a brand new secret",
              "confirm": "a brand new secret"},
    )
    assert response.status_code == 303
    user = db.session.scalar(select(User).where(User.email == BLOGGER_EMAIL))
    db.session.refresh(user)
    assert user.check_password("a brand new secret")
    assert not user.check_password(BLOGGER_PASSWORD)


def test_password_change_wrong_current_refused(blogger_client):
    response = blogger_client.post(
        "/account/password",
        data={"current": "nope", "new": "a brand new secret", "confirm": "a brand new secret"},
    )
    assert "Le mot de passe actuel est incorrect." in response.get_data(as_text=True)


def blogger_urls(app):
    """Yield a concrete URL for every blogger rule in the URL map, with dummy arguments."""
    for rule in app.url_map.iter_rules():
        if not (rule.endpoint.startswith("review.") or rule.endpoint == "auth.password"):
            continue
        url = re.sub(r"<(?:int:)?(\w+)>", "1", rule.rule)
        url = re.sub(r"<[^>]+>", "x", url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


def test_every_blogger_url_sends_anonymous_visitor_to_login(app, client):
    urls = list(blogger_urls(app))
    assert len(urls) >= 2
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login?next="), (method, url)


@pytest.mark.parametrize("path", ["/login", "/admin/", "/nowhere"])
def test_security_headers_on_pages(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_not_found_page_in_french(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_session_cookie_flags(client, blogger):
    response = log_in(client)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie

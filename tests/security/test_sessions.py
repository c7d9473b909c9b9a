"""Sessions can be ended: logout and a new password close every older session."""

from sqlalchemy import select

from intake.extensions import db
from intake.models import User
from tests.support.factories import BLOGGER_EMAIL, BLOGGER_PASSWORD
from tests.support.http import log_in

NEW_PASSWORD = "a brand new secret"
LOGIN_WALL = "/login?next=%2Fadmin%2F"  # where a visitor without a session is sent


def logged_in_client(app):
    """Return a new client (another browser) logged in as the blogger."""
    client = app.test_client()
    assert log_in(client).status_code == 303
    return client


def session_cookie(client) -> str:
    """Return the value of the client's session cookie."""
    return client.get_cookie("session").value


def test_cookie_saved_before_logout_no_longer_opens_the_dashboard(app, blogger):
    client = logged_in_client(app)
    saved = session_cookie(client)
    assert client.get("/admin/").status_code == 200
    assert client.post("/logout").status_code == 303

    replay = app.test_client()
    replay.set_cookie("session", saved)
    response = replay.get("/admin/")
    assert (response.status_code, response.headers["Location"]) == (302, LOGIN_WALL)


def test_logout_ends_the_sessions_on_other_devices(app, blogger):
    laptop, phone = logged_in_client(app), logged_in_client(app)
    assert laptop.post("/logout").status_code == 303
    assert phone.get("/admin/").status_code == 302


def test_password_change_ends_other_sessions_and_keeps_this_one(app, blogger):
    laptop, phone = logged_in_client(app), logged_in_client(app)
    response = laptop.post("/account/password", data={
        "current": BLOGGER_PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (303, "/account")

    assert laptop.get("/admin/").status_code == 200
    assert laptop.get("/account").status_code == 200
    response = phone.get("/admin/")
    assert (response.status_code, response.headers["Location"]) == (302, LOGIN_WALL)
    assert log_in(phone, password=NEW_PASSWORD).status_code == 303
    assert phone.get("/admin/").status_code == 200


def test_cookie_from_before_a_password_change_stays_closed(app, blogger):
    old = logged_in_client(app)
    saved = session_cookie(old)
    other = logged_in_client(app)
    other.post("/account/password", data={
        "current": BLOGGER_PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    replay = app.test_client()
    replay.set_cookie("session", saved)
    assert replay.get("/admin/").status_code == 302


def test_refused_password_change_ends_nothing(app, blogger):
    laptop, phone = logged_in_client(app), logged_in_client(app)
    laptop.post("/account/password", data={
        "current": "not my password", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert phone.get("/admin/").status_code == 200
    user = db.session.scalar(select(User).where(User.email == BLOGGER_EMAIL))
    assert user.session_version == 0


def test_welcome_step_ends_sessions_of_the_one_time_password(make_app):
    from intake.auth.accounts import ensure_first_user

    app = make_app()
    with app.app_context():
        user, one_time = ensure_first_user()
        db.session.commit()
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        response = log_in(client, email="admin@example.org", password=one_time)
        assert response.headers["Location"] == "/welcome"
    response = first.post("/welcome", data={
        "name": "Marie", "email": BLOGGER_EMAIL, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "timezone": "America/Toronto"})
    assert (response.status_code, response.headers["Location"]) == (303, "/admin/")
    assert first.get("/admin/").status_code == 200
    assert second.get("/admin/").headers["Location"] == LOGIN_WALL

"""The first account: welcome step (name, real email, own password, time zone), account page,
and dates in the blog's time zone."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from intake.auth.accounts import ensure_first_user
from intake.enums import State
from intake.extensions import db
from intake.i18n import blog_timezone, local_date
from intake.models import BlogSetting, Submission, User
from tests.support.factories import BLOGGER_EMAIL, make_submission
from tests.support.http import log_in

WELCOME = {"name": "Marie-Ève Gagnon", "email": "marie-eve@blogue.example.com",
           "new": "un mot de passe à moi", "confirm": "un mot de passe à moi",
           "timezone": "America/Vancouver"}


def first_login(client):
    """Create the account `setup` creates and log in with its printed password."""
    user, password = ensure_first_user()
    db.session.commit()
    response = log_in(client, user.email, password)
    return user, password, response


def errors_on(page: str) -> list[str]:
    """Return the field error messages of a page."""
    return [m.strip() for m in re.findall(r'class="error-message"[^>]*>([^<]*)<', page)]


def test_first_login_goes_to_the_welcome_step_and_admin_pages_wait(client):
    _user, _password, response = first_login(client)

    assert (response.status_code, response.headers["Location"]) == (303, "/welcome")
    assert client.get("/admin/").headers["Location"] == "/welcome"
    assert client.get("/admin/invitations").headers["Location"] == "/welcome"


def test_welcome_refuses_an_address_mail_cannot_reach_and_changes_nothing(client):
    user, password, _response = first_login(client)

    response = client.post("/welcome", data={**WELCOME, "email": "admin@localhost"})

    assert response.status_code == 200
    assert errors_on(response.get_data(as_text=True)) == [
        "«\u00a0admin@localhost\u00a0» n’est pas une adresse courriel que le courrier peut "
        "joindre (The "
        "part after the @-sign is not valid. It should have a period.). Indiquez une adresse "
        "complète, par exemple nom@exemple.com."]
    db.session.refresh(user)
    assert (user.email, user.name, user.welcomed_at) == ("admin@example.org", "", None)
    assert user.check_password(password)


def test_welcome_sets_name_email_password_and_time_zone(client):
    user, password, _response = first_login(client)

    response = client.post("/welcome", data=WELCOME)

    assert (response.status_code, response.headers["Location"]) == (303, "/admin/")
    db.session.refresh(user)
    assert (user.email, user.name) == ("marie-eve@blogue.example.com", "Marie-Ève Gagnon")
    assert user.welcomed_at is not None
    assert not user.check_password(password)
    assert db.session.get(BlogSetting, "timezone").value == "America/Vancouver"
    assert client.get("/admin/").status_code == 200
    client.post("/logout")
    assert log_in(client, "marie-eve@blogue.example.com", WELCOME["new"]).headers[
        "Location"] == "/admin/"


def test_welcome_refuses_an_unknown_time_zone(client):
    user, _password, _response = first_login(client)

    response = client.post("/welcome", data={**WELCOME, "timezone": "Mars/Olympus_Mons"})

    assert response.status_code == 200
    assert errors_on(response.get_data(as_text=True)) == [
        "Choisissez un fuseau horaire de la liste."]
    assert db.session.scalar(select(User.welcomed_at)) is None


def test_account_page_changes_name_and_email_and_refuses_a_taken_address(blogger_client):
    other = User(email="autre@example.org", name="Autre", password_hash="x")
    db.session.add(other)
    db.session.commit()

    taken = blogger_client.post("/account", data={
        "name": "Marie", "email": "autre@example.org", "language": "fr",
        "timezone": "America/Toronto"})
    saved = blogger_client.post("/account", data={
        "name": "Marie B.", "email": "marie@blogue.example.com", "language": "en",
        "timezone": "America/Halifax"})

    assert errors_on(taken.get_data(as_text=True)) == [
        "Un compte existe déjà pour autre@example.org."]
    assert saved.status_code == 303
    me = db.session.scalar(select(User).where(User.email == "marie@blogue.example.com"))
    assert (me.name, me.language) == ("Marie B.", "en")
    assert blog_timezone() == "America/Halifax"
    assert db.session.scalar(select(User).where(User.email == BLOGGER_EMAIL)) is None


def zone_where_today_differs_from_utc() -> tuple[str, datetime]:
    """Return a time zone whose local date differs from UTC's right now, and now."""
    now = datetime.now(UTC)
    zone = "Etc/GMT+12" if now.hour < 12 else "Etc/GMT-14"  # UTC-12 or UTC+14
    return zone, now


def test_publication_date_is_the_date_in_the_blog_time_zone(blogger_client):
    zone, now = zone_where_today_differs_from_utc()
    db.session.add(BlogSetting(key="timezone", value=zone))
    submission = make_submission(State.APPROVED)

    response = blogger_client.post(f"/admin/submissions/{submission.id}/decide/publish",
                                   data={"version": submission.version})

    assert response.status_code == 303
    published = db.session.get(Submission, submission.id)
    assert published.state == State.PUBLISHED
    assert published.publication_date == now.astimezone(ZoneInfo(zone)).date()
    assert published.publication_date != now.date()


def test_local_date_of_an_evening_in_quebec_is_that_day(app):
    evening = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)  # 19:30 on the 29th in Toronto

    assert local_date(evening).isoformat() == "2026-11-29"


def test_review_timeline_times_are_in_the_blog_time_zone(blogger_client):
    submission = make_submission(State.SUBMITTED)
    submission.updated_at = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)
    db.session.commit()

    toronto = blogger_client.get("/admin/").get_data(as_text=True)
    db.session.add(BlogSetting(key="timezone", value="Asia/Tokyo"))
    tokyo = blogger_client.get("/admin/").get_data(as_text=True)

    assert ">29/11/2026 19:30<" in toronto
    assert ">30/11/2026 09:30<" in tokyo

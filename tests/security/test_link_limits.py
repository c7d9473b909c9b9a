"""The invitee's two budgets: guessing links per address never blocks a valid link, and
writes per link (whatever the address) stop a runaway script. In-process, then under two
gunicorn workers sharing the counts in Redis."""

import json
import secrets

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.links import hash_token
from intake.models import Invitation, Submission
from tests.security.test_rate_limits import visitor
from tests.support.databases import redis_uri_or_skip
from tests.support.factories import make_invitation, question
from tests.support.http import Browser
from tests.support.servers import Gunicorn

JSON = {"Accept": "application/json"}


def display_name(token: str) -> str:
    """Return the stored display name of a link's submission, read afresh."""
    db.session.rollback()
    return db.session.scalar(select(Submission.display_name).join(Submission.invitation)
                             .where(Invitation.token_sha256 == hash_token(token)))


def test_an_address_out_of_guesses_still_opens_and_saves_its_valid_link(make_app):
    app = make_app(TOKEN_RATE_LIMIT="3 per minute")
    with app.app_context():
        _invitation, token = make_invitation()
    person = visitor(app, "198.51.100.7")
    guesses = [person.get(f"/r/{secrets.token_urlsafe(32)}").status_code for _ in range(5)]
    assert guesses == [404, 404, 404, 429, 429]
    page = person.get(f"/r/{token}")
    assert (page.status_code, page.headers["Cache-Control"]) == (200, "no-store")
    saved = person.post(f"/r/{token}/save", data={"display_name": "Camille T."}, headers=JSON)
    assert saved.status_code == 200
    assert person.get(f"/r/{token}/photos/portrait.jpg").status_code == 404  # no photo yet
    refused = person.get(f"/r/{secrets.token_urlsafe(32)}")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    with app.app_context():
        assert display_name(token) == "Camille T."


def test_a_guess_without_csrf_token_counts_like_any_other(make_app):
    app = make_app(TOKEN_RATE_LIMIT="2 per minute", WTF_CSRF_ENABLED=True)
    guesser = visitor(app, "198.51.100.8")
    codes = [guesser.post(f"/r/{secrets.token_urlsafe(32)}/save").status_code
             for _ in range(3)]
    assert codes == [404, 404, 429]


def test_saves_are_limited_per_link_whatever_the_address(make_app):
    app = make_app(SAVE_RATE_LIMIT="3 per minute")
    with app.app_context():
        _invitation, token = make_invitation()
        _other, other_token = make_invitation(email="autre@example.org")
        studies = question("studies").id
    home, phone = visitor(app, "198.51.100.10"), visitor(app, "203.0.113.20")
    codes = [home.post(f"/r/{token}/save", data={"display_name": f"Nom {n}"},
                       headers=JSON).status_code for n in range(3)]
    refused = phone.post(f"/r/{token}/save", data={"display_name": "Trop"}, headers=JSON)
    assert codes + [refused.status_code] == [200, 200, 200, 429]
    assert refused.get_json() == {
        "error": "too_many_saves",
        "message": "Trop d’enregistrements en peu de temps : réessai dans un instant. Ce que "
                   "vous avez tapé reste sur cette page."}
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # Without JavaScript: the page again, as typed, and nothing saved.
    page = home.post(f"/r/{token}/save", data={"display_name": "Tapé", f"q{studies}": "Gardé"})
    text = page.get_data(as_text=True)
    assert page.status_code == 429
    assert "Trop d’enregistrements en peu de temps : rien n’a été enregistré" in text
    assert 'value="Tapé"' in text and "\nGardé</textarea>" in text
    assert home.get(f"/r/{token}").status_code == 200  # reading is never limited
    assert home.post(f"/r/{other_token}/save", data={}, headers=JSON).status_code == 200
    with app.app_context():
        assert display_name(token) == "Nom 2"


@pytest.mark.slow
def test_both_budgets_are_shared_by_gunicorn_workers_in_redis(app, tmp_path):
    _invitation, token = make_invitation()
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SECRET_KEY": "s" * 32, "BASE_URL": "http://127.0.0.1",
                "RATELIMIT_STORAGE_URI": redis_uri_or_skip(),
                "RATELIMIT_KEY_PREFIX": "test-" + secrets.token_hex(6),
                "TOKEN_RATE_LIMIT": "4 per minute", "SAVE_RATE_LIMIT": "5 per minute"}
    with Gunicorn(settings, tmp_path / "live-instance", workers=2) as server:
        person = Browser(server.url)
        guesses = [person.get(f"/r/{secrets.token_urlsafe(32)}").status_code for _ in range(7)]
        opened = [person.get(f"/r/{token}").status_code for _ in range(4)]
        saves = [person.post(f"/r/{token}/save", {"display_name": f"Nom {number}"},
                             headers=JSON) for number in range(8)]
    assert guesses == [404] * 4 + [429] * 3
    assert opened == [200] * 4
    assert [response.status_code for response in saves] == [200] * 5 + [429] * 3
    assert json.loads(saves[-1].text)["error"] == "too_many_saves"
    assert display_name(token) == "Nom 4"

"""Under real gunicorn: the `Location` it writes stays on the site, and hostile numbers answer
our own error pages with the security headers (never gunicorn's bare page)."""

import html
import re

import pytest

from intake.auth.accounts import create_user
from intake.enums import State
from intake.extensions import db
from tests.support.factories import BLOGGER_EMAIL, BLOGGER_NAME, BLOGGER_PASSWORD, make_submission
from tests.support.http import Browser
from tests.support.servers import Gunicorn

HUGE = str(10**30)


def assert_our_error_page(response, code: int, title: str) -> None:
    """Check the answer is the app's error page with its security headers."""
    assert response.status_code == code
    assert title in response.text
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.slow
def test_hostile_redirects_and_numbers_under_gunicorn(app, tmp_path):
    create_user(BLOGGER_EMAIL, BLOGGER_PASSWORD, name=BLOGGER_NAME)
    submission = make_submission(State.SUBMITTED)
    answer_id = submission.answers[0].id
    db.session.commit()
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SECRET_KEY": "s" * 32, "BASE_URL": "http://127.0.0.1"}
    with Gunicorn(settings, tmp_path / "live-instance") as server:
        login = {"email": BLOGGER_EMAIL, "password": BLOGGER_PASSWORD}
        for query in ("/%09/evil.example", "/%0d%0a/evil.example", "/%5C/evil.example"):
            visitor = Browser(server.url)
            response = visitor.submit("/login", f"/login?next={query}", login)
            assert (response.status_code, response.headers["Location"]) == (303, "/admin/")

        reader = Browser(server.url)
        page = reader.get("/%09/evil.example")
        assert page.status_code == 404
        footer_next = html.unescape(re.search(r'name="next" value="([^"]*)"', page.text)[1])
        response = reader.post("/language", {"language": "en", "next": footer_next})
        assert (response.status_code, response.headers["Location"]) == (303, "/admin/")

        blogger = Browser(server.url)
        assert blogger.submit("/login", "/login", login).status_code == 303
        assert_our_error_page(blogger.get(f"/admin/submissions/{HUGE}"), 404, "Page introuvable")
        assert_our_error_page(blogger.get(f"/admin/?page={HUGE}"), 400, "Requête invalide")
        response = blogger.submit(f"/admin/submissions/{submission.id}",
                                  f"/admin/submissions/{submission.id}/answers",
                                  {f"position-{answer_id}": HUGE})
        assert_our_error_page(response, 400, "Requête invalide")
        assert blogger.get("/admin/").headers["Cache-Control"] == "no-store"

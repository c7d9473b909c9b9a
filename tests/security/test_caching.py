"""Caching and browser features: blogger pages are never stored, a public page that sets a
cookie is never shared, and every answer denies the browser features no page uses."""

import pytest

from intake.enums import State
from tests.security.helpers import concrete_rules
from tests.support.factories import make_submission

PRIVATE_PAGES = ("auth.account", "auth.password", "auth.welcome", "auth.login")
DENIED_FEATURES = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()",
                   "interest-cohort=()", "browsing-topics=()")


def test_every_blogger_page_is_no_store(blogger_client, app):
    submission = make_submission(State.PUBLISHED)
    pages = [(url, endpoint) for _, url, endpoint in concrete_rules(app, submission, ("GET",))
             if endpoint.startswith("review.") or endpoint in PRIVATE_PAGES]
    assert len(pages) >= 12
    for url, endpoint in pages:
        response = blogger_client.get(url)
        # No email exists here: the message page answers its 404, which is no-store as well.
        expected = 404 if endpoint == "review.outbox_message" else 200
        assert response.status_code == expected, (endpoint, response.status_code)
        assert "no-store" in response.headers["Cache-Control"], endpoint


def test_blogger_form_answers_are_no_store_too(blogger_client):
    response = blogger_client.post("/account/password", data={"current": "wrong"})
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store")


def public_pages(submission) -> list[str]:
    """Return the reader's HTML pages for a published portrait."""
    return ["/", f"/portraits/{submission.slug}"]


def test_public_pages_are_shared_cacheable_without_cookies(client):
    submission = make_submission(State.PUBLISHED)
    for url in public_pages(submission):
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url
        assert response.headers["Cache-Control"] == "public, max-age=60", url


def test_public_page_that_sets_a_cookie_is_never_shared_cacheable(client):
    make_submission(State.PUBLISHED)
    # The index shows flashed messages. A post page is stored bytes that show none: it leaves
    # the session alone (tests/test_reader_pages.py).
    for url in ["/"]:
        # A blogger page visited logged out leaves "log in to see this page" in the session;
        # the next page shows it and writes the emptied session back: Set-Cookie.
        assert client.get("/admin/").status_code == 302
        response = client.get(url)
        assert "Set-Cookie" in response.headers, url
        cache = response.headers.get("Cache-Control", "")
        assert "public" not in cache, (url, cache)


def test_public_page_after_a_flash_is_private_with_its_max_age(client):
    make_submission(State.PUBLISHED)
    client.get("/admin/")  # a flashed message waits in the visitor's cookie
    response = client.get("/")  # shows it: the cookie is written again
    assert "Set-Cookie" in response.headers
    assert response.headers["Cache-Control"] == "max-age=60, private"


def test_stored_post_page_sets_no_cookie_and_stays_public_after_a_flash(client):
    submission = make_submission(State.PUBLISHED)
    client.get("/admin/")
    response = client.get(f"/portraits/{submission.slug}")  # stored bytes, no session read
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("path", ["/", "/login", "/nowhere", "/admin/submissions/x"])
def test_permissions_policy_denies_unused_features(client, path):
    policy = client.get(path).headers["Permissions-Policy"]
    for feature in DENIED_FEATURES:
        assert feature in policy.split(", "), feature


def test_every_page_denies_unused_browser_features(blogger_client, app):
    submission = make_submission(State.PUBLISHED)
    for _, url, endpoint in concrete_rules(app, submission, methods=("GET",)):
        response = blogger_client.get(url)
        response.close()  # static files are sent from an open file
        policy = response.headers.get("Permissions-Policy", "")
        assert "camera=()" in policy.split(", "), endpoint

"""Redirects after a form (`next`) stay on this site, as the browser will read them."""

import html
import re
from urllib.parse import quote

import pytest

from tests.support.factories import BLOGGER_EMAIL, BLOGGER_PASSWORD

DASHBOARD = "/admin/"
# Targets that leave the site once Werkzeug writes `Location` (it drops TAB, CR and LF) or once
# a browser reads it (it also strips control characters and spaces at the ends, and reads `\`
# as `/`); and targets Werkzeug refuses to write at all (a newline used to answer 500).
HOSTILE_TARGETS = [
    "/\t/evil.example",
    "/\r/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/\t\\evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\x00/evil.example",
    "/\x0b/evil.example",
    "/\x1f/evil.example",
    " //evil.example",
    "//evil.example",
    "///evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
]
KEPT_TARGETS = ["/admin/outbox?status=failed", "/portraits/camille-roy", "/admin/?q=marie%20roy"]


def log_in_to(client, target: str):
    """Post the right password to /login?next=<target> (percent-encoded as a link carries it)."""
    return client.post(f"/login?next={quote(target, safe='')}",
                       data={"email": BLOGGER_EMAIL, "password": BLOGGER_PASSWORD})


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_login_next_that_would_leave_the_site_goes_to_the_dashboard(client, blogger, target):
    response = log_in_to(client, target)
    assert (response.status_code, response.headers["Location"]) == (303, DASHBOARD)


@pytest.mark.parametrize("target", KEPT_TARGETS)
def test_login_next_on_this_site_is_followed(client, blogger, target):
    response = log_in_to(client, target)
    assert (response.status_code, response.headers["Location"]) == (303, target)


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_language_switch_next_that_would_leave_the_site_goes_to_the_dashboard(client, target):
    response = client.post("/language", data={"language": "en", "next": target})
    assert (response.status_code, response.headers["Location"]) == (303, DASHBOARD)


def test_language_switch_from_a_hostile_404_url_stays_on_the_site(client):
    page = client.get("/%09/evil.example")
    assert page.status_code == 404
    footer_next = re.search(r'name="next" value="([^"]*)"', page.get_data(as_text=True))
    target = html.unescape(footer_next.group(1))
    assert target == "/\t/evil.example?"
    response = client.post("/language", data={"language": "en", "next": target})
    assert (response.status_code, response.headers["Location"]) == (303, DASHBOARD)


def test_language_switch_keeps_the_page_it_was_on(client):
    response = client.post("/language", data={"language": "en", "next": "/portraits/x?y=1"})
    assert (response.status_code, response.headers["Location"]) == (303, "/portraits/x?y=1")


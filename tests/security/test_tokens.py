"""Invitation links: every bad token answers the same page; guessing is limited everywhere."""

import http.client
import re
import secrets
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from intake.extensions import db
from intake.invitations import operations
from intake.links import token_for
from intake.models import AuditEvent, Submission, utcnow
from tests.support.databases import redis_uri_or_skip
from tests.support.factories import make_invitation
from tests.support.http import without_csrf_token
from tests.support.servers import Gunicorn


def bad_tokens() -> dict[str, str]:
    """Create invitations in every dead state; return a bad token for each kind of failure."""
    _expired, expired_token = make_invitation(email="e@example.org", days=-1)
    revoked, revoked_token = make_invitation(email="r@example.org")
    operations.revoke(revoked, "tester")
    regenerated, old_token = make_invitation(email="g@example.org")
    operations.regenerate_link(regenerated, "tester")
    _live, live_token = make_invitation(email="l@example.org")
    db.session.commit()
    tampered = live_token[:-1] + ("A" if live_token[-1] != "A" else "B")
    return {"random": secrets.token_urlsafe(32), "expired": expired_token,
            "revoked": revoked_token, "regenerated-old": old_token, "tampered": tampered,
            "truncated": live_token[:20], "overlong": live_token * 4, "unicode": "é" * 43}


def test_every_bad_token_answers_the_same_404_page(app, client):
    pages = {}
    for kind, token in bad_tokens().items():
        response = client.get(f"/r/{token}")
        assert response.status_code == 404, kind
        assert response.headers["Cache-Control"] == "no-store", kind
        pages[kind] = without_csrf_token(response.get_data(as_text=True))
    assert len(set(pages.values())) == 1
    assert re.findall(r"<h1>(.*?)</h1>", pages["random"]) == ["Ce lien n’est pas valide"]


def test_bad_tokens_on_post_routes_answer_404_and_change_nothing(app, client):
    tokens = bad_tokens()
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    for kind, token in tokens.items():
        for path in ("save", "submit"):
            assert client.post(f"/r/{token}/{path}").status_code == 404, (kind, path)
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before


def test_opening_a_link_many_times_never_uses_it_up(app, client):
    invitation, token = make_invitation()
    for _ in range(5):
        assert client.get(f"/r/{token}").status_code == 200
    submission = db.session.get(Submission, invitation.submission.id)
    assert (submission.state, submission.version) == ("invited", 1)
    assert token_for(invitation) == token


def test_trusted_hosts_refuse_a_forged_host(make_app):
    app = make_app(TRUSTED_HOSTS=["portraits.example.org"])
    client = app.test_client()
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/login", headers={"Host": "portraits.example.org"}).status_code == 200


@pytest.mark.slow
def test_guessing_is_limited_across_workers_with_redis(app, tmp_path):
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SECRET_KEY": "s" * 32, "BASE_URL": "http://127.0.0.1",
                "RATELIMIT_STORAGE_URI": redis_uri_or_skip(),
                "RATELIMIT_KEY_PREFIX": "test-" + secrets.token_hex(6),
                "TOKEN_RATE_LIMIT": "5 per minute"}
    statuses = []
    with Gunicorn(settings, tmp_path / "live-instance", workers=3) as server:
        for _ in range(12):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            connection.request("GET", f"/r/{secrets.token_urlsafe(32)}")
            statuses.append(connection.getresponse().status)
            connection.close()
            time.sleep(0.02)
    assert statuses == [404] * 5 + [429] * 7


def test_expiry_is_checked_on_post_too(app, client):
    invitation, token = make_invitation()
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.post(f"/r/{token}/save", data={"display_name": "x"}).status_code == 404

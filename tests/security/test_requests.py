"""Request defences: CSRF on every POST, no state change on GET, size limits, headers."""

import pytest
from sqlalchemy import func, select

from intake.auth.accounts import create_user
from intake.enums import State
from intake.extensions import db
from intake.models import AuditEvent, OutboxMessage, Submission
from tests.security.helpers import concrete_rules
from tests.support.factories import BLOGGER_EMAIL, BLOGGER_NAME, BLOGGER_PASSWORD, make_submission
from tests.support.http import csrf_token, log_in
from tests.support.servers import Gunicorn


@pytest.fixture
def csrf_app(make_app):
    """An app with CSRF protection on, a blogger and a submitted portrait."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        create_user(BLOGGER_EMAIL, BLOGGER_PASSWORD, name=BLOGGER_NAME)
        db.session.commit()
        yield app


def effects() -> tuple:
    """Return a fingerprint of every state change and email so far."""
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(AuditEvent.id))),
        db.session.scalar(select(func.count(OutboxMessage.id))),
        tuple(db.session.execute(select(Submission.id, Submission.state, Submission.version))),
    )


def test_every_post_route_refuses_missing_csrf_token(csrf_app):
    submission = make_submission(State.SUBMITTED)
    client = csrf_app.test_client()
    assert log_in(client, csrf=True).status_code == 303
    before = effects()
    routes = list(concrete_rules(csrf_app, submission))
    assert len(routes) >= 10
    for method, url, endpoint in routes:
        response = client.open(url, method=method, data={"version": submission.version})
        assert response.status_code == 400, (endpoint, response.status_code)
    assert effects() == before


def test_every_post_route_refuses_foreign_csrf_token(csrf_app):
    submission = make_submission(State.SUBMITTED)
    stranger = csrf_app.test_client()
    foreign = csrf_token(stranger.get("/login").get_data(as_text=True))
    client = csrf_app.test_client()
    assert log_in(client, csrf=True).status_code == 303
    before = effects()
    for method, url, endpoint in concrete_rules(csrf_app, submission):
        response = client.open(url, method=method,
                               data={"csrf_token": foreign, "version": submission.version})
        assert response.status_code == 400, endpoint
    assert effects() == before


def test_post_only_routes_refuse_get_without_effect(blogger_client, app):
    submission = make_submission(State.SUBMITTED)
    before = effects()
    readable = {url for _, url, _ in concrete_rules(app, submission, methods=("GET",))}
    post_only = [(url, endpoint) for _, url, endpoint in concrete_rules(app, submission)
                 if url not in readable]
    assert len(post_only) >= 8
    for url, endpoint in post_only:
        assert blogger_client.get(url).status_code == 405, endpoint
    assert effects() == before


def test_every_get_page_sends_protective_headers(blogger_client, app):
    submission = make_submission(State.PUBLISHED)
    for _, url, endpoint in concrete_rules(app, submission, methods=("GET",)):
        with blogger_client.get(url) as response:  # closes the files send_file opened
            headers = response.headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], endpoint
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"], endpoint
        assert headers["X-Content-Type-Options"] == "nosniff", endpoint
        assert headers["Referrer-Policy"] == "same-origin", endpoint


def test_too_many_form_parts_answer_413(client):
    data = {f"field{i}": "x" for i in range(1001)}
    response = client.post("/login", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Ce formulaire envoie plus de 200 champs" in response.get_data(as_text=True)


@pytest.mark.slow
def test_oversized_upload_answers_friendly_413_under_gunicorn(app, tmp_path):
    import socket

    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SECRET_KEY": "s" * 32, "BASE_URL": "http://127.0.0.1"}
    with Gunicorn(settings, tmp_path / "live-instance") as server:
        body = b"--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"x.jpg\"\r\n" \
               b"Content-Type: image/jpeg\r\n\r\n" + b"\xff" * (12 * 1024 * 1024) + b"\r\n--b--\r\n"
        head = (f"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
                "Content-Type: multipart/form-data; boundary=b\r\nConnection: close\r\n\r\n")
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(head.encode() + body)
            reply = b""
            while chunk := sock.recv(65536):
                reply += chunk
    status_line, _, rest = reply.decode(errors="replace").partition("\r\n")
    assert status_line == "HTTP/1.1 413 REQUEST ENTITY TOO LARGE"
    assert "Fichier trop volumineux" in rest

"""Shared fixtures: app, client, runner, a logged-in blogger and a real SMTP server.

Helpers live in tests/support/ (factories, http, images, seeds, documents, servers).
"""

import os

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from intake import create_app
from intake.extensions import db, limiter
from intake.questionnaire.series import ensure_default_questionnaire
from tests.support.factories import make_blogger
from tests.support.http import log_in
from tests.support.servers import SMTPServer

pytest_plugins = ["tests.support.wordpress"]  # the `wordpress` fixtures, for any test

# CI sets this to run the whole suite against PostgreSQL as well as SQLite.
POSTGRES_URI = os.environ.get("INTAKE_TEST_DATABASE_URI", "")


def base_config(tmp_path) -> dict:
    """Return the settings every test app starts from."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": POSTGRES_URI or f"sqlite:///{tmp_path / 'test.sqlite'}",
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "https://portraits.example.org",
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SERVER": "",
    }


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in a fresh app context, as in production.

    Tests keep an app context open to use the database; without this, requests would share
    its `g` (cached login, CSRF token, language) and its database session. The test's own
    session is committed first, so afterwards it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


def reset_database() -> None:
    """Give the test an empty schema (drop and create, or truncate on PostgreSQL)."""
    if db.engine.dialect.name == "postgresql":
        db.create_all()
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    else:
        db.create_all()


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """Return a factory of app instances with a clean database and extra settings."""
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    apps = []

    def factory(**overrides):
        app = create_app({**base_config(tmp_path), **overrides})
        app.test_client_class = IsolatedClient
        with app.app_context():
            reset_database()
            ensure_default_questionnaire()
            db.session.commit()
        limiter.reset()
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """Return an app with the default questionnaire loaded and CSRF off."""
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    """Return a test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner for the app's commands."""
    return app.test_cli_runner()


@pytest.fixture
def blogger(app):
    """Create a blogger account and return it."""
    return make_blogger()


@pytest.fixture
def blogger_client(client, blogger):
    """Return a test client logged in as the blogger."""
    response = log_in(client)
    assert response.status_code == 303
    return client


@pytest.fixture
def smtp():
    """Run a real SMTP server on 127.0.0.1 for the test and collect what it receives."""
    server = SMTPServer()
    server.start()
    yield server
    server.stop()

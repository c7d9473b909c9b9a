"""Rate limits count per visitor behind a proxy, per address and per account for logins, and
are never silently split between gunicorn workers."""

import os
import subprocess
import sys

import pytest
import requests

from intake.auth.accounts import create_user
from intake.extensions import db
from tests.support.factories import BLOGGER_EMAIL, BLOGGER_PASSWORD
from tests.support.http import log_in
from tests.support.servers import ROOT, Gunicorn, free_port

PROXY = "10.0.0.9"
OTHER_EMAIL = "autre@example.org"


def visitor(app, address: str, forwarded_for: str | None = None):
    """Return a client coming from `address`, with an X-Forwarded-For header if given."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


def limited_app(make_app, **settings):
    """Return an app with small login limits and two blogger accounts."""
    app = make_app(LOGIN_RATE_LIMIT="3 per minute", LOGIN_ACCOUNT_RATE_LIMIT="5 per minute",
                   **settings)
    with app.app_context():
        create_user(BLOGGER_EMAIL, BLOGGER_PASSWORD, name="Marie")
        create_user(OTHER_EMAIL, BLOGGER_PASSWORD, name="Autre")
        db.session.commit()
    return app


def statuses(client, count: int, email: str = BLOGGER_EMAIL, password: str = "wrong!") -> list:
    """Post `count` logins and return their status codes."""
    return [log_in(client, email=email, password=password).status_code for _ in range(count)]


def test_behind_one_trusted_proxy_visitors_are_limited_apart(make_app):
    app = limited_app(make_app, TRUSTED_PROXY_HOPS=1)
    first = visitor(app, PROXY, "203.0.113.1")
    second = visitor(app, PROXY, "203.0.113.2")
    assert statuses(first, 4) == [200, 200, 200, 429]
    assert statuses(second, 1) == [200]
    assert log_in(second, email=OTHER_EMAIL).status_code == 303


def test_without_trusted_proxy_a_forged_forwarded_for_changes_nothing(make_app):
    app = limited_app(make_app)
    first = visitor(app, PROXY, "203.0.113.1")
    second = visitor(app, PROXY, "203.0.113.2")
    assert statuses(first, 3) == [200, 200, 200]
    assert statuses(second, 1) == [429]


def test_trusted_proxy_hops_must_be_a_whole_number(make_app):
    with pytest.raises(RuntimeError, match="TRUSTED_PROXY_HOPS must be a whole number"):
        make_app(TRUSTED_PROXY_HOPS="1")


def test_right_password_from_another_address_works_while_one_address_is_limited(make_app):
    app = limited_app(make_app)
    guesser, blogger = visitor(app, "198.51.100.1"), visitor(app, "198.51.100.2")
    assert statuses(guesser, 12) == [200] * 3 + [429] * 9
    assert log_in(guesser).status_code == 429
    assert log_in(blogger).status_code == 303


def test_guessing_one_account_from_many_addresses_meets_the_account_limit(make_app):
    app = limited_app(make_app)
    codes = [statuses(visitor(app, f"198.51.100.{n}"), 2)[-1] for n in range(1, 4)]
    assert codes == [200, 200, 429]  # 5 refusals counted for the account, the 6th is refused
    assert log_in(visitor(app, "198.51.100.50")).status_code == 429
    assert log_in(visitor(app, "198.51.100.51"), email=OTHER_EMAIL).status_code == 303


def test_account_limit_counts_the_email_as_typed_in_any_case(make_app):
    app = limited_app(make_app)
    for n, email in enumerate(["BLOGUEUSE@example.org", " blogueuse@EXAMPLE.org",
                               BLOGGER_EMAIL], start=1):
        statuses(visitor(app, f"198.51.100.{n}"), 2, email=email)
    assert log_in(visitor(app, "198.51.100.60")).status_code == 429


def test_successful_logins_do_not_use_up_the_account_limit(make_app):
    app = limited_app(make_app)
    for n in range(1, 8):
        assert log_in(visitor(app, f"198.51.100.{n}")).status_code == 303
    assert statuses(visitor(app, "198.51.100.90"), 1) == [200]


def gunicorn_command(workers: int, port: int) -> list[str]:
    """Return the gunicorn command a deployer types, run from the repository root."""
    return [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
            "wsgi:app"]


@pytest.mark.slow
def test_gunicorn_refuses_several_workers_with_memory_limits(tmp_path):
    env = {**os.environ, "INTAKE_INSTANCE_PATH": str(tmp_path / "instance"),
           "FLASK_SECRET_KEY": "s" * 32, "FLASK_BASE_URL": "http://127.0.0.1"}
    env.pop("FLASK_RATELIMIT_STORAGE_URI", None)
    env.pop("FLASK_RATELIMIT_ALLOW_MEMORY_WITH_WORKERS", None)
    result = subprocess.run(gunicorn_command(2, free_port()), cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert ("Refusing to start 2 workers with rate limits kept in memory://: each worker would "
            "count alone") in result.stderr
    assert "Set FLASK_RATELIMIT_STORAGE_URI=redis://" in result.stderr


@pytest.mark.slow
def test_gunicorn_starts_one_worker_with_memory_limits(app, tmp_path):
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SECRET_KEY": "s" * 32, "BASE_URL": "http://127.0.0.1",
                "RATELIMIT_ALLOW_MEMORY_WITH_WORKERS": False}
    with Gunicorn(settings, tmp_path / "live-instance", workers=1) as server:
        assert requests.get(f"{server.url}/login", timeout=10).status_code == 200

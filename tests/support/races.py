"""Helpers for race tests under real gunicorn workers: a PostgreSQL app, a logged-in blogger
over raw HTTP, and held POSTs finished at the same moment."""

import threading

import pytest

from tests.reliability.helpers import CSRF_META, HeldPost, Response, Visitor
from tests.support.databases import postgres_database
from tests.support.factories import BLOGGER_EMAIL, BLOGGER_PASSWORD


@pytest.fixture
def postgres_app(make_app):
    """Return an app on a throw-away PostgreSQL database (skipped without a server)."""
    uri, drop = postgres_database()
    app = make_app(SQLALCHEMY_DATABASE_URI=uri)
    with app.app_context():
        yield app
    with app.app_context():
        from intake.extensions import db

        db.session.remove()
        db.engine.dispose()
    drop()


def page_csrf(html: str) -> str:
    """Return the CSRF token of a page (its meta tag)."""
    found = CSRF_META.search(html)
    assert found, html[:500]
    return found.group(1)


def logged_in_blogger(port: int) -> tuple[Visitor, str]:
    """Log the blogger in through the real form; return the browser and its CSRF token."""
    blogger = Visitor(port)
    token = page_csrf(blogger.get("/login").text)
    response = blogger.post("/login", {"csrf_token": token, "email": BLOGGER_EMAIL,
                                       "password": BLOGGER_PASSWORD})
    assert response.status == 303, response.text[:500]
    return blogger, page_csrf(blogger.get("/admin/").text)


def finish_together(held: list[HeldPost], timeout: float = 60) -> list[Response]:
    """Send the last byte of every held POST at once; return the responses in order."""
    replies: list = [None] * len(held)
    start = threading.Barrier(len(held))

    def finish(index: int) -> None:
        start.wait()
        replies[index] = held[index].finish()

    threads = [threading.Thread(target=finish, args=(i,)) for i in range(len(held))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return replies

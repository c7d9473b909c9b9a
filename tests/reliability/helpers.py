"""Helpers for the reliability tests: a browser-like HTTP client, live servers, drafts."""

import contextlib
import http.client
import os
import re
import signal
import time
import urllib.parse
from dataclasses import dataclass
from functools import cache
from http.cookies import SimpleCookie
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from intake.auth.accounts import create_user
from intake.extensions import db
from intake.models import AuditEvent, Consent, OutboxMessage, Revision, Submission
from intake.questionnaire.drafts import Draft, PhotoDraft, save_draft
from tests.support.factories import make_invitation, required_answers
from tests.support.images import jpeg
from tests.support.servers import Gunicorn

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
VERSION_INPUT = re.compile(r'<input[^>]*name="version"[^>]*value="(\d+)"')
JSON = "application/json"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str


class Visitor:
    """One person's browser: its own cookies, a new connection for each request."""

    def __init__(self, port: int, timeout: float = 30):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def headers(self, extra: dict | None = None) -> dict:
        """Return the request headers: host, cookies, then `extra`."""
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**headers, **(extra or {})}

    def keep_cookies(self, response: http.client.HTTPResponse) -> None:
        """Store the cookies a response sets."""
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def read(self, connection: http.client.HTTPConnection) -> Response:
        """Read the response of a sent request and close the connection."""
        try:
            response = connection.getresponse()
            body = response.read().decode(errors="replace")
            self.keep_cookies(response)
            return Response(response.status, response.msg, body)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        """GET a path."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        connection.request("GET", path, headers=self.headers())
        return self.read(connection)

    def prepare_post(self, path: str, form: dict, headers: dict | None = None) -> "HeldPost":
        """Send a form POST except its last byte; `HeldPost.finish()` sends it and reads."""
        body = urllib.parse.urlencode(form).encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        connection.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
        all_headers = self.headers({"Content-Type": "application/x-www-form-urlencoded",
                                    "Content-Length": str(len(body)), **(headers or {})})
        for name, value in all_headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        connection.send(body[:-1])
        return HeldPost(self, connection, body[-1:])

    def post(self, path: str, form: dict, headers: dict | None = None) -> Response:
        """POST a form (urlencoded)."""
        return self.prepare_post(path, form, headers).finish()


@dataclass
class HeldPost:
    """A POST whose last byte is held back, so that several can land at the same moment."""

    visitor: Visitor
    connection: http.client.HTTPConnection
    last: bytes

    def finish(self) -> Response:
        """Send the last byte and return the response."""
        self.connection.send(self.last)
        return self.visitor.read(self.connection)


def page_tokens(html: str) -> tuple[str, str]:
    """Return the CSRF token (from the page's meta) and the form version of a questionnaire."""
    csrf, version = CSRF_META.search(html), VERSION_INPUT.search(html)
    assert csrf and version, re.findall(r"<title>.*?</title>|<h1[^>]*>.*?</h1>", html, re.S)
    return csrf.group(1), version.group(1)


def live_server(app: Flask, tmp_path: Path, workers: int = 4, **settings) -> Gunicorn:
    """Return (not started) gunicorn serving the test database, CSRF on, as in production."""
    values = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "reliability-secret-key",
        "WTF_CSRF_ENABLED": True,
        "MAIL_SERVER": "",
        **settings,
    }
    server = Gunicorn(values, tmp_path / "live-instance", workers=workers)
    server.env.setdefault("FLASK_BASE_URL", f"http://127.0.0.1:{server.port}")
    return server


def wait_for_workers(server: Gunicorn, count: int, gone: set[int], timeout: float = 30) -> None:
    """Wait until the master runs `count` workers, none of them in `gone`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = set(server.worker_pids())
        if len(pids) == count and not pids & gone:
            return
        time.sleep(0.05)
    raise AssertionError(f"gunicorn did not bring back {count} workers")


def kill_workers(server: Gunicorn) -> set[int]:
    """SIGKILL every worker at once; return their pids."""
    pids = set(server.worker_pids())
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids


def add_blogger(email: str = "blogueuse@example.org") -> None:
    """Create the blogger who is told about new submissions."""
    create_user(email, "correct horse battery", name="Marie Blogueuse")
    db.session.commit()


@cache
def portrait() -> bytes:
    """Return the JPEG every complete draft uses as its portrait (made once)."""
    return jpeg((320, 240), gps=True)


def complete_draft(number: int) -> tuple[Submission, str, dict]:
    """Create an invitation with a complete, saved draft; return it, its token, its answers."""
    invitation, token = make_invitation(name=f"Personne {number}",
                                        email=f"personne{number}@example.org")
    answers = {qid: f"{text} ({number})" for qid, text in required_answers().items()}
    save_draft(invitation.submission,
               Draft(answers=answers, identity={"display_name": f"Personne {number}"},
                     photos={"portrait": PhotoDraft(portrait())}))
    db.session.commit()
    return invitation.submission, token, answers


def count(model, *where) -> int:
    """Return how many rows of a model match."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def effects(submission_id: int) -> dict:
    """Return what a submit writes, counted for one submission."""
    return {
        "revisions": count(Revision, Revision.submission_id == submission_id),
        "consents": count(Consent, Consent.submission_id == submission_id),
        "receipts": count(OutboxMessage, OutboxMessage.submission_id == submission_id,
                          OutboxMessage.kind == "receipt"),
        "notices": count(OutboxMessage, OutboxMessage.submission_id == submission_id,
                         OutboxMessage.kind == "new_submission"),
        "outbox": count(OutboxMessage, OutboxMessage.submission_id == submission_id),
        "audited": count(AuditEvent, AuditEvent.submission_id == submission_id,
                         AuditEvent.to_state == "submitted"),
    }


SUBMITTED_ONCE = {"revisions": 1, "consents": 1, "receipts": 1, "notices": 1, "outbox": 2,
                  "audited": 1}
UNTOUCHED = {"revisions": 0, "consents": 0, "receipts": 0, "notices": 0, "outbox": 0,
             "audited": 0}

"""Read forms and cookies out of real pages, as a browser would, to post them back."""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

from bench.server import request


class FormFields(HTMLParser):
    """Collect the named inputs and textareas of a page (files and unchecked boxes left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("file", "checkbox",
                                                                       "radio", "submit"):
            self.fields.setdefault(name, attributes.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.setdefault(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def form_fields(html: str) -> dict[str, str]:
    """Return the name → value pairs a browser would post from a page's forms."""
    parser = FormFields()
    parser.feed(html)
    return parser.fields


def session_cookie(headers: dict) -> str:
    """Return 'session=…' from a response's Set-Cookie header."""
    match = re.search(r"(session=[^;]+)", headers.get("set-cookie", ""))
    if not match:
        raise RuntimeError("no session cookie in the response")
    return match.group(1)


def login(base_url: str, email: str, password: str) -> str:
    """Log in through the real form (CSRF token included); return the session cookie."""
    status, headers, body = request(f"{base_url}/login")
    fields = form_fields(body.decode())
    cookie = session_cookie(headers)
    payload = urlencode({"csrf_token": fields["csrf_token"], "email": email,
                         "password": password}).encode()
    status, headers, _ = request(
        f"{base_url}/login", "POST", payload,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    if status != 303:
        raise RuntimeError(f"login answered {status}")
    return session_cookie(headers)

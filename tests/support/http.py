"""HTTP for tests: logging in, CSRF tokens, and a browser-like client for real servers."""

import re
import time
from urllib.parse import urljoin

import requests

from tests.support.factories import BLOGGER_EMAIL, BLOGGER_PASSWORD, make_blogger

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    """Return the CSRF token a page carries (its meta tag, else a hidden input)."""
    found = CSRF_META.search(html) or CSRF_INPUT.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def log_in(client, email: str = BLOGGER_EMAIL, password: str = BLOGGER_PASSWORD, *,
           csrf: bool = False):
    """Post the login form with a Flask test client (and its CSRF token when asked); return
    the response."""
    data = {"email": email, "password": password}
    if csrf:
        data["csrf_token"] = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data=data)


def log_in_new_blogger(client, csrf: bool = False) -> None:
    """Create a second blogger in the app's database and log the test client in as them."""
    make_blogger("editrice@example.org", "a long enough password", "Édith Éditrice")
    response = log_in(client, "editrice@example.org", "a long enough password", csrf=csrf)
    assert response.status_code == 303


def without_csrf_token(html: str) -> str:
    """Blank the session's form token, whose signature carries the second it was made."""
    return re.sub(r'(csrf[-_]token"[^>]*?(?:content|value)=)"[^"]*"', r'\1""', html)


def wait_until_up(url: str, timeout: float = 60, process=None) -> None:
    """Wait until a server answers at `url` (any HTTP status), or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            requests.get(url, timeout=2, allow_redirects=False)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url} within {timeout} s")


class Browser:
    """One person's browser on a live server: keeps cookies and the last page's CSRF token."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.token = ""

    def url(self, path: str) -> str:
        """Return the absolute URL of a path on the server."""
        return urljoin(self.base_url + "/", path.lstrip("/")) if "://" not in path else path

    def get(self, path: str, **kwargs) -> requests.Response:
        """GET a page without following redirects; remember its CSRF token."""
        response = self.session.get(self.url(path), allow_redirects=False, timeout=60, **kwargs)
        if "text/html" in response.headers.get("Content-Type", ""):
            found = CSRF_META.search(response.text) or CSRF_INPUT.search(response.text)
            if found:
                self.token = found.group(1)
        return response

    def post(self, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        """POST a form with the remembered CSRF token, without following redirects."""
        form = {"csrf_token": self.token, **(data or {})}
        return self.session.post(self.url(path), data=form, allow_redirects=False, timeout=120,
                                 **kwargs)

    def submit(self, page: str, action: str, data: dict | None = None,
               **kwargs) -> requests.Response:
        """GET a page (for its token), then POST a form to `action`."""
        response = self.get(page)
        assert response.status_code == 200, (page, response.status_code)
        return self.post(action, data, **kwargs)

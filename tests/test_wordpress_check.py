"""« Tester la connexion » and `flask wordpress check` say in words what is wrong."""

import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.factories import make_blogger
from tests.support.http import log_in
from tests.support.servers import free_port


def check(make_app, **settings) -> tuple[int, str]:
    """Run `flask wordpress check` with these settings; return exit code and output."""
    app = make_app(**settings)
    result = app.test_cli_runner().invoke(args=["wordpress", "check"])
    return result.exit_code, result.output


def connected(wordpress, **overrides) -> dict:
    """Return the settings of the test WordPress's administrator."""
    return {"WORDPRESS_URL": wordpress.url, "WORDPRESS_USER": wordpress.user,
            "WORDPRESS_APP_PASSWORD": wordpress.app_password, **overrides}


class Page(BaseHTTPRequestHandler):
    """Answer every GET with the server's `status`, `content_type` and `body`."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(self.server.status)
        self.send_header("Content-Type", self.server.content_type)
        self.end_headers()
        self.wfile.write(self.server.body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    """Serve one fixed answer on loopback (a site that is not WordPress, or one whose REST
    API a plugin switched off); return a function that sets it and gives the address."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(status: int, content_type: str, body: str) -> str:
        server.status, server.content_type, server.body = status, content_type, body
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_check_succeeds_and_names_the_site_and_user(make_app, wordpress):
    code, output = check(make_app, **connected(wordpress))
    assert (code, output) == (0, "WordPress: OK — « Portraits (tests) », admin\n")


@pytest.mark.slow
def test_check_wrong_password_says_401(make_app, wordpress):
    code, output = check(make_app, **connected(
        wordpress, WORDPRESS_APP_PASSWORD="abcd efgh ijkl mnop qrst uvwx"))
    assert code == 1
    assert "WordPress refuse l’identifiant ou le mot de passe d’application (401)" in output


@pytest.mark.slow
def test_check_user_without_publishing_rights_says_403(make_app, wordpress):
    contributor, password = contributor_account(wordpress)
    code, output = check(make_app, **connected(
        wordpress, WORDPRESS_USER=contributor, WORDPRESS_APP_PASSWORD=password))
    assert code == 1
    assert "n’a pas le droit de publier des articles ni d’envoyer des images (403)" in output


def test_check_refuses_plain_http_to_a_site_that_is_not_local(make_app):
    code, output = check(make_app, WORDPRESS_URL="http://blog.example.org",
                         WORDPRESS_USER="admin", WORDPRESS_APP_PASSWORD="x")
    assert code == 1
    assert "le mot de passe d’application circulerait en clair" in output


def test_check_without_settings_names_the_three_settings(make_app):
    code, output = check(make_app)
    assert code == 1
    assert "WORDPRESS_URL, WORDPRESS_USER et WORDPRESS_APP_PASSWORD" in output


def test_check_bad_address(make_app):
    code, output = check(make_app, WORDPRESS_URL="blog.example.org", WORDPRESS_USER="a",
                         WORDPRESS_APP_PASSWORD="x")
    assert code == 1
    assert "n’est pas une adresse web valide" in output


def test_check_nothing_listening_says_unreachable(make_app):
    code, output = check(make_app, WORDPRESS_URL=f"http://127.0.0.1:{free_port()}",
                         WORDPRESS_USER="a", WORDPRESS_APP_PASSWORD="x")
    assert code == 1
    assert "Impossible de joindre WordPress à cette adresse" in output


def test_check_a_site_that_is_not_wordpress(make_app, web_server):
    url = web_server(200, "text/html", "<html><body>Mon site fait main</body></html>")
    code, output = check(make_app, WORDPRESS_URL=url, WORDPRESS_USER="a",
                         WORDPRESS_APP_PASSWORD="x")
    assert code == 1
    assert "ne répond pas comme un site WordPress" in output


def test_check_wordpress_with_rest_api_switched_off(make_app, web_server):
    url = web_server(403, "application/json", json.dumps({
        "code": "rest_disabled", "message": "The REST API is disabled on this site."}))
    code, output = check(make_app, WORDPRESS_URL=url, WORDPRESS_USER="a",
                         WORDPRESS_APP_PASSWORD="x")
    assert code == 1
    assert "son API REST est désactivée" in output


@pytest.mark.slow
def test_settings_page_button_tests_the_connection_without_showing_the_password(
        make_app, wordpress):
    app = make_app(**connected(wordpress), WORDPRESS_CATEGORIES=["Portraits", "Entrevues"])
    with app.app_context():
        client = app.test_client()
        make_blogger()
        log_in(client)
        page = client.get("/admin/wordpress").get_data(as_text=True)
        response = client.post("/admin/wordpress/check", follow_redirects=True)
    answer = response.get_data(as_text=True)
    assert "Connexion réussie au blogue « Portraits (tests) » en tant que admin." in answer
    assert wordpress.url in page and "Tester la connexion" in page
    assert "<dd>Portraits, Entrevues</dd>" in page
    assert wordpress.app_password not in page + answer


def contributor_account(wordpress) -> tuple[str, str]:
    """Create (once) a contributor with an Application Password through the REST API."""
    if getattr(wordpress, "contributor", None):
        return wordpress.contributor
    user = send(wordpress, "/wp/v2/users", {
        "username": "contributeur", "email": "contributeur@example.org",
        "password": "a long enough password", "roles": ["contributor"]})
    created = send(wordpress, f"/wp/v2/users/{user['id']}/application-passwords",
                   {"name": "intake tests"})
    wordpress.contributor = ("contributeur", created["password"])
    return wordpress.contributor


def send(wordpress, route: str, payload: dict) -> dict:
    """POST JSON to WordPress as its administrator; return the decoded answer."""
    request = urllib.request.Request(
        wordpress.rest(route), data=json.dumps(payload).encode(),
        headers={"Authorization": wordpress.basic_auth(), "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)

"""Test the connection to the blog's WordPress and say in words what is wrong."""

from dataclasses import dataclass

from intake.wordpress.client import WordPressClient, WordPressError, json_body, refusal_of
from intake.wordpress.settings import WordPressSettings, wordpress_settings

# What a WordPress page carries even when its REST API is switched off.
WORDPRESS_SIGNS = ("/wp-content/", "/wp-includes/", "api.w.org")


@dataclass(frozen=True)
class Connection:
    """A working connection: the site's name and the WordPress user who will publish."""

    site: str
    user: str


def settings_problem(settings: WordPressSettings) -> WordPressError | None:
    """Return what is wrong with the settings before any request, or None."""
    if not settings.configured:
        return WordPressError("not_configured")
    if settings.address_problem:
        return WordPressError(settings.address_problem, detail=settings.url)
    return None


def check_connection(settings: WordPressSettings | None = None) -> Connection:
    """Reach WordPress, its REST API and the user's rights; raise WordPressError saying what
    is wrong (sends two GET requests, changes nothing)."""
    settings = settings or wordpress_settings()
    problem = settings_problem(settings)
    if problem:
        raise problem
    with WordPressClient(settings) as client:
        site = rest_index(client)
        me = client.call("GET", "/wp/v2/users/me", params={"context": "edit"})
    me = me if isinstance(me, dict) else {}
    rights = me.get("capabilities") or {}
    if not (rights.get("publish_posts") and rights.get("upload_files")):
        raise WordPressError("forbidden", detail=str(me.get("name", "")))
    return Connection(site=str(site.get("name") or settings.url), user=str(me.get("name")))


def rest_index(client: WordPressClient) -> dict:
    """Return the REST API's index without credentials; raise when the address is not a
    WordPress or its API is off."""
    response = client.send("GET", "/", auth=False)
    body = json_body(response)
    if "wp/v2" in (body.get("namespaces") or []):
        return body
    refusal = refusal_of(response)
    if refusal and refusal.code in ("redirected", "server_error", "timeout"):
        raise refusal
    if body.get("code") or any(sign in response.text for sign in WORDPRESS_SIGNS) \
            or "api.w.org" in response.headers.get("Link", ""):
        raise WordPressError("rest_disabled", response.status_code, str(body.get("message", "")))
    raise WordPressError("not_wordpress", response.status_code)

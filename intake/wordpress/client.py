"""Talk to the blog's WordPress REST API: one request, its answer, or a refusal in words.

`requests` (already a test dependency, now a runtime one): synchronous like the worker that
runs pushes, with connect and read timeouts, Basic authentication and raw-byte uploads, and a
small exception tree (ConnectionError, Timeout) that maps onto "retry later". Routes go through
`?rest_route=`, which works with or without pretty permalinks.
"""

from typing import ClassVar
from urllib.parse import quote, urlencode

import requests
from flask_babel import lazy_gettext as _l

from intake.errors import Refused
from intake.wordpress.settings import WordPressSettings

CONNECT_TIMEOUT = 5
DETAIL_LIMIT = 300


class WordPressError(Refused):
    """WordPress cannot be reached or refused a request; `retryable` says if waiting helps."""

    MESSAGES: ClassVar[dict[str, object]] = {
        "not_configured": _l("WordPress n’est pas configuré : donnez WORDPRESS_URL, "
                             "WORDPRESS_USER et WORDPRESS_APP_PASSWORD (environnement ou "
                             "instance/config.py)."),
        "bad_address": _l("L’adresse WordPress (WORDPRESS_URL) n’est pas une adresse web "
                          "valide : elle doit commencer par https://."),
        "insecure": _l("L’adresse WordPress commence par http:// sans chiffrement vers un site "
                       "qui n’est pas local : le mot de passe d’application circulerait en "
                       "clair. Utilisez l’adresse en https://."),
        "unreachable": _l("Impossible de joindre WordPress à cette adresse : adresse erronée, "
                          "site arrêté ou réseau coupé."),
        "timeout": _l("WordPress n’a pas répondu à temps."),
        "server_error": _l("WordPress a répondu par une erreur de son serveur."),
        "redirected": _l("L’adresse WordPress redirige ailleurs : indiquez dans WORDPRESS_URL "
                         "l’adresse finale du blogue."),
        "not_wordpress": _l("Cette adresse ne répond pas comme un site WordPress : vérifiez "
                            "l’adresse du blogue (WORDPRESS_URL)."),
        "rest_disabled": _l("C’est bien un site WordPress, mais son API REST est désactivée "
                            "(par une extension ou l’hébergeur) : réactivez-la pour permettre "
                            "l’envoi."),
        "bad_credentials": _l("WordPress refuse l’identifiant ou le mot de passe d’application "
                              "(401) : vérifiez WORDPRESS_USER et WORDPRESS_APP_PASSWORD, ou "
                              "créez un nouveau mot de passe d’application."),
        "forbidden": _l("Ce compte WordPress n’a pas le droit de publier des articles ni "
                        "d’envoyer des images (403) : donnez-lui le rôle Auteur, Éditeur ou "
                        "Administrateur."),
        "rejected": _l("WordPress a refusé la demande."),
        "not_found": _l("WordPress ne trouve pas cet élément."),
        "bad_answer": _l("WordPress a envoyé une réponse illisible."),
        "internal": _l("Erreur inattendue pendant l’envoi à WordPress."),
    }
    RETRYABLE = frozenset({"unreachable", "timeout", "server_error", "bad_answer", "internal"})

    def __init__(self, code: str, status: int | None = None, detail: str = "",
                 body: dict | None = None):
        super().__init__(code)
        self.status = status
        self.detail = " ".join(str(detail).split())[:DETAIL_LIMIT]
        self.body = body or {}

    @property
    def retryable(self) -> bool:
        """Say whether the same request may succeed later (connection, timeout, 5xx, 429)."""
        return self.code in self.RETRYABLE

    @property
    def detail_line(self) -> str:
        """Return what WordPress said, with its HTTP status, to store beside the code."""
        status = f"HTTP {self.status}" if self.status else ""
        return " — ".join(part for part in (status, self.detail) if part)


def reason(code: str, detail: str = "") -> str:
    """Return a stored failure in words: the sentence of its code, then WordPress's own."""
    sentence = str(WordPressError.MESSAGES.get(code, code))
    return f"{sentence} ({detail})" if detail else sentence


class WordPressClient:
    """REST calls to one WordPress with its Application Password."""

    def __init__(self, settings: WordPressSettings):
        self.settings = settings
        self.session = requests.Session()
        self.session.auth = (settings.user, settings.app_password)
        self.session.headers["User-Agent"] = "portrait-intake"

    def __enter__(self) -> "WordPressClient":
        return self

    def __exit__(self, *exc) -> None:
        """Close the connections kept open for the next request."""
        self.session.close()

    def url(self, route: str, **params) -> str:
        """Return the address of a route: /?rest_route=/wp/v2/posts&…"""
        query = f"rest_route={quote(route, safe='/')}"
        if params:
            query += "&" + urlencode(params)
        return f"{self.settings.url}/?{query}"

    def send(self, method: str, route: str, *, auth: bool = True, params: dict | None = None,
             **kwargs) -> requests.Response:
        """Send one request (no redirect followed); raise WordPressError when it cannot."""
        try:
            return self.session.request(
                method, self.url(route, **(params or {})), allow_redirects=False,
                timeout=(CONNECT_TIMEOUT, self.settings.timeout),
                auth=None if auth else False, **kwargs)
        except requests.Timeout as error:
            raise WordPressError("timeout", detail=str(error)) from error
        except requests.RequestException as error:
            raise WordPressError("unreachable", detail=type(error).__name__) from error

    def call(self, method: str, route: str, **kwargs) -> dict | list:
        """Send one request and return its decoded JSON; raise WordPressError otherwise."""
        response = self.send(method, route, **kwargs)
        refusal = refusal_of(response)
        if refusal:
            raise refusal
        try:
            return response.json()
        except ValueError as error:
            raise WordPressError("bad_answer", response.status_code,
                                 response.text[:DETAIL_LIMIT]) from error


def json_body(response: requests.Response) -> dict:
    """Return the JSON object of an answer, or {} when it is not one."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def refusal_of(response: requests.Response) -> WordPressError | None:
    """Return the WordPressError an HTTP answer means, or None for a success."""
    status = response.status_code
    if status < 300:
        return None
    body = json_body(response)
    detail = str(body.get("message") or "")
    if status < 400:
        return WordPressError("redirected", status, response.headers.get("Location", ""))
    if status == 401:
        return WordPressError("bad_credentials", status, detail, body)
    if status == 403:
        return WordPressError("forbidden", status, detail, body)
    if status == 404:
        code = "rest_disabled" if body.get("code") == "rest_no_route" else "not_found"
        return WordPressError(code, status, detail, body)
    if status == 429 or status >= 500:
        return WordPressError("server_error", status, detail, body)
    return WordPressError("rejected", status, detail, body)

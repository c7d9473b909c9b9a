"""A website address: any public http(s) URL, rebuilt from its parsed parts.

Also the URL parsing the social handles share (http(s) only, no credentials). Pure functions.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, urlsplit

from flask_babel import lazy_gettext as _l

from intake.errors import FieldRefused

MSG_CHARS = _l("Cette valeur contient des espaces ou des caractères non permis.")
MSG_SCHEME = _l("Seuls les liens commençant par http:// ou https:// sont acceptés.")
MSG_CREDENTIALS = _l("Un lien ne doit pas contenir de nom d’utilisateur ni de mot de passe.")
MSG_WEBSITE = _l("Ce lien n’est pas une adresse web valide.")
MSG_WEBSITE_PUBLIC = _l("Il faut l’adresse d’un site public, par exemple https://exemple.com.")

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_RESERVED_TLDS = {"alt", "arpa", "example", "internal", "invalid", "local", "localhost", "onion"}


@dataclass(frozen=True)
class Handle:
    """A validated handle or address: its network, the handle as shown, the URL we built."""

    network: str
    handle: str
    url: str


def parse_url(text: str, prefix: str, invalid) -> tuple[SplitResult, int | None]:
    """Parse a URL (prefixing it when it has no scheme); refuse other schemes and credentials."""
    scheme = _SCHEME.match(text)
    if scheme and "." not in scheme.group(1):  # "exemple.com:8080" is a host, not a scheme
        if scheme.group(1).lower() not in ("http", "https"):
            raise FieldRefused(MSG_SCHEME)
    else:
        text = "https:" + text if text.startswith("//") else prefix + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise FieldRefused(invalid) from None
    if "@" in parts.netloc:
        raise FieldRefused(MSG_CREDENTIALS)
    return parts, port


def public_host(host: str) -> bool:
    """Tell whether a host name is a public DNS name (dots, valid labels, no IP, no localhost)."""
    if not host.isascii() or len(host) > 253 or "." not in host:
        return False
    try:
        ipaddress.ip_address(host)
        return False
    except ValueError:
        pass
    labels = host.split(".")
    tld = labels[-1]
    if tld in _RESERVED_TLDS or not (tld.isalpha() or tld.startswith("xn--")):
        return False
    return all(_LABEL.match(label) for label in labels)


def website(text: str) -> Handle:
    """Validate any public http(s) URL and rebuild it from its parts."""
    if any(unicodedata.category(ch)[0] in "CZ" or ch in "\\<>\"'`{}|^" for ch in text):
        raise FieldRefused(MSG_CHARS)
    parts, port = parse_url(text, "https://", MSG_WEBSITE)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FieldRefused(MSG_WEBSITE)
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise FieldRefused(MSG_WEBSITE) from None
    if not public_host(host):
        raise FieldRefused(MSG_WEBSITE_PUBLIC)
    scheme_name = parts.scheme.lower()
    default_port = 443 if scheme_name == "https" else 80
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    path = quote(parts.path, safe="/%:@!$&()*+,;=-._~")
    path = "" if path == "/" else path
    query = quote(parts.query, safe="/%:@!$&()*+,;=-._~?")
    url = f"{scheme_name}://{netloc}{path}" + (f"?{query}" if query else "")
    return Handle(network="website", handle=f"{netloc}{path.rstrip('/')}", url=url)

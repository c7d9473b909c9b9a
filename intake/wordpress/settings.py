"""Where the blog's WordPress is and who pushes to it: read from the settings, never stored."""

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app


@dataclass(frozen=True)
class WordPressSettings:
    """The blog's address, the WordPress user and their Application Password."""

    url: str
    user: str
    app_password: str = ""
    timeout: float = 30

    @property
    def configured(self) -> bool:
        """Say whether the three settings are given."""
        return bool(self.url and self.user and self.app_password)

    @property
    def host(self) -> str:
        """Return the host name of the address ('' when it has none)."""
        return urlsplit(self.url).hostname or ""

    @property
    def address_problem(self) -> str:
        """Return the refusal code of the address ('bad_address', 'insecure'), or ''."""
        try:
            parts = urlsplit(self.url)
            parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
        except ValueError:
            return "bad_address"
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return "bad_address"
        if parts.scheme == "http" and not is_local(parts.hostname):
            return "insecure"
        return ""


def is_local(host: str) -> bool:
    """Say whether a host name is this machine (loopback): plain http is only safe there."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def wordpress_settings() -> WordPressSettings:
    """Return the WordPress settings of the app (address without a trailing slash)."""
    config = current_app.config
    return WordPressSettings(
        url=str(config.get("WORDPRESS_URL") or "").strip().rstrip("/"),
        user=str(config.get("WORDPRESS_USER") or "").strip(),
        app_password=str(config.get("WORDPRESS_APP_PASSWORD") or "").strip(),
        timeout=float(config.get("WORDPRESS_TIMEOUT") or 30),
    )


def post_terms() -> tuple[list[str], list[str]]:
    """Return the category and tag names of pushed posts (the series' settings; one place)."""
    config = current_app.config
    return ([str(name) for name in config.get("WORDPRESS_CATEGORIES") or [] if str(name).strip()],
            [str(name) for name in config.get("WORDPRESS_TAGS") or [] if str(name).strip()])

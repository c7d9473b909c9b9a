"""Where the blog's WordPress is and who pushes to it: read from the settings, never stored;
the category and tag names of a series' posts, else the blog-wide ones."""

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from intake.text import clean_line


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


def configured_terms() -> tuple[list[str], list[str]]:
    """Return the blog-wide WORDPRESS_CATEGORIES and WORDPRESS_TAGS names (the fallback)."""
    return configured_names("WORDPRESS_CATEGORIES"), configured_names("WORDPRESS_TAGS")


def configured_names(key: str) -> list[str]:
    """Return the names of a list setting, blanks made one and empty ones dropped."""
    names = (clean_line(str(name)) for name in current_app.config.get(key) or [])
    return [name for name in names if name]


def post_terms(series=None) -> tuple[list[str], list[str]]:
    """Return the category and tag names of a series' posts: each list the series' own, or
    the blog-wide setting when the series has none (or no series is given)."""
    categories, tags = configured_terms()
    if series is None:
        return categories, tags
    return (list(series.wordpress_categories or []) or categories,
            list(series.wordpress_tags or []) or tags)

"""Response headers, caching rules and login wiring that protect every page."""

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l

from intake.extensions import db, login_manager

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Browser features no page of ours uses, denied to every page and frame.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()" for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "encrypted-media", "fullscreen", "geolocation", "gyroscope", "hid", "idle-detection",
        "interest-cohort", "local-fonts", "magnetometer", "microphone", "midi", "payment",
        "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking",
    )
)
# The blogger's pages and the login forms: never kept by a browser or a proxy cache.
PRIVATE_BLUEPRINTS = ("review", "auth")


def init_app(app: Flask) -> None:
    """Set up Flask-Login and the security headers on every response."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour voir cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.session_interface = CookieAwareSessionInterface()
    app.after_request(add_security_headers)
    app.after_request(keep_private_pages_out_of_caches)


@login_manager.user_loader
def load_user(login_id: str):
    """Return the logged-in blogger for a session, or None when the session was ended (its
    session version is older than the account's: logout or password change since)."""
    from intake.models import User

    user_id, _, version = login_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()) or len(login_id) > 40:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def add_security_headers(response):
    """Add CSP, nosniff, framing and referrer rules to a response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def keep_private_pages_out_of_caches(response):
    """Mark the blogger's pages and the login forms `Cache-Control: no-store`."""
    if request.blueprint in PRIVATE_BLUEPRINTS and "no-store" not in (
            response.headers.get("Cache-Control", "")):
        response.headers["Cache-Control"] = "no-store"
    return response


class CookieAwareSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, which also keeps an answer that sets a cookie out of shared
    caches: a proxy must never hand one visitor's cookie (or flashed message) to another."""

    def save_session(self, app, session, response) -> None:
        """Write the session cookie; then turn `public` caching into `private` if any cookie
        is set (runs after every after_request function, so it sees them all)."""
        super().save_session(app, session, response)
        if "Set-Cookie" in response.headers and response.cache_control.public:
            response.cache_control.public = False
            response.cache_control.s_maxage = None
            response.cache_control.private = True

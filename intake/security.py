"""Response headers and login wiring that protect every page."""

from flask import Flask, request
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


def init_app(app: Flask) -> None:
    """Set up Flask-Login and the security headers on every response."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour voir cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.after_request(add_security_headers)


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
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response

"""Language choice: invitee pages follow the invitation, bloggers pick theirs, French first."""

from pathlib import Path

from flask import Flask, current_app, g, session
from flask_login import current_user

from intake.extensions import babel

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our locale selector and expose the language to templates."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["current_language"] = select_locale


def select_locale() -> str:
    """Return the page language: forced by the view, else the blogger's, else the session's."""
    forced = g.get("language")
    if forced:
        return forced
    if current_user and current_user.is_authenticated:
        return current_user.language
    chosen = session.get("language")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def use_language(language: str) -> None:
    """Force the language of the current request (invitee pages follow their invitation)."""
    g.language = language if language in current_app.config["LANGUAGES"] else "fr"

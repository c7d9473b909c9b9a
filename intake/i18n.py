"""Language and time zone: invitee pages follow the invitation, bloggers pick theirs, French
first; every date is shown in the blog's time zone (stored in UTC)."""

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from flask import Flask, current_app, g, has_app_context, has_request_context, session
from flask_babel import refresh
from flask_login import current_user

from intake.extensions import babel, db
from intake.models import BlogSetting, utcnow

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
TIMEZONE_SETTING = "timezone"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our locale and time zone selectors; expose the language."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["BLOG_TIMEZONE"]
    babel.init_app(app, locale_selector=select_locale, timezone_selector=blog_timezone)
    app.jinja_env.globals["current_language"] = select_locale


def select_locale() -> str:
    """Return the page language: forced by the view, else the blogger's, else the session's."""
    forced = g.get("language")
    if forced:
        return forced
    if not has_request_context():  # commands and the worker: the blog's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated:
        return current_user.language
    chosen = session.get("language")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def use_language(language: str) -> None:
    """Force the language of the current request (invitee pages follow their invitation)."""
    g.language = language if language in current_app.config["LANGUAGES"] else "fr"


@lru_cache(maxsize=1)
def timezone_names() -> list[str]:
    """Return every time zone name this machine knows, sorted."""
    return sorted(available_timezones())


def is_timezone(name: str) -> bool:
    """Say whether a name is a time zone this machine knows (e.g. America/Toronto)."""
    return name in timezone_names()


def blog_timezone() -> str:
    """Return the blog's time zone: the blogger's choice, else BLOG_TIMEZONE (cached per
    app context)."""
    if has_app_context() and "blog_timezone" in g:
        return g.blog_timezone
    stored = db.session.get(BlogSetting, TIMEZONE_SETTING) if has_app_context() else None
    name = stored.value if stored is not None and is_timezone(stored.value) else (
        current_app.config["BLOG_TIMEZONE"])
    g.blog_timezone = name
    return name


def set_blog_timezone(name: str) -> None:
    """Store the blog's time zone (validated by the caller); flushes."""
    setting = db.session.get(BlogSetting, TIMEZONE_SETTING) or BlogSetting(key=TIMEZONE_SETTING)
    setting.value = name
    db.session.add(setting)
    db.session.flush()
    g.pop("blog_timezone", None)
    refresh()


def local_date(moment: datetime) -> date:
    """Return the calendar date of an aware moment in the blog's time zone."""
    return moment.astimezone(ZoneInfo(blog_timezone())).date()


def local_today() -> date:
    """Return today's date in the blog's time zone (a portrait's publication date)."""
    return local_date(utcnow())

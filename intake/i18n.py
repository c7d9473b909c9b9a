"""Language, time zone and typography: invitee pages follow the invitation, bloggers pick
theirs, French first; every date is shown in the blog's time zone (stored in UTC); French
follows the blog's typographic convention (Québec by default), our own strings included."""

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from flask import Flask, current_app, g, has_app_context, has_request_context, session
from flask_babel import Domain, get_locale, refresh
from flask_babel import _get_current_context as _babel_context  # refresh() clears its keys
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from intake.extensions import babel, db
from intake.models import BlogSetting, Series, utcnow
from intake.typography import CONVENTIONS, FRANCE, QUEBEC, french_typography

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
TIMEZONE_SETTING = "timezone"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our locale and time zone selectors; expose the language."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["BLOG_TIMEZONE"]
    babel.init_app(app, locale_selector=select_locale, timezone_selector=blog_timezone)
    # Every gettext (Python, lazy, Jinja) asks the default domain for its translations.
    babel.domain_instance = ConventionDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
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
    """Return the blog's time zone: the blogger's choice, else BLOG_TIMEZONE."""
    stored = _settings().get(TIMEZONE_SETTING)
    return stored if stored is not None and is_timezone(stored) else (
        current_app.config["BLOG_TIMEZONE"])


def _settings() -> dict[str, str]:
    """Return every blog setting by key, read in one query once per app context (nothing when
    the database cannot say: an error page must still render)."""
    if not has_app_context():
        return {}
    if "blog_settings" not in g:
        try:
            with db.session.no_autoflush:
                g.blog_settings = {s.key: s.value for s in db.session.scalars(select(BlogSetting))}
        except SQLAlchemyError:
            return {}
    return g.blog_settings


def blog_setting(key: str) -> str | None:
    """Return one stored blog setting, from the one read per app context."""
    return _settings().get(key)


def forget_settings() -> None:
    """Drop this context's copy of the blog settings (after one is written)."""
    if has_app_context():
        g.pop("blog_settings", None)


def _store(key: str, value: str) -> None:
    """Store a blog setting; flushes."""
    setting = db.session.get(BlogSetting, key) or BlogSetting(key=key)
    setting.value = value
    db.session.add(setting)
    db.session.flush()
    g.pop("blog_settings", None)


def use_series(series: Series) -> None:
    """Make a series' typographic convention and register those of the current app context
    (its posts, invitee pages and emails); without it, the default series' apply."""
    # No babel refresh(): it would drop a surrounding force_locale once a nested one ended;
    # ConventionDomain reads the convention at every gettext anyway.
    g.series_settings = {"typography": series.typography, "register": series.register}


def series_setting(name: str) -> str:
    """Return a setting ("typography" or "register") of the series in use (use_series), else
    of the default series; '' when the database cannot say."""
    if not has_app_context():
        return ""
    if "series_settings" not in g:
        try:
            with db.session.no_autoflush:
                row = db.session.execute(select(Series.typography, Series.register)
                                         .order_by(Series.id).limit(1)).first()
        except SQLAlchemyError:
            return ""
        g.series_settings = {"typography": row[0], "register": row[1]} if row else {}
    return g.series_settings.get(name) or ""


def set_series_setting(name: str, value: str, series: Series | None = None) -> None:
    """Store a setting ("typography" or "register", checked by the caller) of a series, the
    default one when none is given; flushes and forgets the setting in use."""
    series = series or db.session.scalar(select(Series).order_by(Series.id).limit(1))
    setattr(series, name, value)
    db.session.flush()
    g.pop("series_settings", None)


def set_typography_convention(name: str, series: Series | None = None) -> None:
    """Store a series' typographic convention (the default series' when none is given)."""
    set_series_setting("typography", name, series)


def typography_convention() -> str:
    """Return the typographic convention of the series in use, "quebec" (the default) or
    "france"."""
    stored = series_setting("typography")
    return stored if stored in CONVENTIONS else QUEBEC


class ConventionTranslations:
    """A catalogue whose French strings come out in France's typography (U+202F before ? ! ;).

    Our French strings are written in Québec typography; a blog on France's convention gets
    them converted at render time, at the one depth every gettext goes through.
    """

    def __init__(self, base):
        self.base = base

    def ugettext(self, string):
        """Return the translated string, typeset for France."""
        return _france(self.base.ugettext(string))

    def ungettext(self, singular, plural, n):
        """Return the translated singular or plural, typeset for France."""
        return _france(self.base.ungettext(singular, plural, n))

    def upgettext(self, context, string):
        """Return the translated string in a context, typeset for France."""
        return _france(self.base.upgettext(context, string))

    def unpgettext(self, context, singular, plural, n):
        """Return the translated singular or plural in a context, typeset for France."""
        return _france(self.base.unpgettext(context, singular, plural, n))

    gettext, ngettext, pgettext, npgettext = ugettext, ungettext, upgettext, unpgettext

    def __getattr__(self, name):
        """Give everything else (plural rules, catalogue info) from the wrapped catalogue."""
        return getattr(self.base, name)


@lru_cache(maxsize=4096)
def _france(text: str) -> str:
    """Return one of our French strings in France's typography (pure, cached)."""
    return french_typography(text, FRANCE)


class ConventionDomain(Domain):
    """Flask-Babel's domain, giving French strings the blog's convention."""

    def get_translations(self):
        """Return the catalogue of the current locale, France-typeset when the blog says so;
        kept for the rest of the context (every gettext asks; `refresh()` forgets it)."""
        ctx = _babel_context()
        cached = getattr(ctx, "babel_translations", None)
        if cached is not None:
            return cached
        translations = super().get_translations()
        locale = get_locale()
        if locale is not None and locale.language == "fr" and typography_convention() == FRANCE:
            translations = ConventionTranslations(translations)
        if ctx is not None:
            ctx.babel_translations = translations
        return translations


def set_blog_timezone(name: str) -> None:
    """Store the blog's time zone (validated by the caller); flushes."""
    _store(TIMEZONE_SETTING, name)
    refresh()


def local_date(moment: datetime) -> date:
    """Return the calendar date of an aware moment in the blog's time zone."""
    return moment.astimezone(ZoneInfo(blog_timezone())).date()


def local_today() -> date:
    """Return today's date in the blog's time zone (a portrait's publication date)."""
    return local_date(utcnow())

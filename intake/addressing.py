"""How the product addresses the invitee in French: « tu » (the seeds' questions, the default)
or « vous », a setting of each series (intake/i18n.py's use_series picks the series in use).

Each sentence that speaks to the invitee is written twice, as two ordinary msgids side by side:
``tu_vous(_("Ton lien"), _("Votre lien"))``. Both forms are extracted by the stock tooling and
reviewed together; English has one register, so both map to the same English text. (Message
contexts would keep the « vous » form only in a French catalogue that `pybabel extract` cannot
produce from the call site.) The blogger's own pages always say « vous »: they never call this.
"""

from flask import Flask
from flask_babel import LazyString

from intake.enums import Register
from intake.i18n import series_setting, set_series_setting


def init_app(app: Flask) -> None:
    """Give templates `tu_vous` and the blog's register."""
    app.jinja_env.globals.update(tu_vous=tu_vous, blog_register=blog_register)


def blog_register() -> Register:
    """Return how the series in use addresses invitees: its choice, else « tu » (cached per app
    context)."""
    stored = series_setting("register")
    return Register(stored) if stored in set(Register) else Register.TU


def set_blog_register(register: Register | str, series=None) -> None:
    """Store how a series (the default one when none is given) addresses invitees (validated
    by the caller); flushes."""
    set_series_setting("register", Register(register).value, series)


def tu_vous(tu, vous) -> str:
    """Return the sentence in the blog's register: `tu` or `vous`, each already translated."""
    return str(vous if blog_register() == Register.VOUS else tu)


def lazy_tu_vous(tu, vous) -> LazyString:
    """Return tu_vous decided when shown, for messages defined at import time (lazy strings)."""
    return LazyString(tu_vous, tu, vous)

"""How the product addresses the invitee in French: « tu » (the seeds' questions, the default)
or « vous », a blog setting stored beside the time zone.

Each sentence that speaks to the invitee is written twice, as two ordinary msgids side by side:
``tu_vous(_("Ton lien"), _("Votre lien"))``. Both forms are extracted by the stock tooling and
reviewed together; English has one register, so both map to the same English text. (Message
contexts would keep the « vous » form only in a French catalogue that `pybabel extract` cannot
produce from the call site.) The blogger's own pages always say « vous »: they never call this.
"""

from flask import Flask, g, has_app_context
from flask_babel import LazyString

from intake.enums import Register
from intake.extensions import db
from intake.i18n import blog_setting, forget_settings
from intake.models import BlogSetting

REGISTER_SETTING = "register"


def init_app(app: Flask) -> None:
    """Give templates `tu_vous` and the blog's register."""
    app.jinja_env.globals.update(tu_vous=tu_vous, blog_register=blog_register)


def blog_register() -> Register:
    """Return how the blog addresses invitees: the stored choice, else « tu » (cached per app
    context)."""
    if not has_app_context():
        return Register.TU
    if "blog_register" not in g:
        stored = blog_setting(REGISTER_SETTING)  # read with the other settings, once
        g.blog_register = Register(stored) if stored in set(Register) else Register.TU
    return g.blog_register


def set_blog_register(register: Register | str) -> None:
    """Store how the blog addresses invitees (validated by the caller); flushes."""
    setting = (db.session.get(BlogSetting, REGISTER_SETTING)
               or BlogSetting(key=REGISTER_SETTING))
    setting.value = Register(register).value
    db.session.add(setting)
    db.session.flush()
    g.pop("blog_register", None)
    forget_settings()


def tu_vous(tu, vous) -> str:
    """Return the sentence in the blog's register: `tu` or `vous`, each already translated."""
    return str(vous if blog_register() == Register.VOUS else tu)


def lazy_tu_vous(tu, vous) -> LazyString:
    """Return tu_vous decided when shown, for messages defined at import time (lazy strings)."""
    return LazyString(tu_vous, tu, vous)

"""The questionnaire template's `_` and `tu_vous`, translated once per process, not per call.

Flask-Babel's Jinja `_` finds the request's translations again at every call (about 50 on the
page) and `tu_vous` the blog's register (25). Everything a translated text depends on is its
language, the blog's typographic convention and its register (text_key()); under that key
each string is kept once per process. The template's `_` behaves as Jinja's new-style gettext:
the translation is markup and its variables are escaped.
"""

from flask_babel import get_locale, get_translations
from markupsafe import Markup

from intake.addressing import blog_register
from intake.enums import Register
from intake.i18n import typography_convention
from intake.kept import Kept

_TEXTS = Kept(4096)  # the template's strings are a few dozen per language and convention


def text_key() -> tuple[str, str, str]:
    """Return what every translated text of this request depends on: language, typographic
    convention, register (reads the blog settings once per request if not read yet)."""
    return str(get_locale()), typography_convention(), str(blog_register())


def page_text(key: tuple[str, str, str]) -> dict:
    """Return `_` and `tu_vous` for one render of a page in the language, convention and
    register of `key` (text_key())."""
    vous = key[2] == str(Register.VOUS)

    def gettext(string: str, **variables) -> Markup:
        found = _TEXTS.get((key, string))
        if found is None:
            found = _TEXTS.keep((key, string), Markup(get_translations().ugettext(string)))
        return found if not variables and "%" not in found else found % variables

    def tu_vous(tu, vous_form) -> str:
        return str(vous_form if vous else tu)

    return {"_": gettext, "tu_vous": tu_vous}

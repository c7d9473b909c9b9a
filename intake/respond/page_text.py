"""The questionnaire template's `_` and `tu_vous`, looked up once per page instead of per call.

Flask-Babel's Jinja `_` finds the request's translations again at every call (about 50 on the
page) and `tu_vous` the blog's register (25); these take both once and behave the same:
the template's `_` is Jinja's new-style gettext (the translation is markup, its variables are
escaped), its `tu_vous` picks one of two already translated sentences.
"""

from flask_babel import get_translations
from markupsafe import Markup

from intake.addressing import blog_register
from intake.enums import Register


def page_text() -> dict:
    """Return `_` and `tu_vous` for one render of a page, in the request's language and the
    blog's register (reads the settings once if not read yet)."""
    translations = get_translations()
    vous = blog_register() == Register.VOUS

    def gettext(string: str, **variables) -> Markup:
        return Markup(translations.ugettext(string)) % variables

    def tu_vous(tu, vous_form) -> str:
        return str(vous_form if vous else tu)

    return {"_": gettext, "tu_vous": tu_vous}

"""Render Jean-Luc's portrait PDF in a process of its own: `python -m tests.render_alone OUT`.

tests/test_pdf.py runs it with a fontconfig that sees no system font, so every glyph in the
PDF has to come from the fonts shipped in static/fonts/. WeasyPrint's warnings go to stderr.
"""

import logging
import sys
from pathlib import Path

from intake import create_app
from intake.extensions import db
from intake.publishing.pdf import render_portrait_pdf
from intake.questionnaire.series import ensure_default_questionnaire
from tests.support.seeds import jean_luc


def main(out: Path) -> None:
    """Write the PDF of a real portrait to `out`, in a fresh SQLite database beside it."""
    logging.basicConfig(level=logging.WARNING, format="%(name)s %(levelname)s %(message)s")
    app = create_app({
        "TESTING": True, "SECRET_KEY": "render-alone",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{out.with_suffix('.sqlite')}",
        "BASE_URL": "https://portraits.example.org",
    })
    with app.app_context():
        db.create_all()
        ensure_default_questionnaire()
        db.session.commit()
        out.write_bytes(render_portrait_pdf(jean_luc()))


if __name__ == "__main__":
    main(Path(sys.argv[1]))

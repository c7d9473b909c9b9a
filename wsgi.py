"""Entry point for gunicorn (`gunicorn wsgi:app`): production mode unless told otherwise."""

import os

os.environ.setdefault("INTAKE_PRODUCTION", "1")

from intake import create_app  # noqa: E402

app = create_app()

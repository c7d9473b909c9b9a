"""The app as gunicorn serves it (wsgi.py), plus two bench-only baseline routes.

- GET /__hello: the cheapest page of the same app and server (the pages baseline);
- GET /__static/<file>: a file from $BENCH_STATIC_DIR, served like Flask serves static files
  (the PDF download baseline).
"""

import os

from flask import abort, send_from_directory

import wsgi

app = wsgi.app


@app.get("/__hello")
def bench_hello():
    """Answer 'hello' (the baseline)."""
    return "hello"


@app.get("/__static/<path:filename>")
def bench_static(filename: str):
    """Serve a file of the bench's temporary static folder (the baseline for downloads)."""
    folder = os.environ.get("BENCH_STATIC_DIR")
    if not folder:
        abort(404)
    return send_from_directory(folder, filename)

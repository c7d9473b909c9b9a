"""Pages under load: gunicorn in production mode, wrk with 64 connections, against /__hello."""

import shutil
import tempfile
from pathlib import Path

from bench import fixtures
from bench.forms import login
from bench.queue import logged_in_client
from bench.report import Row, Table, interleaved, median, ms
from bench.server import Gunicorn, wrk
from intake.extensions import db
from intake.publishing import renditions

WORKERS = 4  # README's production command (`gunicorn -w 4`); 2 cores here
CONNECTIONS = 64
TARGETS = {"questionnaire": 0.25}  # issue 19; the post is measured against a static file in
# bench/readers.py (section 8) and only informs here
IN_PROCESS_TARGET = 0.004  # seconds of Python per questionnaire page (issue 19)


def in_process_times(app, paths: dict[str, str], repeat: int) -> dict[str, float]:
    """Return the median time of each page through the test client: the queue logged in, the
    others as their visitors come (no session: the invitee and readers have no account)."""
    blogger, visitor = logged_in_client(app), app.test_client()
    times = interleaved({name: lambda path=path, client=blogger if name == "queue" else visitor:
                         client.get(path).get_data()
                         for name, path in paths.items()}, repeat=repeat, warmup=3)
    return {name: median(values) for name, values in times.items()}


def run(quick: bool = False) -> Table:
    """Run the pages benchmark and return its table."""
    seconds, rounds = (3, 1) if quick else (10, 3)
    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        uri = fixtures.sqlite_uri(folder)
        app = fixtures.make_app(folder / "instance", uri)
        app.add_url_rule("/__hello", "bench_hello", lambda: "hello")
        with app.app_context():
            renditions.queue_render(fixtures.publish_seed_portrait())  # as publishing does
            db.session.commit()
            token = fixtures.open_invitations(1)[0]
            fixtures.many_submissions(100)
            db.session.remove()
        paths = {"hello": "/__hello", "questionnaire": f"/r/{token}",
                 "post": f"/portraits/{fixtures.SLUG}", "queue": "/admin/"}
        in_process = in_process_times(app, paths, repeat=10 if quick else 30)
        with Gunicorn(fixtures.bench_settings(uri), folder / "instance",
                      workers=WORKERS) as server:
            cookie = login(server.url, fixtures.BLOGGER_EMAIL, fixtures.BLOGGER_PASSWORD)
            pages = {name: (f"{server.url}{path}", {"Cookie": cookie} if name == "queue" else {})
                     for name, path in paths.items()}
            sizes = {name: len(server.check(url, headers)) for name, (url, headers)
                     in pages.items()}
            results = {name: [] for name in pages}
            for _ in range(rounds):
                for name, (url, headers) in pages.items():
                    server.settle()
                    results[name].append(wrk(url, CONNECTIONS, seconds, headers=headers))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    hello = median([r.rps for r in results["hello"]])
    rows = []
    labels = {"hello": "GET /__hello (baseline)", "questionnaire": "GET /r/<token>",
              "post": "GET /portraits/<slug>", "queue": "GET /admin/ (logged in)"}
    for name, label in labels.items():
        rps = median([r.rps for r in results[name]])
        errors = sum(r.errors for r in results[name])
        p50 = median([r.p50 for r in results[name]])
        p99 = median([r.p99 for r in results[name]])
        target = TARGETS.get(name)
        ratio = rps / hello
        rows.append(Row(f"{label} req/s (p50 {ms(p50)}, p99 {ms(p99)}, {sizes[name] // 1024} KB)",
                        f"{rps:.0f}/s", f"{hello:.0f}/s", ratio,
                        f">= {target}x, 0 errors" if target else "0 errors",
                        (ratio >= target if target else True) and errors == 0))
        rows.append(Row(f"{label} errors", str(errors), target="0", passed=errors == 0))
    spent = in_process["questionnaire"]
    rows.append(Row("GET /r/<token> in process (Python per request)", ms(spent),
                    f"{ms(in_process['hello'])} hello", spent / in_process["hello"],
                    f"<= {IN_PROCESS_TARGET * 1000:g} ms", spent <= IN_PROCESS_TARGET))
    notes = [f"gunicorn -w {WORKERS} sync workers, INTAKE_PRODUCTION=1, SQLite (WAL); wrk -t 2 "
             f"-c {CONNECTIONS} -d {seconds}s per page, {rounds} interleaved round(s), median "
             "req/s. wrk runs on the same 2 cores as the server.",
             "Errors are socket errors plus every answer outside 2xx (counted by a wrk Lua "
             "script; redirects count as errors). The queue is reached with a session cookie "
             "from a real login POST with its CSRF token; CSRF stays on.",
             "Data: the published seed portrait with a photo (its post page stored, as "
             "publishing stores it), one open invitation, 100 submissions in the queue.",
             "Python time per request in process (Flask test client, median, no HTTP): "
             + ", ".join(f"{name} {ms(seconds)}" for name, seconds in in_process.items())
             + ". With 2 cores, this is what bounds each page's requests per second."]
    return Table("2. Pages under load", rows, notes)

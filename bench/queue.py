"""Review queue: first page and search with 100 and 10,000 submissions, time and SQL queries."""

import shutil
import tempfile
from pathlib import Path

from sqlalchemy import text

from bench import fixtures
from bench.forms import form_fields
from bench.report import Row, Table, median, ms, percentile, timed
from intake.database import watch_statements
from intake.extensions import db

SIZES = (100, 10_000)
TARGET_P95 = 0.100
PAGES = {
    "first page": "/admin/",
    "search": "/admin/?q=tremblay",
    "state filter + name sort": "/admin/?state=submitted&sort=name",
    "page 100 (info)": "/admin/?page=100",
}


class QueryCounter:
    """Count the SQL statements the engine sends."""

    def __init__(self, engine):
        self.count = 0
        watch_statements(self._count, engine)

    def _count(self, statement: str) -> None:
        self.count += 1


def logged_in_client(app):
    """Return a test client logged in through the real login form (CSRF on)."""
    client = app.test_client()
    fields = form_fields(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"csrf_token": fields["csrf_token"],
                                         "email": fixtures.BLOGGER_EMAIL,
                                         "password": fixtures.BLOGGER_PASSWORD})
    if answer.status_code != 303:
        raise RuntimeError(f"login answered {answer.status_code}")
    return client


def measure(client, counter: QueryCounter, repeat: int) -> dict:
    """Time every page (and /__hello) `repeat` times, interleaved; count queries per page."""
    urls = {"hello": "/__hello", **PAGES}
    times: dict[str, list[float]] = {name: [] for name in urls}
    queries: dict[str, int] = {}
    for name, url in urls.items():  # warm-up, and the query count of each page
        before = counter.count
        answer = client.get(url)
        if answer.status_code != 200:
            raise RuntimeError(f"{url} answered {answer.status_code}")
        queries[name] = counter.count - before
    for _ in range(repeat):
        for name, url in urls.items():
            times[name].append(timed(lambda url=url: client.get(url).get_data()))
    return {"times": times, "queries": queries}


def run_database(uri: str, folder: Path, repeat: int,
                 sizes: tuple[int, ...] = SIZES) -> dict[int, dict]:
    """Measure the queue at each size on one database."""
    app = fixtures.make_app(folder / "instance", uri, WTF_CSRF_ENABLED=True)
    app.add_url_rule("/__hello", "bench_hello", lambda: "hello")
    results = {}
    with app.app_context():
        engine = db.engine
    counter = QueryCounter(engine)
    client = logged_in_client(app)  # requests run outside any pushed context, as in production
    added = 0
    for size in sizes:
        with app.app_context():
            fixtures.many_submissions(size - added, start=added)
            if db.engine.dialect.name == "postgresql":
                db.session.execute(text("ANALYZE"))  # what autovacuum does after bulk inserts
                db.session.commit()
            db.session.remove()
        added = size
        results[size] = measure(client, counter, repeat)
    engine.dispose()
    return results


def rows_for(label: str, results: dict[int, dict]) -> list[Row]:
    """Return the rows of one database: p95 per page at the largest size, query counts."""
    small_size, large_size = min(results), max(results)
    small, large = results[small_size], results[large_size]
    hello = percentile(large["times"]["hello"], 0.95)
    rows = []
    for name in PAGES:
        p95 = percentile(large["times"][name], 0.95)
        targeted = "info" not in name
        rows.append(Row(f"{label}: {name} p95 at {large_size:,} (p50 "
                        f"{ms(median(large['times'][name]))}; p95 at {small_size}: "
                        f"{ms(percentile(small['times'][name], 0.95))})",
                        ms(p95), f"hello p95 {ms(hello)}", p95 / hello,
                        "< 100 ms" if targeted else "", p95 < TARGET_P95 if targeted else None))
        counts = (small["queries"][name], large["queries"][name])
        rows.append(Row(f"{label}: {name} SQL queries at {small_size} / {large_size:,}",
                        f"{counts[0]} / {counts[1]}", target="constant",
                        passed=counts[0] == counts[1]))
    return rows


def run(quick: bool = False) -> Table:
    """Run the queue benchmark on SQLite and PostgreSQL and return its table."""
    repeat = 15 if quick else 60
    folder = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    try:
        rows = rows_for("SQLite", run_database(fixtures.sqlite_uri(folder), folder, repeat))
        with fixtures.postgres_database() as uri:
            rows += rows_for("PostgreSQL", run_database(uri, folder / "pg", repeat))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    notes = [f"In process with Flask's test client, logged in through the real login form "
             f"(CSRF on); {repeat} interleaved requests per page after a warm-up; nearest-rank "
             "p95. Baseline: GET /__hello in the same app and run.",
             "Rows: invitations with their submissions in six states, dates spread over 90 "
             "days; the search matches about one name in ten (LIKE on five lower-cased "
             "columns). Queries are counted with a before_cursor_execute listener.",
             "The query count includes the login's user lookup, the counts per state, the "
             "page and its total."]
    return Table("4. Review queue", rows, notes)

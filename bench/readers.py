"""Readers' pages at any size (issue 19): index, feed, post and PDF from 100 to 10,000
published portraits (time and SQL queries), and the stored post page and PDF against the same
bytes served as static files by the same server."""

import secrets
import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bench import fixtures
from bench.queue import QueryCounter
from bench.report import Row, Table, interleaved, median, ms
from bench.server import Gunicorn, wrk
from intake.enums import State
from intake.extensions import db
from intake.models import Answer, Invitation, Submission
from intake.publishing import pages, renditions
from intake.publishing.listing import PAGE_SIZE
from intake.questionnaire.series import current_questionnaire

SIZES = (100, 1_000, 10_000)
FLAT = 1.5  # a page at 10,000 portraits within 1.5x its time at 100
STATIC_TARGET = 0.8
PAGES = {"index": "/", "index, last page": "/?page={last}", "feed": "/series/{series}/feed.atom",
         "post": f"/portraits/{fixtures.SLUG}", "pdf": f"/portraits/{fixtures.SLUG}.pdf"}


def publish_many(count: int, start: int, batch: int = 2000) -> None:
    """Add `count` small published portraits, older than the seed one; commits (bulk)."""
    questionnaire_id = current_questionnaire().id
    now = datetime.now(UTC)
    for first in range(start, start + count, batch):
        numbers = range(first, min(first + batch, start + count))
        db.session.execute(insert(Invitation), [
            {"questionnaire_id": questionnaire_id, "name": f"Lectrice {n}",
             "email": f"lectrice{n}@example.org", "organisation": f"Organisation {n % 97}",
             "language": "fr", "token_nonce": secrets.token_urlsafe(8),
             "token_sha256": secrets.token_hex(32), "expires_at": now} for n in numbers])
        ids = dict(db.session.execute(select(Invitation.email, Invitation.id).where(
            Invitation.email.in_([f"lectrice{n}@example.org" for n in numbers]))).all())
        db.session.execute(insert(Submission), [
            {"invitation_id": ids[f"lectrice{n}@example.org"], "state": State.PUBLISHED.value,
             "slug": f"lectrice-{n}", "display_name": f"Lectrice {n}",
             "role_title": "" if n % 2 else "Gestionnaire de communauté",
             "publication_date": date.today() - timedelta(days=1 + n // 3),
             "published_at": now - timedelta(days=1 + n // 3), "created_at": now,
             "updated_at": now} for n in numbers])
        submissions = dict(db.session.execute(select(Submission.slug, Submission.id).where(
            Submission.slug.in_([f"lectrice-{n}" for n in numbers]))).all())
        db.session.execute(insert(Answer), [
            {"submission_id": submissions[f"lectrice-{n}"], "question_text": "Ton parcours?",
             "body": f"Une première phrase, la {n}e. Une deuxième.", "position": 0,
             "updated_at": now} for n in numbers])
        db.session.commit()


def measure(app, size: int, repeat: int) -> tuple[dict, dict, dict, float]:
    """Return per page: median seconds, queries, bytes; and the post page's render time."""
    client = app.test_client()
    counter = QueryCounter(db.engine)
    queries, sizes = {}, {}
    series = current_questionnaire().slug
    paths = {name: path.format(last=-(-size // PAGE_SIZE), series=series)
             for name, path in PAGES.items()}
    for path in paths.values():  # warm-up (the first request reads what it caches)
        client.get(path)
    for name, path in paths.items():  # the query count of each page
        before = counter.count
        answer = client.get(path)
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}")
        queries[name], sizes[name] = counter.count - before, len(answer.data)
    times = interleaved({name: lambda path=path: client.get(path).get_data()
                         for name, path in paths.items()}, repeat=repeat)
    submission = db.session.scalar(select(Submission).where(Submission.slug == fixtures.SLUG))
    render = interleaved({"render": lambda: pages.post_html(submission)}, repeat=15)["render"]
    db.session.rollback()
    return ({name: median(values) for name, values in times.items()}, queries, sizes,
            median(render))


def growth(app, sizes: tuple[int, ...], repeat: int) -> tuple[list[Row], list[str], dict]:
    """Publish up to each size and measure; return the rows, a Markdown growth table, bytes."""
    results, published = {}, 1
    with app.app_context():
        for size in sizes:
            publish_many(size - published, start=published)
            published = size
            results[size] = measure(app, size, repeat)
        stored = {"post": pages.stored_page(fixtures.SLUG).data,
                  "pdf": renditions.stored_pdf(fixtures.SLUG).data}
        db.session.remove()
    small, large = results[sizes[0]], results[sizes[-1]]
    rows = []
    for name in PAGES:
        ratio = large[0][name] / small[0][name]
        flat_queries = large[1][name] == small[1][name]
        shown = PAGES[name].replace("{last}", "<last>").replace("{series}", "<series>")
        rows.append(Row(f"GET {shown} at {sizes[-1]:,} published ({large[1][name]} "
                        f"queries, {large[2][name] // 1024} KB)", ms(large[0][name]),
                        f"{ms(small[0][name])} at {sizes[0]:,}", ratio,
                        f"<= {FLAT}x, same queries", ratio <= FLAT and flat_queries))
    rows.append(Row(f"post page render (worker) at {sizes[-1]:,}", ms(large[3]),
                    f"{ms(small[3])} at {sizes[0]:,}", large[3] / small[3], f"<= {FLAT}x",
                    large[3] / small[3] <= FLAT))
    table = ["| published | " + " | ".join(PAGES) + " | post render |",
             "|---|" + "---|" * (len(PAGES) + 1)]
    for size, (times, queries, nbytes, render) in results.items():
        cells = [f"{ms(times[n])}, {queries[n]} q, {nbytes[n] // 1024} KB" for n in PAGES]
        table.append(f"| {size:,} | " + " | ".join(cells) + f" | {ms(render)} |")
    return rows, table, stored


def static_rows(stored: dict, instance: Path, uri: str, seconds: float,
                rounds: int) -> tuple[list[Row], list[str]]:
    """Compare the stored post page and PDF with the same bytes as static files (gunicorn)."""
    static = Path(tempfile.mkdtemp(prefix="bench-static-"))
    (static / "post.html").write_bytes(stored["post"])
    (static / "portrait.pdf").write_bytes(stored["pdf"])
    urls = {"post": (f"/portraits/{fixtures.SLUG}", "/__static/post.html"),
            "pdf": (f"/portraits/{fixtures.SLUG}.pdf", "/__static/portrait.pdf")}
    try:
        with Gunicorn(fixtures.bench_settings(uri), instance, workers=4,
                      extra_env={"BENCH_STATIC_DIR": str(static)}) as server:
            for name, pair in urls.items():
                for path in pair:
                    server.check(server.url + path, expect_bytes=stored[name])
            results = {path: [] for pair in urls.values() for path in pair}
            for _ in range(rounds):
                for path in results:
                    server.settle()
                    results[path].append(wrk(server.url + path, connections=16,
                                             seconds=seconds))
    finally:
        shutil.rmtree(static, ignore_errors=True)
    rows = []
    for app_path, static_path in urls.values():
        app_rps = median([r.rps for r in results[app_path]])
        static_rps = median([r.rps for r in results[static_path]])
        errors = sum(r.errors for path in (app_path, static_path) for r in results[path])
        ratio = app_rps / static_rps
        rows.append(Row(f"GET {app_path} req/s, stored bytes ({errors} errors)",
                        f"{app_rps:.0f}/s", f"{static_rps:.0f}/s static", ratio,
                        f">= {STATIC_TARGET}x, 0 errors",
                        ratio >= STATIC_TARGET and errors == 0))
    notes = [f"gunicorn -w 4 (sync), SQLite (WAL), wrk -t 2 -c 16 -d {seconds:g}s, {rounds} "
             "interleaved rounds, median req/s. Baseline: the very same bytes written to a "
             "temporary folder and served by send_from_directory from the same app and server "
             "(bench/wsgi_bench.py `/__static/`)."]
    return rows, notes


def run(quick: bool = False) -> Table:
    """Run the readers' pages benchmark and return its table."""
    sizes = SIZES[:2] if quick else SIZES
    folder = Path(tempfile.mkdtemp(prefix="bench-readers-"))
    try:
        uri = fixtures.sqlite_uri(folder)
        app = fixtures.make_app(folder / "instance", uri)
        with app.app_context():
            submission = fixtures.publish_seed_portrait()
            renditions.queue_render(submission)  # the page, as publishing stores it
            renditions.render_pdf(submission)  # the PDF, as the worker stores it
            db.session.commit()
            db.session.remove()
        rows, growth_table, stored = growth(app, sizes, repeat=10 if quick else 30)
        more_rows, notes = static_rows(stored, folder / "instance", uri,
                                       seconds=2 if quick else 5, rounds=1 if quick else 3)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    notes = ["Growth (the table below): in process (Flask test client, no HTTP), SQLite, "
             f"median of {10 if quick else 30} interleaved runs per page; q = SQL statements "
             "sent (BEGIN included). The seed post (with a photo) is the newest; the others "
             "are small portraits (one answer, half with a role line, no photo) added in bulk. "
             "Post render: pages.post_html, the worker's render of one stored page.", *notes]
    return Table("8. Readers' pages at any size (issue 19)", rows + more_rows, notes,
                 extra=growth_table)

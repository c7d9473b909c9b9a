"""Keep the bench code from rotting: its cheapest benchmark on tiny data (no timing asserted)."""

import re

from bench import fixtures, queue, readers
from bench.report import Table
from intake.extensions import db
from intake.publishing import renditions


def test_bench_queue_tiny_counts_constant_queries(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    results = queue.run_database(f"sqlite:///{tmp_path / 'bench.sqlite'}", tmp_path, repeat=2,
                                 sizes=(3, 12))
    table = Table("queue", queue.rows_for("SQLite", results), [])

    counts = [(r.name, r.measured) for r in table.rows if "SQL queries" in r.name]
    assert len(counts) == len(queue.PAGES)
    assert all(small == large for _, value in counts
               for small, large in [value.split(" / ")])
    assert "| SQLite: first page SQL queries at 3 / 12 |" in table.render()


def test_bench_mail_tiny_throughput_sends_each_message(make_app):
    from bench import mail
    from tests.support.servers import SMTPServer

    with SMTPServer(handler=mail.Timed()) as server:
        app = make_app(**server.config())
        with app.app_context():
            app_times, bare_times = mail.throughput(server, 3, repeat=1)
    assert (len(app_times), len(bare_times)) == (1, 1)
    assert len(server.messages) == 6  # three by the app, the same three by the bare loop
def test_bench_readers_tiny_counts_the_same_queries_at_both_sizes(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = fixtures.make_app(tmp_path / "instance", f"sqlite:///{tmp_path / 'bench.sqlite'}")
    with app.app_context():
        submission = fixtures.publish_seed_portrait()
        renditions.queue_render(submission)
        renditions.render_pdf(submission)
        db.session.commit()
        db.session.remove()

    _rows, growth_table, stored = readers.growth(app, (5, 45), repeat=1)

    counts = [re.findall(r"(\d+) q,", line) for line in growth_table[2:]]
    assert len(counts) == 2 and counts[0] == counts[1]
    assert counts[0][3:5] == ["1", "1"]  # the stored post page and PDF: one query, no BEGIN
    assert stored["post"].startswith(b"<!doctype html>") and stored["pdf"][:5] == b"%PDF-"

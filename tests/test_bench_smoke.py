"""Keep the bench code from rotting: its cheapest benchmark on tiny data (no timing asserted)."""

from bench import queue
from bench.report import Table


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

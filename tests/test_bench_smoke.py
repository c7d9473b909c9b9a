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

"""Mail: the worker's delivery against a bare smtplib loop, and commit-to-SMTP latency.

Both to a local aiosmtpd server. Throughput: deliver_due() (claims under a lease, outcomes
committed) against one smtplib connection sending the same messages, interleaved.
Latency: a `flask worker` process idle on the database; a message is committed, and the time
until the SMTP server has it is measured.
"""

import os
import random
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import update

from bench import fixtures
from bench.report import Row, Table, median, ms, percentile
from intake.enums import OutboxStatus
from intake.extensions import db
from intake.mail.delivery import build_message, deliver_due
from intake.models import OutboxMessage, utcnow
from tests.support.factories import make_messages
from tests.support.servers import Collector, SMTPServer, flask_settings

THROUGHPUT_TARGET = 0.8
LATENCY_TARGET = 2.0


class Timed(Collector):
    """Keep when each message arrived, by Message-ID."""

    def __init__(self):
        super().__init__()
        self.arrived: dict[str, float] = {}

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        self.arrived[self.messages[-1]["Message-ID"]] = time.monotonic()
        return reply


def requeue() -> None:
    """Put every message back in the queue, due now; commits."""
    db.session.execute(update(OutboxMessage).values(status=OutboxStatus.QUEUED, attempts=0,
                                                    next_attempt_at=utcnow(), sent_at=None))
    db.session.commit()


def bare_loop(server: SMTPServer, messages: list) -> None:
    """Send the same messages over one smtplib connection: write each, send it, nothing else."""
    with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as smtp:
        for message in messages:
            smtp.sendmail(message.sender, list(message.send_to), message.as_bytes())


def throughput(server: SMTPServer, count: int, repeat: int) -> tuple[list[float], list[float]]:
    """Time deliver_due and the bare loop over `count` messages, `repeat` times, interleaved."""
    make_messages(count)
    rows = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    messages = [build_message(row) for row in rows]
    db.session.commit()
    app_times, bare_times = [], []
    for _round in range(repeat):
        requeue()
        started = time.perf_counter()
        report = deliver_due(limit=count)
        app_times.append(time.perf_counter() - started)
        assert report.sent == count, report
        started = time.perf_counter()
        bare_loop(server, messages)
        bare_times.append(time.perf_counter() - started)
    return app_times, bare_times


def latency(app, server: SMTPServer, instance: Path, samples: int) -> list[float]:
    """Commit one message at a time beside an idle `flask worker`; return commit→SMTP times."""
    env = {**os.environ, "INTAKE_INSTANCE_PATH": str(instance),
           **flask_settings({**fixtures.bench_settings(app.config["SQLALCHEMY_DATABASE_URI"]),
                             **server.config()})}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "intake", "worker"],
                              cwd=fixtures.ROOT, env=env, stdout=subprocess.DEVNULL)
    times = []
    try:
        time.sleep(3)  # started and idle
        for _sample in range(samples):
            time.sleep(random.uniform(0.2, 1.2))  # the worker is somewhere in its sleep
            message_id = db.session.get(OutboxMessage, make_messages(1)[0]).message_id
            committed = time.monotonic()
            db.session.commit()
            deadline = committed + 30
            while message_id not in server.handler.arrived and time.monotonic() < deadline:
                time.sleep(0.005)
            times.append(server.handler.arrived.get(message_id, deadline) - committed)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    return times


def run(quick: bool = False) -> Table:
    """Measure delivery throughput and latency on SQLite; return the table."""
    count, repeat, samples = (100, 3, 15) if quick else (300, 5, 40)
    with tempfile.TemporaryDirectory() as folder, SMTPServer(handler=Timed()) as server:
        instance = Path(folder)
        os.environ["INTAKE_INSTANCE_PATH"] = str(instance)
        uri = fixtures.sqlite_uri(instance)
        app = fixtures.make_app(instance, uri, **server.config())
        with app.app_context():
            app_times, bare_times = throughput(server, count, repeat)
            waits = latency(app, server, instance, samples)
    app_rate, bare_rate = count / median(app_times), count / median(bare_times)
    ratio = app_rate / bare_rate
    p95 = percentile(waits, 0.95)
    rows = [
        Row(f"deliver_due, {count} messages (messages/s)", f"{app_rate:.0f}/s",
            f"{bare_rate:.0f}/s", ratio, f">= {THROUGHPUT_TARGET}x", ratio >= THROUGHPUT_TARGET),
        Row("commit → SMTP with the worker idle, p95", ms(p95), "", None,
            f"< {LATENCY_TARGET:.0f} s", p95 < LATENCY_TARGET),
        Row("commit → SMTP, median (info)", ms(median(waits))),
    ]
    notes = [f"SQLite, local aiosmtpd. Throughput: medians of {repeat} interleaved runs; the "
             "baseline is one smtplib.SMTP connection sending the same messages, built "
             "beforehand (it does no database work at all; like the app, it writes each "
             "message's bytes). Latency: "
             f"{samples} messages committed one at a time at random moments beside an idle "
             "`flask worker` (WORKER_POLL_SECONDS 0.5)."]
    return Table("mail", rows, notes)

"""The worker as a process: two at once, a graceful stop, one pass for cron, its jobs."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import BlogSetting
from intake.worker.heartbeat import last_beat
from intake.worker.jobs import Job
from intake.worker.loop import Worker
from tests.support.factories import make_messages, outbox_rows
from tests.support.http import wait_until_up
from tests.support.servers import ROOT, SMTPServer, flask_env, free_port
from tests.support.smtp import Slow

WORKER = [sys.executable, "-m", "flask", "--app", "intake", "worker"]


def start_worker(app, tmp_path, server, name: str, **settings) -> subprocess.Popen:
    """Start `flask worker` on the test database, sending to `server`; output in a file."""
    env = flask_env(app, tmp_path / "instance", **server.config(), WORKER_POLL_SECONDS=0.1,
                    **settings)
    with (tmp_path / f"{name}.log").open("w") as log:  # the worker keeps its own copy
        return subprocess.Popen(WORKER, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, timeout: float) -> bool:
    """Wait until condition() is true; say whether it became so in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def stop(process: subprocess.Popen) -> int:
    """SIGTERM a worker and return its exit code."""
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=20)


@pytest.mark.slow
def test_two_workers_and_a_slow_relay_send_200_messages_once_each(make_app, tmp_path):
    with SMTPServer(handler=Slow(0.05)) as server:
        app = make_app(**server.config())
        with app.app_context():
            make_messages(200)
        # The whole run lasts far longer than a lease: a claim older than it is taken again
        # only if its worker died, never while it is sent.
        lease = {"MAIL_LEASE_SECONDS": 2, "MAIL_MESSAGE_DEADLINE": 1}
        workers = [start_worker(app, tmp_path, server, f"w{n}", **lease) for n in (1, 2)]
        try:
            assert wait_for(lambda: len(server.messages) >= 200, 120), len(server.messages)
            time.sleep(0.5)  # a doubled message would arrive now
        finally:
            codes = [stop(worker) for worker in workers]
    assert codes == [0, 0]
    received = [message["Message-ID"] for message in server.messages]
    assert len(received) == len(set(received)) == 200
    with app.app_context():
        rows = outbox_rows()
        assert {row.status for row in rows} == {"sent"}
        assert sorted(received) == sorted(row.message_id for row in rows)


@pytest.mark.slow
def test_sigterm_mid_batch_finishes_the_message_in_flight_and_doubles_none(make_app,
                                                                            tmp_path):
    with SMTPServer(handler=Slow(0.2)) as server:
        app = make_app(**server.config())
        with app.app_context():
            make_messages(30)
        worker = start_worker(app, tmp_path, server, "worker")
        assert wait_for(lambda: len(server.messages) >= 3, 60)
        started = time.monotonic()
        assert stop(worker) == 0
        assert time.monotonic() - started < 5
        with app.app_context():
            rows = outbox_rows()
            assert "sending" not in {row.status for row in rows}  # nothing left claimed
            sent = {row.message_id for row in rows if row.status == "sent"}
            assert sent == {message["Message-ID"] for message in server.messages}
            assert 3 <= len(sent) < 30
        once = subprocess.run([*WORKER, "--once"], cwd=ROOT, capture_output=True, text=True,
                              env=flask_env(app, tmp_path / "instance", **server.config()),
                              timeout=60, check=True)
        assert once.stdout.startswith(f"mail: {30 - len(sent)}, "), once.stdout
    received = [message["Message-ID"] for message in server.messages]
    assert len(received) == len(set(received)) == 30


def test_once_runs_every_job_and_writes_the_heartbeat(app, runner):
    result = runner.invoke(args=["worker", "--once"])
    assert result.output == (
        "mail: 0, pdf: 0, pages: 0, reminders: 0, pdf-retries: 0, wordpress: 0\n")
    assert db.session.scalar(select(BlogSetting.value).where(
        BlogSetting.key == "worker_heartbeat"))


def test_a_failing_job_never_stops_the_others(app):
    ran = []

    def broken(_stopping):
        raise RuntimeError("boom")

    def counted(_stopping):
        ran.append(True)
        return 1

    worker = Worker(app, jobs=[Job("broken", broken), Job("counted", counted)])
    assert worker.run_once() == {"broken": 0, "counted": 1}
    assert (ran, worker.failed) == ([True], ["broken"])


def test_jobs_run_at_their_own_pace(app):
    now = [0.0]
    calls = []
    jobs = [Job("often", lambda _s: calls.append("often") or 0),
            Job("hourly", lambda _s: calls.append("hourly") or 0, every=3600)]
    worker = Worker(app, jobs=jobs, clock=lambda: now[0])
    worker.run_once(every_job=False)
    now[0] = 10
    worker.run_once(every_job=False)
    now[0] = 3601
    worker.run_once(every_job=False)
    assert calls == ["often", "hourly", "often", "often", "hourly"]


@pytest.mark.slow
def test_serve_runs_site_and_worker_and_sigterm_stops_both(make_app, tmp_path):
    app = make_app()
    port = free_port()
    env = flask_env(app, tmp_path / "instance", WORKER_POLL_SECONDS=0.1)
    serve = subprocess.Popen([sys.executable, "-m", "flask", "--app", "intake", "serve",
                              "--port", str(port)], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/login", timeout=60, process=serve)
        with app.app_context():
            assert wait_for(lambda: db.session.rollback() or last_beat() is not None, 30)
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(serve.pid)],
                                  capture_output=True, text=True, check=False).stdout.split()
        assert len(children) == 2
        serve.send_signal(signal.SIGTERM)  # to the supervisor alone, as systemd or a shell would
        assert serve.wait(timeout=30) == 0
    finally:
        if serve.poll() is None:
            serve.kill()
    assert all(not Path(f"/proc/{pid}").exists() for pid in children)


@pytest.mark.slow
def test_sighup_restarts_the_worker_in_place_and_it_goes_on_delivering(make_app, tmp_path, smtp):
    app = make_app(**smtp.config())
    worker = start_worker(app, tmp_path, smtp, "worker")
    try:
        with app.app_context():
            make_messages(1)
        assert wait_for(lambda: len(smtp.messages) == 1, 30)
        worker.send_signal(signal.SIGHUP)
        log = tmp_path / "worker.log"
        assert wait_for(lambda: log.read_text().count("worker: running") == 2, 30), log.read_text()
        assert worker.poll() is None  # the same process, started again
        with app.app_context():
            make_messages(1, domain="example.net")
        assert wait_for(lambda: len(smtp.messages) == 2, 30)
    finally:
        assert stop(worker) == 0
    assert smtp.handler.envelopes[1][1] == ["a1@example.net"]


@pytest.mark.slow
def test_killed_worker_loses_nothing_and_its_claims_lapse_after_the_lease(make_app, tmp_path):
    with SMTPServer(handler=Slow(0.1)) as server:
        app = make_app(**server.config())
        with app.app_context():
            make_messages(40)
        lease = {"MAIL_LEASE_SECONDS": 2, "MAIL_MESSAGE_DEADLINE": 1}
        first = start_worker(app, tmp_path, server, "first", **lease)
        assert wait_for(lambda: len(server.messages) >= 5, 60)
        first.kill()  # SIGKILL: no chance to record or release anything
        first.wait(timeout=10)
        killed_at = time.monotonic()
        second = start_worker(app, tmp_path, server, "second", **lease)
        try:
            assert wait_for(lambda: len({m["Message-ID"] for m in server.messages}) == 40,
                            60)
            elapsed = time.monotonic() - killed_at
        finally:
            assert stop(second) == 0
    received = [message["Message-ID"] for message in server.messages]
    assert len(set(received)) == 40  # nothing lost
    # Resent at most what the killed worker sent in its last second (not yet recorded).
    assert len(received) - 40 <= 11
    assert elapsed < 2 + 40 * 0.1 + 10
    with app.app_context():
        assert {row.status for row in outbox_rows()} == {"sent"}

"""The worker loop: run each job when due, beat, sleep briefly when idle, stop gracefully.

SIGTERM and SIGINT stop it after the step in flight (the message being sent is finished, no
new one is claimed); SIGHUP does the same, then starts the worker again in the same process
(new code and settings), as a graceful reload.
"""

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

from flask import Flask

from intake.extensions import db
from intake.worker import heartbeat
from intake.worker.jobs import JOBS, Job

log = logging.getLogger(__name__)


class Worker:
    """Runs the registered jobs in one app context until asked to stop."""

    def __init__(self, app: Flask, jobs: list[Job] | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.app = app
        self.jobs = JOBS if jobs is None else jobs
        self.clock = clock
        self.last_run: dict[str, float] = {}
        self.last_beat: float | None = None
        self.failed: list[str] = []  # the jobs that raised, in order
        self.stop_requested = False
        self.reload_requested = False
        self.wake = threading.Event()

    def stopping(self) -> bool:
        """Say whether the worker was asked to stop (jobs check it between items)."""
        return self.stop_requested

    def interval(self, job: Job) -> float:
        """Return a job's period in seconds."""
        every = job.every
        return float(self.app.config[every] if isinstance(every, str) else every)

    def due(self, job: Job) -> bool:
        """Say whether a job is due now."""
        last = self.last_run.get(job.name)
        return last is None or self.clock() - last >= self.interval(job)

    def run_job(self, job: Job) -> int:
        """Run one job; a failure is logged and rolled back, never stops the others."""
        self.last_run[job.name] = self.clock()
        try:
            return job.run(self.stopping) or 0
        except Exception:
            log.exception("worker job %r failed", job.name)
            self.failed.append(job.name)
            db.session.rollback()
            return 0
        finally:
            db.session.remove()

    def run_once(self, every_job: bool = True) -> dict[str, int]:
        """Run every job (or only the due ones) once, then beat; returns what each did."""
        done = {}
        with self.app.app_context():
            for job in self.jobs:
                if self.stop_requested:
                    break
                if every_job or self.due(job):
                    done[job.name] = self.run_job(job)
            self.beat()
        return done

    def beat(self) -> None:
        """Write the heartbeat when WORKER_HEARTBEAT_SECONDS have passed (or never did)."""
        period = float(self.app.config["WORKER_HEARTBEAT_SECONDS"])
        if self.last_beat is not None and self.clock() - self.last_beat < period:
            return
        try:
            heartbeat.beat()
            self.last_beat = self.clock()
        except Exception:
            log.exception("worker heartbeat could not be written")
            db.session.rollback()

    def run(self) -> None:
        """Loop until a signal asks to stop; loop at once while jobs find work, else sleep
        WORKER_POLL_SECONDS."""
        poll = float(self.app.config["WORKER_POLL_SECONDS"])
        while not self.stop_requested:
            done = self.run_once(every_job=False)
            if not any(done.values()):
                self.wake.wait(poll)

    def ask_to_stop(self, signum: int, _frame=None) -> None:
        """Signal handler: stop after the step in flight (SIGHUP: then start again)."""
        self.stop_requested = True
        self.reload_requested = signum == signal.SIGHUP
        self.wake.set()

    def install_signals(self) -> None:
        """Handle SIGTERM, SIGINT and SIGHUP gracefully (main thread only)."""
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self.ask_to_stop)

    def reload_if_asked(self) -> None:
        """After SIGHUP, replace this process with a fresh worker (same command line)."""
        if self.reload_requested:
            log.warning("worker reloading after SIGHUP")
            os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])

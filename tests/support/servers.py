"""Real servers for tests: a free port, the app under gunicorn, SMTP servers on loopback."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    """Return a TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving_in_a_thread(app):
    """Serve a test app on a free loopback port from a thread; yield its base URL."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(5)


def flask_settings(settings: dict) -> dict[str, str]:
    """Return settings as the FLASK_* environment variables the app reads (JSON-like values)."""
    return {f"FLASK_{key}": value if isinstance(value, str) else repr(value).lower()
            for key, value in settings.items()}


def flask_env(app, instance: Path, **settings) -> dict[str, str]:
    """Return the environment of a `flask --app intake` process on a test app's database.

    It has its own instance folder, the tests' secret key and base URL, and `settings`.
    """
    return {**os.environ, "INTAKE_INSTANCE_PATH": str(instance),
            **flask_settings({"SECRET_KEY": "test-secret-key",
                              "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                              "BASE_URL": "https://portraits.example.org", **settings})}


class Gunicorn:
    """gunicorn serving wsgi:app on loopback with the given settings (as FLASK_* variables)."""

    def __init__(self, settings: dict, instance: Path, workers: int = 2, threads: int = 1,
                 app: str = "wsgi:app", extra_env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.env = {**os.environ, "INTAKE_INSTANCE_PATH": str(instance), "INTAKE_PRODUCTION": "1",
                    **(extra_env or {}), **flask_settings(settings)}
        if workers > 1 and self.env.get("FLASK_RATELIMIT_STORAGE_URI", "memory://").startswith(
                "memory://"):
            # These servers test workers and pages, not shared limits: per-worker counts are
            # accepted here (gunicorn.conf.py refuses them otherwise; test_rate_limits.py).
            self.env.setdefault("FLASK_RATELIMIT_ALLOW_MEMORY_WITH_WORKERS", "true")
        self.command = [sys.executable, "-m", "gunicorn", "-w", str(workers),
                        "--threads", str(threads), "-b", f"127.0.0.1:{self.port}",
                        "--graceful-timeout", "5", "--log-level", "warning", app]
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env,
                                        start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start in 30 s")

    def worker_pids(self) -> list[int]:
        """Return the pids of the worker processes."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                             capture_output=True, text=True, check=False).stdout
        return [int(pid) for pid in out.split()]

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class WorkerProcess:
    """`flask --app intake worker` beside a Gunicorn, with the same settings, as in production."""

    def __init__(self, server: Gunicorn):
        self.env = {**server.env, "FLASK_WORKER_POLL_SECONDS": "0.1"}
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "WorkerProcess":
        command = [sys.executable, "-m", "flask", "--app", "intake", "worker"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env,
                                        stdout=subprocess.DEVNULL, start_new_session=True)
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Collector:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class RefusingHandler(Collector):
    """An aiosmtpd handler that refuses every recipient with one SMTP reply (e.g. 450, 550)."""

    def __init__(self, reply: str):
        super().__init__()
        self.reply = reply
        self.attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.attempts += 1
        return self.reply


class SMTPServer:
    """A real SMTP server on loopback that can be stopped and started again.

    With `refuse` (an SMTP reply such as "550 …"), it refuses every recipient with it; with
    `handler`, that handler answers (tests/support/smtp.py); as a context manager it runs for
    the block.
    """

    def __init__(self, refuse: str | None = None, handler: Collector | None = None):
        self.handler = handler or (RefusingHandler(refuse) if refuse else Collector())
        self.port = free_port()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> "SMTPServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def config(self) -> dict:
        """Return the app settings that point mail at this server."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_TIMEOUT": 5}

"""Run the app under real gunicorn workers for tests that need real processes."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """Return a TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn serving wsgi:app on loopback with the given settings (as FLASK_* variables)."""

    def __init__(self, settings: dict, instance: Path, workers: int = 2, threads: int = 1,
                 app: str = "wsgi:app", extra_env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.env = {**os.environ, "INTAKE_INSTANCE_PATH": str(instance), "INTAKE_PRODUCTION": "1",
                    **(extra_env or {})}
        for key, value in settings.items():
            self.env[f"FLASK_{key}"] = value if isinstance(value, str) else repr(value).lower()
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

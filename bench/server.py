"""gunicorn serving bench.wsgi_bench:app on loopback, and wrk as the load generator."""

import http.client
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.support import servers

ROOT = Path(__file__).resolve().parent.parent
WRK = "/usr/bin/wrk"

# Counts every answer outside 2xx (wrk's own "Non-2xx or 3xx" line lets redirects through).
STATUS_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("BAD_STATUS %d\\n", total))
end
"""


class Gunicorn(servers.Gunicorn):
    """gunicorn serving the bench app (with its /__hello baseline) in production mode."""

    def __init__(self, settings: dict, instance: Path, workers: int = 4,
                 extra_env: dict | None = None, app: str = "bench.wsgi_bench:app"):
        super().__init__(settings, instance, workers=workers, app=app, extra_env=extra_env)

    def check(self, url: str, headers: dict | None = None, expect_bytes: bytes | None = None):
        """Fetch a URL once and raise unless it answers 200 (and the expected bytes)."""
        status, _, body = request(url, headers=headers)
        if status != 200 or (expect_bytes is not None and body != expect_bytes):
            raise RuntimeError(f"{url} answered {status} ({len(body)} bytes)")
        return body

    def settle(self, limit: float = 60) -> None:
        """Wait until the workers have drained the last load (three quick hellos in a row)."""
        deadline, quick = time.monotonic() + limit, 0
        while quick < 3 and time.monotonic() < deadline:
            started = time.perf_counter()
            request(f"{self.url}/__hello")
            quick = quick + 1 if time.perf_counter() - started < 0.02 else 0
            time.sleep(0.2)


def request(url: str, method: str = "GET", body: bytes | None = None,
            headers: dict | None = None) -> tuple[int, dict, bytes]:
    """Send one HTTP request to a loopback URL; return status, headers, body."""
    parts = urlsplit(url)
    if parts.hostname != "127.0.0.1":
        raise ValueError("the bench only talks to 127.0.0.1")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@dataclass
class WrkResult:
    rps: float
    requests: int
    errors: int  # socket errors + answers outside 2xx
    p50: float  # seconds
    p99: float


def _duration(text: str) -> float:
    """Turn wrk's '5.12ms' / '830.00us' / '1.02s' into seconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    number, unit = float(match.group(1)), match.group(2)
    return number * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk(url: str, connections: int = 64, seconds: float = 10, threads: int = 2,
        headers: dict | None = None) -> WrkResult:
    """Run wrk against a loopback URL and return its throughput, errors and latencies."""
    if urlsplit(url).hostname != "127.0.0.1":
        raise ValueError("the bench only talks to 127.0.0.1")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(STATUS_SCRIPT)
    try:
        command = [WRK, "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
                   "--timeout", "10s", "--latency", "-s", script.name]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        out = subprocess.run(command + [url], capture_output=True, text=True, check=True,
                             timeout=seconds + 60).stdout
    finally:
        os.unlink(script.name)
    socket_errors = sum(int(n) for n in re.findall(
        r"(?:connect|read|write|timeout) (\d+)", out.split("Socket errors:")[-1].split("\n")[0]
    )) if "Socket errors:" in out else 0
    bad = int(re.search(r"BAD_STATUS (\d+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if "50" not in latency or "99" not in latency:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    return WrkResult(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
        errors=socket_errors + bad,
        p50=_duration(latency["50"]), p99=_duration(latency["99"]),
    )

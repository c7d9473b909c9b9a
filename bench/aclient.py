"""A small asyncio HTTP/1.1 client for loopback: one connection per request, timed."""

import asyncio
import json
import time
from dataclasses import dataclass


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self):
        """Return the body parsed as JSON."""
        return json.loads(self.body)


async def fetch(port: int, method: str, path: str, body: bytes = b"",
                headers: dict | None = None, timeout: float = 30) -> Response:
    """Send one request to 127.0.0.1:port and read the whole answer (Connection: close)."""
    started = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
                 f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    seconds = time.perf_counter() - started
    head, _, content = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    answer_headers: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        answer_headers[name.strip().lower()] = value.strip()
    if "chunked" in answer_headers.get("transfer-encoding", ""):
        content = _unchunk(content)
    return Response(int(status_line.split()[1]), answer_headers, content, seconds)


def _unchunk(data: bytes) -> bytes:
    """Decode a chunked transfer-encoded body."""
    out, rest = b"", data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2:]
    return out

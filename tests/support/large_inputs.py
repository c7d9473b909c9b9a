"""Helpers for the large-input tests: images that are costly to decode, and held multipart
POSTs (an upload sent but for its last byte) for real servers."""

import http.client
import io

from PIL import Image
from urllib3 import encode_multipart_formdata

from tests.reliability.helpers import HeldPost, Visitor


def gradient(width: int, height: int, fmt: str, mode: str = "RGB", **params) -> bytes:
    """Return a gradient image of that size: tiny on disk, every pixel still to decode."""
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def prepare_upload(visitor: Visitor, path: str, fields: dict, files: dict[str, bytes],
                   headers: dict | None = None) -> HeldPost:
    """Send a multipart POST of fields and files (name: bytes) but for its last byte."""
    parts = {**fields, **{name: (f"{name}.png", data, "image/png")
                          for name, data in files.items()}}
    body, content_type = encode_multipart_formdata(parts)
    connection = http.client.HTTPConnection("127.0.0.1", visitor.port, timeout=visitor.timeout)
    connection.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
    all_headers = visitor.headers({"Content-Type": content_type,
                                   "Content-Length": str(len(body)), **(headers or {})})
    for name, value in all_headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(body[:-1])
    return HeldPost(visitor, connection, body[-1:])

"""Hostile uploads through the invitee's real upload route: refused with a message, or cleaned."""

import io

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from intake.extensions import db
from intake.models import Photo
from tests.support.factories import make_invitation
from tests.support.images import jpeg
from tests.test_photos import (
    CORRUPT,
    NOT_IMAGE,
    TOO_MANY_PIXELS,
    TOO_MANY_PIXELS_PNG,
    encode,
    png_with_header_size,
)

TOO_MANY_FRAMES = "L’animation contient trop d’images. Envoie une photo fixe."


def plain_jpeg(size=(800, 600)) -> bytes:
    """Return a plain JPEG."""
    return jpeg(size, (30, 90, 160))


def animated_gif(frames: int) -> bytes:
    """Return a GIF with many frames."""
    images = [Image.new("P", (8, 8), i % 256) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:])
    return out.getvalue()


def jpeg_bomb() -> bytes:
    """Return a real JPEG whose header claims 20000×20000 pixels (a tiny file)."""
    data = bytearray(plain_jpeg((16, 16)))
    marker = data.index(b"\xff\xc0")
    data[marker + 5:marker + 9] = (20000).to_bytes(2, "big") + (20000).to_bytes(2, "big")
    return bytes(data)


REFUSED = {
    "png-bomb": (png_with_header_size(30000, 30000), TOO_MANY_PIXELS_PNG),
    "jpeg-bomb": (jpeg_bomb(), TOO_MANY_PIXELS),
    "oversized-pixels": (png_with_header_size(13000, 100), TOO_MANY_PIXELS_PNG),
    "truncated-jpeg": (plain_jpeg()[:2000], CORRUPT),
    "eps-renamed": (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n", NOT_IMAGE),
    "tiff-renamed": (encode(Image.new("RGB", (10, 10)), "TIFF"), NOT_IMAGE),
    "pdf-renamed": (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", NOT_IMAGE),
    "svg-renamed": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', NOT_IMAGE),
    "html-renamed": (b"<html><script>alert(1)</script></html>", NOT_IMAGE),
    "many-frames": (animated_gif(2), NOT_IMAGE),  # GIF is not an accepted format at all
}


def upload(client, token, data: bytes, filename="photo.jpg", kind="portrait"):
    """Post a file to the invitee's upload route as the page's form would; return the JSON."""
    response = client.post(
        f"/r/{token}/photo/{kind}",
        data={f"photo_{kind}": (io.BytesIO(data), filename, "image/jpeg")},
        content_type="multipart/form-data", headers={"Accept": "application/json"})
    return response.get_json()


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_hostile_upload_refused_with_its_message(app, client, case):
    data, message = REFUSED[case]
    _invitation, token = make_invitation()
    result = upload(client, token, data)
    assert result["errors"]["photo_portrait"] == message
    assert db.session.scalar(select(Photo)) is None


def test_animated_webp_with_too_many_frames_refused(app, client):
    frames = [Image.new("RGB", (8, 8), (i, 0, 0)) for i in range(101)]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    _invitation, token = make_invitation()
    assert upload(client, token, data)["errors"]["photo_portrait"] == TOO_MANY_FRAMES


def test_polyglot_upload_stored_without_trailing_script(app, client):
    _invitation, token = make_invitation()
    result = upload(client, token, plain_jpeg() + b"<script>alert(1)</script>")
    assert result["errors"] == {}
    stored = db.session.scalar(select(Photo))
    assert b"<script>" not in stored.data
    assert stored.data.endswith(b"\xff\xd9")


@pytest.mark.parametrize("filename", ["../../etc/passwd", "...", "照片.jpg", "CON.jpg",
                                      "x.php"])
def test_path_tricks_in_file_names_do_not_matter(app, client, filename):
    _invitation, token = make_invitation()
    assert upload(client, token, plain_jpeg(), filename=filename)["errors"] == {}
    stored = db.session.scalar(select(Photo))
    assert (stored.kind, stored.mime) == ("portrait", "image/jpeg")


def test_gps_exif_never_survives_and_photo_served_safely(app, client):
    _invitation, token = make_invitation()
    upload(client, token, jpeg(gps=True))
    stored = db.session.scalar(select(Photo))
    image = Image.open(io.BytesIO(stored.data))
    assert dict(image.getexif()) == {}
    assert b"PhoneCam" not in stored.data
    response = client.get(f"/r/{token}/photos/portrait.jpg")
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == stored.data


def test_upload_of_12_mb_answers_413(app, client):
    _invitation, token = make_invitation()
    # Encoded in memory: werkzeug's test client would spool it to a file it never closes.
    body, _length, boundary = stream_encode_multipart(
        {"photo_portrait": FileStorage(io.BytesIO(b"\xff" * (12 * 1024 * 1024)), "big.jpg")},
        use_tempfile=False)
    response = client.post(f"/r/{token}/photo/portrait", data=body.getvalue(),
                           content_type=f'multipart/form-data; boundary="{boundary}"')
    assert response.status_code == 413
    assert db.session.scalar(select(Photo)) is None

"""Photo upload pipeline: check, decode, orient, strip metadata, resize, re-encode as JPEG.

Nothing the person uploaded is kept as is: the stored bytes are always a fresh JPEG encoded
from decoded pixels, so metadata (EXIF/GPS, XMP, ICC, PNG text chunks, comments) and anything
hidden after the image data are gone. The format is recognised from the content with an explicit
allow-list; the file name and the declared content type are never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import os
import struct
import threading
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import ExifTags, Image, ImageFile, UnidentifiedImageError

from intake.addressing import lazy_tu_vous
from intake.errors import FieldRefused

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # application ceiling, well below Pillow's own bomb limit
# PNG and WebP cannot be decoded at a reduced scale (JPEG can: see draft() below), so every
# pixel is decoded: a 38 kB PNG of 6000 x 6600 cost 1.3 s and 250-390 MB. 16 megapixels
# (4000 x 4000, 4 times the stored 2000 px) keeps every phone photo and screenshot.
MAX_PIXELS_FULL_DECODE = 16_000_000
MAX_INPUT_SIDE = 12_000
MAX_FRAMES = 100
MAX_SIDE = 2000  # longest side of the stored photo
MIN_CROP_FRACTION = 0.05  # smallest square crop, as a fraction of the shortest side
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
# Formats libjpeg decodes at 1/2, 1/4 or 1/8 scale (MPO: a JPEG with extra frames, some cameras).
SCALABLE_FORMATS = ("JPEG", "MPO")
OUTPUT_MIME = "image/jpeg"
# Decoding runs this much nicer than requests: the CPU goes to the others' pages and autosaves
# first, and to the photo when it is free (2 cores, 3 uploads: see bench/bystander.py).
DECODE_NICENESS = 10
JPEG_QUALITY = 88

MSG_EMPTY = _l("Le fichier est vide.")
MSG_TOO_LARGE = _l(
    "Le fichier dépasse la taille maximale de %(mb)d Mo.", mb=MAX_PHOTO_BYTES // (1024 * 1024)
)
MSG_NOT_IMAGE = _l("Le fichier n’est pas une image JPEG, PNG ou WebP.")
MSG_TOO_MANY_PIXELS = _l(
    "L’image est trop grande (au plus %(mp)d mégapixels et %(side)d pixels de côté).",
    mp=MAX_PIXELS // 1_000_000,
    side=MAX_INPUT_SIDE,
)
MSG_TOO_MANY_PIXELS_FULL_DECODE = _l(
    "L’image est trop grande (au plus %(mp)d mégapixels et %(side)d pixels de côté).",
    mp=MAX_PIXELS_FULL_DECODE // 1_000_000,
    side=MAX_INPUT_SIDE,
)
# Modes Pillow resizes well (LANCZOS); others are converted to RGB at full size first.
RESIZABLE_MODES = ("RGB", "RGBA", "L", "LA", "CMYK")
# EXIF orientation -> the transposition that makes the image upright (as ImageOps.exif_transpose).
UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
           4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
           6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
           8: Image.Transpose.ROTATE_90}
MSG_TOO_MANY_FRAMES = lazy_tu_vous(
    _l("L’animation contient trop d’images. Envoie une photo fixe."),
    _l("L’animation contient trop d’images. Envoyez une photo fixe."))
MSG_CORRUPT = _l("L’image est endommagée ou incomplète.")
MSG_BAD_CROP = _l("Le recadrage demandé n’est pas valide.")

# Errors Pillow raises on malformed input while reading headers or decoding pixels.
_DECODE_ERRORS = (
    OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError, struct.error
)


@dataclass(frozen=True)
class ProcessedPhoto:
    data: bytes
    mime: str
    width: int
    height: int
    sha256: str


def process_photo(data: bytes) -> ProcessedPhoto:
    """Validate an uploaded image and return it as a clean, upright, resized JPEG."""
    image = _decode(data)
    out = _encode(image)
    return ProcessedPhoto(
        data=out,
        mime=OUTPUT_MIME,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(out).hexdigest(),
    )


def process_photo_at_low_priority(data: bytes) -> ProcessedPhoto:
    """Run process_photo in a thread of lower CPU priority and wait for it, so that the other
    requests of the machine keep the CPU while a photo decodes (Pillow releases the GIL)."""
    outcome: dict = {}

    def work() -> None:
        lower_thread_priority()
        try:
            outcome["photo"] = process_photo(data)
        except BaseException as error:  # noqa: BLE001 - handed back to the caller as is
            outcome["error"] = error

    thread = threading.Thread(target=work, name="photo-pipeline", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["photo"]


def lower_thread_priority() -> None:
    """Raise the calling thread's nice value by DECODE_NICENESS (Linux sets it per thread; a
    platform without that, or a refusal, leaves the priority as it is)."""
    with contextlib.suppress(AttributeError, OSError):
        thread_id = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread_id)
        os.setpriority(os.PRIO_PROCESS, thread_id, min(19, current + DECODE_NICENESS))


def crop_square(data: bytes, crop: dict | None) -> bytes:
    """Return a JPEG of a square crop of the image; None crops the centred square."""
    image = _decode(data)
    box = crop_box(image.width, image.height, crop)
    return _encode(image.crop(box))


def crop_box(width: int, height: int, crop: dict | None) -> tuple[int, int, int, int]:
    """Turn fractional crop values into a pixel box, clamped inside the image."""
    shortest = min(width, height)
    if crop is None:
        side = shortest
        left, top = (width - side) // 2, (height - side) // 2
        return left, top, left + side, top + side
    if not isinstance(crop, dict):
        raise FieldRefused(MSG_BAD_CROP)
    x = _fraction(crop, "x", 0.0, 1.0)
    y = _fraction(crop, "y", 0.0, 1.0)
    size = _fraction(crop, "size", MIN_CROP_FRACTION, 1.0)
    side = max(1, min(shortest, round(size * shortest)))
    left = min(max(0, round(x * width)), width - side)
    top = min(max(0, round(y * height)), height - side)
    return left, top, left + side, top + side


def _fraction(crop: dict, key: str, low: float, high: float) -> float:
    """Read one crop value as a finite number and clamp it to [low, high]."""
    value = crop.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise FieldRefused(MSG_BAD_CROP)
    if isinstance(value, str) and len(value) > 32:
        raise FieldRefused(MSG_BAD_CROP)
    try:
        number = float(value)
    except ValueError:
        raise FieldRefused(MSG_BAD_CROP) from None
    if not math.isfinite(number):
        raise FieldRefused(MSG_BAD_CROP)
    return min(max(number, low), high)


def _decode(data: bytes) -> Image.Image:
    """Check and decode the bytes into an upright RGB image no larger than MAX_SIDE."""
    if not data:
        raise FieldRefused(MSG_EMPTY)
    if len(data) > MAX_PHOTO_BYTES:
        raise FieldRefused(MSG_TOO_LARGE)
    # Local filter only: a global one would change behaviour for the whole process. Our own
    # pixel ceiling is below Pillow's warning threshold, so it still holds if another thread
    # resets the filters while this block runs.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            source = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise FieldRefused(too_many_pixels(sniffed_format(data))) from None
        except UnidentifiedImageError:
            raise FieldRefused(MSG_NOT_IMAGE) from None
        except _DECODE_ERRORS:
            raise FieldRefused(MSG_CORRUPT) from None
        with source:
            return _normalise(source)


def sniffed_format(data: bytes) -> str:
    """Return the format the first bytes announce: PNG, WEBP, else JPEG."""
    if data.startswith(b"\x89PNG"):
        return "PNG"
    return "WEBP" if data[8:12] == b"WEBP" else "JPEG"


def too_many_pixels(image_format: str | None) -> object:
    """Return the refusal of an image over its format's pixel ceiling, stating it."""
    return MSG_TOO_MANY_PIXELS if image_format in SCALABLE_FORMATS else (
        MSG_TOO_MANY_PIXELS_FULL_DECODE)


def _normalise(source: Image.Image) -> Image.Image:
    """Load the first frame of an opened image and return it upright, RGB and resized.

    The size is checked from the header, before any pixel is decoded; the image is resized
    before any other full-size copy is made (orientation, RGB), to keep memory low.
    """
    width, height = source.size
    if width < 1 or height < 1:
        raise FieldRefused(MSG_CORRUPT)
    scalable = source.format in SCALABLE_FORMATS
    ceiling = MAX_PIXELS if scalable else MAX_PIXELS_FULL_DECODE
    if max(width, height) > MAX_INPUT_SIDE or width * height > ceiling:
        raise FieldRefused(too_many_pixels(source.format))
    try:
        frames = getattr(source, "n_frames", 1)
    except _DECODE_ERRORS:
        raise FieldRefused(MSG_CORRUPT) from None
    if frames > MAX_FRAMES:
        raise FieldRefused(MSG_TOO_MANY_FRAMES)
    if scalable:
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale while staying at least the output size.
        source.draft("RGB", _target_size(width, height))
    # WeasyPrint sets this process-wide switch to True when imported; a truncated upload
    # must fail here, so turn it back off before every decode.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        source.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FieldRefused(too_many_pixels(source.format)) from None
    except _DECODE_ERRORS:
        raise FieldRefused(MSG_CORRUPT) from None
    upright = UPRIGHT.get(_orientation(source))
    resizable = source.mode in RESIZABLE_MODES and "transparency" not in source.info
    image = source if resizable else _to_rgb(source)
    target = _target_size(image.width, image.height)
    if target != image.size:
        image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
    image = _to_rgb(image)
    if upright is not None:
        image = image.transpose(upright)
    image.info = {}
    return image


def _orientation(source: Image.Image) -> int | None:
    """Return the EXIF (or XMP) orientation of an image, None when absent or unreadable."""
    try:
        return source.getexif().get(ExifTags.Base.Orientation)
    except _DECODE_ERRORS:
        return None  # unreadable EXIF: keep the pixels as stored


def _target_size(width: int, height: int) -> tuple[int, int]:
    """Return the size that fits the longest side within MAX_SIDE, keeping proportions."""
    longest = max(width, height)
    if longest <= MAX_SIDE:
        return width, height
    scale = MAX_SIDE / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def _to_rgb(image: Image.Image) -> Image.Image:
    """Convert any mode to RGB, flattening transparency onto white."""
    if image.mode.startswith("I"):
        # 16-bit greyscale: scale to 8 bits instead of clipping everything to white.
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode in ("P", "L", "RGB") and "transparency" in image.info
    )
    if not has_alpha:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _encode(image: Image.Image) -> bytes:
    """Encode an RGB image as a metadata-free progressive JPEG."""
    image.info = {}  # the JPEG encoder copies a comment from info when present
    out = io.BytesIO()
    image.save(
        out,
        format="JPEG",
        quality=JPEG_QUALITY,
        optimize=True,
        progressive=True,
        exif=b"",
        icc_profile=None,
        xmp=None,
    )
    return out.getvalue()

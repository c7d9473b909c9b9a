"""Photo bytes for readers and the PDF: the stored JPEG, the portrait's crop, a thumbnail."""

import hashlib
import io
import json
from collections import OrderedDict
from threading import Lock

from PIL import Image

from intake.enums import PhotoKind
from intake.models import Photo, Submission
from intake.photos.pipeline import crop_square

THUMB_SIDE = 400
# What readers may ask for: each photo kind, and the portrait as a small square.
THUMB = "thumb"
VARIANTS = (*PhotoKind, THUMB)
_CACHE_SIZE = 64
_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = Lock()


def photo_bytes(photo: Photo) -> bytes:
    """Return the bytes to show for a photo: the portrait's square crop when one was chosen."""
    if photo.kind == PhotoKind.PORTRAIT and photo.crop is not None:
        return _cached(_key(photo, "crop"), lambda: crop_square(photo.data, photo.crop))
    return photo.data


def thumbnail(photo: Photo, side: int = THUMB_SIDE) -> bytes:
    """Return a small square JPEG of a photo (its chosen crop, else the centred square)."""

    def make() -> bytes:
        square = crop_square(photo.data, photo.crop)
        with Image.open(io.BytesIO(square), formats=("JPEG",)) as image:
            small = image.convert("RGB").resize((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        small.save(out, "JPEG", quality=85, optimize=True)
        return out.getvalue()

    return _cached(_key(photo, f"thumb{side}"), make)


def photo_response_bytes(submission: Submission, kind: str) -> tuple[bytes, str]:
    """Return (JPEG bytes, ETag) of a portrait's photo kind; LookupError when there is none."""
    if kind not in VARIANTS:
        raise LookupError(kind)
    photo = submission.photo(PhotoKind.PORTRAIT if kind == THUMB else kind)
    if photo is None:
        raise LookupError(kind)
    data = thumbnail(photo) if kind == THUMB else photo_bytes(photo)
    return data, _key(photo, kind)


def _key(photo: Photo, variant: str) -> str:
    """Return a cache key and ETag that changes with the image, its crop and the variant."""
    crop = json.dumps(photo.crop, sort_keys=True) if photo.crop is not None else ""
    return hashlib.sha256(f"{photo.sha256}|{crop}|{variant}".encode()).hexdigest()[:40]


def _cached(key: str, make) -> bytes:
    """Return a derived image from the small in-process cache, making it when absent."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    data = make()
    with _lock:
        _cache[key] = data
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return data

"""The photo pipeline on real files: formats, bombs, metadata, orientation, size, crop."""

import hashlib
import io
import struct
import time
import warnings
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from intake.errors import FieldRefused
from intake.photos.pipeline import MAX_PHOTO_BYTES, MAX_SIDE, process_photo

NOT_IMAGE = "Le fichier n’est pas une image JPEG, PNG ou WebP."
TOO_MANY_PIXELS = "L’image est trop grande (au plus 40 mégapixels et 12000 pixels de côté)."
TOO_MANY_PIXELS_PNG = "L’image est trop grande (au plus 16 mégapixels et 12000 pixels de côté)."
CORRUPT = "L’image est endommagée ou incomplète."
BAD_CROP = "Le recadrage demandé n’est pas valide."
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Jeanne Secret"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    """Return the image saved in the given format."""
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def refusal(data: bytes) -> str:
    """Return the message process_photo refuses the data with."""
    with pytest.raises(FieldRefused) as err:
        process_photo(data)
    return str(err.value.message)


def colour(rgb: tuple[int, int, int]) -> str:
    """Name the dominant channel of a pixel (JPEG never gives exact colours back)."""
    if min(rgb) > 200:
        return "white"
    return ("red", "green", "blue")[rgb.index(max(rgb))]


def gps_exif(orientation: int | None = None) -> Image.Exif:
    """Return EXIF with a camera, an author, a GPS position and optionally an orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCam"
    exif[ExifTags.Base.Artist] = "<script>alert(1)</script>"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 29.0, 40.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (73.0, 34.0, 10.25)
    return exif


def srgb_profile() -> bytes:
    """Return a real sRGB ICC profile."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def png_with_header_size(width: int, height: int) -> bytes:
    """Return a tiny PNG whose IHDR claims another size, with a correct CRC."""
    data = bytearray(encode(Image.new("RGB", (1, 1)), "PNG"))
    ihdr = bytearray(data[12:29])  # b"IHDR" + 13 bytes of header data
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)


def opened(data: bytes) -> Image.Image:
    """Open stored bytes the way a reader would."""
    return Image.open(io.BytesIO(data))


def test_process_photo_jpeg_with_gps_xmp_icc_comes_out_without_metadata():
    source = encode(
        Image.new("RGB", (640, 480), "red"),
        "JPEG",
        exif=gps_exif(),
        icc_profile=srgb_profile(),
        xmp=XMP,
        comment=b"<script>alert(1)</script>",
    )
    before = opened(source)
    assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert {"exif", "icc_profile", "xmp", "comment"} <= before.info.keys()

    photo = process_photo(source)

    after = opened(photo.data)
    assert dict(after.getexif()) == {}
    assert {"exif", "icc_profile", "xmp", "comment"} & after.info.keys() == set()
    for marker in (b"Exif", b"ICC_PROFILE", b"adobe:ns:meta", b"Jeanne", b"<script>"):
        assert photo.data.find(marker) == -1


def test_process_photo_png_with_text_chunks_comes_out_without_metadata():
    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    source = encode(
        Image.new("RGB", (320, 240), "green"),
        "PNG",
        pnginfo=info,
        icc_profile=srgb_profile(),
        exif=gps_exif(),
    )
    assert {"Comment", "exif", "icc_profile", "xmp"} <= opened(source).info.keys()

    photo = process_photo(source)

    after = opened(photo.data)
    assert dict(after.getexif()) == {}
    assert {"Comment", "exif", "icc_profile", "xmp"} & after.info.keys() == set()
    assert photo.data.find(b"<script>") == -1


def test_process_photo_orientation_6_comes_out_upright():
    stored = Image.new("RGB", (300, 200), "blue")
    stored.paste((255, 0, 0), (0, 0, 60, 60))  # red in the stored top-left corner
    source = encode(stored, "JPEG", quality=95, exif=gps_exif(orientation=6))

    photo = process_photo(source)

    upright = opened(photo.data).convert("RGB")
    assert (photo.width, photo.height) == (200, 300)
    assert upright.size == (200, 300)
    # Orientation 6 is "rotate 90° clockwise to display": stored top-left goes to top-right.
    assert colour(upright.getpixel((195, 5))) == "red"
    assert colour(upright.getpixel((5, 5))) == "blue"
    assert dict(upright.getexif()) == {}


def test_process_photo_output_is_jpeg_with_matching_sha256():
    photo = process_photo(encode(Image.new("RGB", (640, 480), "red"), "PNG"))

    assert photo.mime == "image/jpeg"
    assert photo.sha256 == hashlib.sha256(photo.data).hexdigest()
    assert opened(photo.data).format == "JPEG"
    assert opened(photo.data).info["progressive"] == 1
    assert (photo.width, photo.height) == (640, 480)


@pytest.mark.parametrize(
    ("size", "expected"),
    [((3000, 2000), (2000, 1333)), ((2000, 3000), (1333, 2000)), ((640, 480), (640, 480))],
)
def test_process_photo_large_image_fits_max_side(size, expected):
    photo = process_photo(encode(Image.new("RGB", size, "red"), "JPEG"))

    assert (photo.width, photo.height) == expected
    assert opened(photo.data).size == expected
    assert max(expected) <= MAX_SIDE


def test_process_photo_24_megapixel_jpeg_is_fast():
    gradient = Image.linear_gradient("L").resize((6000, 4000))
    texture = Image.effect_noise((6000, 4000), 20)
    source = encode(Image.merge("RGB", (gradient, texture, gradient)), "JPEG", quality=90)

    started = time.perf_counter()
    photo = process_photo(source)
    elapsed = time.perf_counter() - started

    assert (photo.width, photo.height) == (2000, 1333)
    assert elapsed < 1.0  # about 0.25 s here: libjpeg decodes at half scale (Image.draft)


def test_process_photo_transparent_png_is_flattened_on_white():
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (50, 0, 100, 100))
    photo = process_photo(encode(image, "PNG"))

    result = opened(photo.data).convert("RGB")
    assert colour(result.getpixel((10, 50))) == "white"
    assert colour(result.getpixel((90, 50))) == "blue"


def test_process_photo_16_bit_grey_png_keeps_its_tone():
    photo = process_photo(encode(Image.new("I;16", (64, 64), 32768), "PNG"))

    grey = opened(photo.data).convert("L").getpixel((32, 32))
    assert abs(grey - 128) < 8


def test_process_photo_cmyk_jpeg_becomes_rgb():
    photo = process_photo(encode(Image.new("CMYK", (64, 64), (0, 255, 255, 0)), "JPEG"))

    result = opened(photo.data)
    assert result.mode == "RGB"
    assert colour(result.getpixel((32, 32))) == "red"


def test_process_photo_animated_webp_keeps_first_frame():
    frames = [Image.new("RGB", (64, 64), c) for c in ("red", "green", "blue")]
    source = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    assert opened(source).n_frames == 3

    photo = process_photo(source)

    result = opened(photo.data)
    assert getattr(result, "n_frames", 1) == 1
    assert colour(result.convert("RGB").getpixel((32, 32))) == "red"


def test_process_photo_multi_picture_jpeg_keeps_first_picture():
    pictures = [Image.new("RGB", (3000, 2000), c) for c in ("red", "blue")]
    source = encode(pictures[0], "MPO", save_all=True, append_images=pictures[1:])
    assert opened(source).n_frames == 2

    photo = process_photo(source)

    result = opened(photo.data)
    assert (result.format, getattr(result, "n_frames", 1)) == ("JPEG", 1)
    assert (photo.width, photo.height) == (2000, 1333)
    assert colour(result.getpixel((100, 100))) == "red"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_process_photo_animation_with_too_many_frames_is_refused(fmt):
    frames = [Image.new("RGB", (8, 8), (i, 0, 0)) for i in range(101)]
    source = encode(frames[0], fmt, save_all=True, append_images=frames[1:], lossless=True)

    assert refusal(source) == "L’animation contient trop d’images. Envoie une photo fixe."


def test_process_photo_empty_file_is_refused():
    assert refusal(b"") == "Le fichier est vide."


def test_process_photo_over_10_mb_is_refused():
    jpeg = encode(Image.new("RGB", (64, 64), "red"), "JPEG")
    at_limit = jpeg + b"\0" * (MAX_PHOTO_BYTES - len(jpeg))

    assert process_photo(at_limit).mime == "image/jpeg"
    assert refusal(at_limit + b"\0") == "Le fichier dépasse la taille maximale de 10 Mo."


@pytest.mark.parametrize(
    ("width", "height"),
    [(30000, 30000), (10000, 10000), (7000, 7000), (12001, 10), (10, 12001)],
)
def test_process_photo_header_with_too_many_pixels_is_refused_before_decoding(width, height):
    source = png_with_header_size(width, height)
    filters = list(warnings.filters)

    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no DecompressionBombWarning may escape
        message = refusal(source)

    assert message == TOO_MANY_PIXELS_PNG
    assert time.perf_counter() - started < 0.5
    assert warnings.filters == filters


def test_process_photo_text_file_named_jpg_is_refused(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_text("Bonjour, ceci n'est pas une photo.\n")

    assert refusal(path.read_bytes()) == NOT_IMAGE


def test_process_photo_eps_file_is_refused(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n%%EndComments\n"
        b"newpath 0 0 moveto 10 10 lineto stroke\nshowpage\n%%EOF\n"
    )

    assert refusal(path.read_bytes()) == NOT_IMAGE


@pytest.mark.parametrize("fmt", ["TIFF", "GIF", "BMP", "PDF", "ICO"])
def test_process_photo_other_image_format_is_refused(fmt):
    assert refusal(encode(Image.new("RGB", (32, 32), "red"), fmt)) == NOT_IMAGE


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
    ],
)
def test_process_photo_svg_or_html_is_refused(content):
    assert refusal(content) == NOT_IMAGE


def test_process_photo_truncated_jpeg_is_refused():
    source = encode(Image.effect_noise((400, 300), 60).convert("RGB"), "JPEG")

    assert refusal(source[: len(source) // 2]) == CORRUPT


def test_process_photo_truncated_png_is_refused():
    source = encode(Image.effect_noise((400, 300), 60).convert("RGB"), "PNG")

    assert refusal(source[: len(source) // 2]) == CORRUPT


def test_process_photo_polyglot_loses_trailing_script():
    source = encode(Image.new("RGB", (64, 64), "red"), "JPEG") + b"<script>alert(1)</script>"

    photo = process_photo(source)

    assert photo.data.find(b"<script>") == -1
    assert photo.data[-2:] == b"\xff\xd9"

"""Real image files made with Pillow, for uploads and stored photos: one maker for all."""

import io

from PIL import ExifTags, Image, ImageDraw


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (640, 480),
                colour: tuple[int, int, int] = (200, 120, 40), *, mark: bool = False,
                gps: bool = False, **options) -> bytes:
    """Return an image file of a flat colour in a format (JPEG, PNG, …).

    `mark` draws a yellow disc (so crops and thumbnails have something to show); `gps` puts a
    GPS position and a camera name in the EXIF (what uploads must lose); `options` go to
    Pillow's save (quality, …).
    """
    image = Image.new("RGB", size, colour)
    if mark:
        width, height = size
        ImageDraw.Draw(image).ellipse((width // 4, height // 4, width // 2, height // 2),
                                      fill=(250, 220, 120))
    if gps:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "PhoneCam"
        position = exif.get_ifd(ExifTags.IFD.GPSInfo)
        position[ExifTags.GPS.GPSLatitudeRef] = "N"
        position[ExifTags.GPS.GPSLatitude] = (45.0, 29.0, 40.5)
        position[ExifTags.GPS.GPSLongitudeRef] = "W"
        position[ExifTags.GPS.GPSLongitude] = (73.0, 34.0, 10.25)
        options["exif"] = exif
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(size: tuple[int, int] = (640, 480), colour: tuple[int, int, int] = (200, 120, 40),
         **kwargs) -> bytes:
    """Return a JPEG file (see image_bytes)."""
    return image_bytes("JPEG", size, colour, **kwargs)


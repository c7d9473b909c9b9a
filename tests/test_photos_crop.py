"""Square crops of stored photos: centred by default, clamped, hostile input refused."""

import pytest
from PIL import Image

from intake.errors import FieldRefused
from intake.photos.pipeline import crop_box, crop_square
from tests.test_photos import BAD_CROP, NOT_IMAGE, colour, encode, opened


def test_crop_square_none_takes_centred_square():
    image = Image.new("RGB", (300, 200), "green")
    image.paste((255, 0, 0), (0, 0, 100, 200))
    image.paste((0, 0, 255), (200, 0, 300, 200))

    result = opened(crop_square(encode(image, "PNG"), None)).convert("RGB")

    assert result.size == (200, 200)
    assert colour(result.getpixel((10, 100))) == "red"  # source x = 60
    assert colour(result.getpixel((100, 100))) == "green"
    assert colour(result.getpixel((190, 100))) == "blue"  # source x = 240


def test_crop_square_fractions_pick_the_region():
    image = Image.new("RGB", (300, 200), "green")
    image.paste((255, 0, 0), (0, 0, 100, 100))
    source = encode(image, "PNG")

    result = opened(crop_square(source, {"x": 0, "y": 0, "size": 0.5})).convert("RGB")

    assert result.size == (100, 100)
    assert colour(result.getpixel((50, 50))) == "red"
    assert opened(crop_square(source, {"x": "0", "y": "0", "size": "0.5"})).size == (100, 100)


@pytest.mark.parametrize(
    ("crop", "box"),
    [
        (None, (50, 0, 250, 200)),
        ({"x": 0.5, "y": 0.5, "size": 0.5}, (150, 100, 250, 200)),
        ({"x": 1, "y": 1, "size": 1}, (100, 0, 300, 200)),
        ({"x": -3, "y": -1, "size": 7}, (0, 0, 200, 200)),
        ({"x": 0, "y": 0, "size": 0}, (0, 0, 10, 10)),
        ({"x": 0.1, "y": 0.25, "size": 0.25, "extra": "ignored"}, (30, 50, 80, 100)),
    ],
)
def test_crop_box_values_are_clamped_inside_image(crop, box):
    assert crop_box(300, 200, crop) == box


@pytest.mark.parametrize(
    "crop",
    [
        {"x": "nan", "y": 0, "size": 1},
        {"x": float("inf"), "y": 0, "size": 1},
        {"x": True, "y": 0, "size": 1},
        {"x": 0, "y": 0},
        {"x": [0], "y": 0, "size": 1},
        {"x": "abc", "y": 0, "size": 1},
        {"x": "0" * 40, "y": 0, "size": 1},
        "0,0,1",
    ],
)
def test_crop_square_invalid_values_are_refused(crop):
    source = encode(Image.new("RGB", (300, 200), "red"), "PNG")

    with pytest.raises(FieldRefused) as err:
        crop_square(source, crop)

    assert str(err.value.message) == BAD_CROP


def test_crop_square_hostile_file_is_refused():
    with pytest.raises(FieldRefused) as err:
        crop_square(b"%!PS-Adobe-3.0 EPSF-3.0\n", None)

    assert str(err.value.message) == NOT_IMAGE

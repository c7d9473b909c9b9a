"""Read back the fonts a PDF embeds, from its bytes, with what the app already has (fontTools).

WeasyPrint compresses its object streams, so the font dictionaries are not plain text in the
file: every Flate stream is inflated and searched. Two things come out: the names the PDF
gives its fonts (/BaseFont, subset prefix removed, e.g. "Portrait-Sans-Bold") and the full
names the embedded font programs carry themselves (e.g. "DejaVu Sans Bold").
"""

import io
import re
import zlib
from dataclasses import dataclass

from fontTools.ttLib import TTFont, TTLibError

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
BASE_FONT = re.compile(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([^\s/<>\[\]()]+)")
FONT_PROGRAM_MAGIC = (b"\x00\x01\x00\x00", b"true", b"OTTO")
FULL_NAME_ID = 4


@dataclass(frozen=True)
class EmbeddedFonts:
    """The fonts of one PDF: the PDF's names for them and their programs' own full names."""

    names: frozenset[str]
    programs: frozenset[str]


def embedded_fonts(pdf: bytes) -> EmbeddedFonts:
    """Return the font names and font-program full names found in PDF bytes."""
    chunks = [pdf]
    for match in STREAM.finditer(pdf):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # not Flate (a JPEG photo, say): holds no font dictionary
    names, programs = set(), set()
    for chunk in chunks:
        names.update(m.group(1).decode("latin-1") for m in BASE_FONT.finditer(chunk))
        if chunk[:4] in FONT_PROGRAM_MAGIC:
            programs.add(font_full_name(chunk))
    return EmbeddedFonts(frozenset(names), frozenset(programs - {""}))


def font_full_name(program: bytes) -> str:
    """Return the full name (name ID 4) a TrueType/OpenType font program carries, or ""."""
    try:
        font = TTFont(io.BytesIO(program), lazy=True)
        if "name" not in font:
            return ""
        return font["name"].getDebugName(FULL_NAME_ID) or ""
    except (TTLibError, KeyError, ValueError, AssertionError, EOFError):
        return ""

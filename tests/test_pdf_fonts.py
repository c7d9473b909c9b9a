"""The PDF draws with the fonts shipped in static/fonts/, never with the machine's own fonts."""

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from intake.publishing.pdf import render_portrait_pdf
from intake.publishing.pdf_fonts import embedded_fonts
from tests.support.documents import pdf_text
from tests.support.seeds import jean_luc

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "static" / "fonts"
# The PDF's name of each font print.css declares (family + style) → the file it must come from.
SHIPPED = {
    "Portrait-Sans": "DejaVuSans.ttf",
    "Portrait-Sans-Bold": "DejaVuSans-Bold.ttf",
    "Portrait-Sans-Italic": "DejaVuSans-Oblique.ttf",
    "Portrait-Emoji": "NotoColorEmoji.ttf",
}
# Debian's rules (70-no-bitmaps.conf included) but no font directory and a private cache.
FONTCONFIG_WITHOUT_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/conf.d</include>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def without_system_fonts(tmp_path: Path) -> dict[str, str]:
    """Return an environment whose fontconfig sees no font of the machine or of the user."""
    config = tmp_path / "fonts.conf"
    config.write_text(FONTCONFIG_WITHOUT_FONTS.format(cache=tmp_path / "fontconfig-cache"))
    home = tmp_path / "home"
    return {
        **os.environ, "FONTCONFIG_FILE": str(config), "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"), "INTAKE_INSTANCE_PATH": str(tmp_path / "i"),
    }


def render_alone(tmp_path: Path) -> tuple[bytes, str]:
    """Render Jean-Luc's portrait in a process that sees no system font; return PDF and log."""
    out = tmp_path / "portrait.pdf"
    result = subprocess.run([sys.executable, "-m", "tests.render_alone", str(out)], cwd=ROOT,
                            env=without_system_fonts(tmp_path), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return out.read_bytes(), result.stderr


def pdffonts_names(data: bytes) -> set[str]:
    """Return the font names pdffonts lists, without their subset prefix."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        lines = subprocess.run(["pdffonts", file.name], capture_output=True, check=True,
                               text=True, timeout=60).stdout.splitlines()[2:]
    return {line.split()[0].partition("+")[2] for line in lines}


def embedded_programs(data: bytes) -> dict[str, str]:
    """Map each font of a PDF to the full name its embedded font program carries (pypdf)."""
    programs = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = descriptor.get_object()["/FontFile2"].get_object().get_data()
            name = str(font["/BaseFont"]).lstrip("/").partition("+")[2]
            programs[name] = full_name(TTFont(io.BytesIO(program)))
    return programs


def full_name(font: TTFont) -> str:
    """Return the full name (name ID 4) of a font."""
    return font["name"].getDebugName(4)


def test_pdf_rendered_without_any_system_font_embeds_and_draws_the_shipped_ones(tmp_path):
    data, log = render_alone(tmp_path)

    assert "No fonts configured in FontConfig" in log  # the isolation held
    assert pdffonts_names(data) == set(SHIPPED)
    assert embedded_programs(data) == {
        name: full_name(TTFont(FONTS / file)) for name, file in SHIPPED.items()}
    text = pdf_text(data)
    assert "Portrait de gestionnaire de communauté : Jean-Luc Sanscartier" in text
    assert "En quelle année as-tu créé ton compte" in text
    assert "etc… 🙂" in text
    assert ".notdef" not in log
    assert "cannot be loaded" not in log


def test_embedded_fonts_reads_what_pdffonts_and_pypdf_read(app):
    data = render_portrait_pdf(jean_luc())

    fonts = embedded_fonts(data)

    assert fonts.names == pdffonts_names(data) == set(SHIPPED)
    assert fonts.programs == set(embedded_programs(data).values()) == {
        "DejaVu Sans", "DejaVu Sans Bold", "DejaVu Sans Oblique", "Noto Color Emoji"}

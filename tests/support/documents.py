"""Read back what the app produced: the text and links of an HTML page, the text of a PDF."""

import re
import subprocess
import tempfile
from html.parser import HTMLParser


def norm(text: str) -> str:
    """Collapse every run of white space (no-break and thin spaces too) into one space."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def squash(text: str) -> str:
    """Remove every white space, so text wrapped at any point compares equal."""
    return "".join(norm(text).split())


class _TextAndLinks(HTMLParser):
    """Collect the text and every href/src of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.urls: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]

    def handle_data(self, data):
        self.text.append(data)


def parse_html(html: str) -> _TextAndLinks:
    """Parse HTML and return its text, links and tags."""
    parser = _TextAndLinks()
    parser.feed(html)
    parser.close()
    return parser


def html_text(html: str) -> str:
    """Return the normalised visible text of an HTML page."""
    return norm(" ".join(parse_html(html).text))


def pdf_text(data: bytes, series: str = "Portrait de gestionnaire de communauté") -> str:
    """Return a PDF's text read back by pdftotext, without running headers and page numbers."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        out = subprocess.run(["pdftotext", "-layout", file.name, "-"], capture_output=True,
                             check=True, timeout=60).stdout.decode("utf-8")
    out = re.sub("\u2010[ \\t]*\n[ \\t]*", "", out)  # a word hyphenated at a line end, joined
    lines = [line for line in out.replace("\f", "\n").split("\n")
             if line.strip() != series and not re.fullmatch(r"\s*\d+\s*/\s*\d+\s*", line)]
    return norm("\n".join(lines))

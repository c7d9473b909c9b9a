"""The PDF: text read back with pdftotext, metadata with pypdf, and the closed URL fetcher."""

import io
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader

from intake.publishing.pdf import (
    PortraitFetcher,
    RefusedURL,
    portrait_fetcher,
    render_pdf_html,
    render_portrait_pdf,
)
from intake.publishing.view import kept_answers, typeset
from tests.support.documents import pdf_text, squash
from tests.support.seeds import HOSTILE_ANSWERS, HOSTILE_URLS, carl, hostile, jean_luc

TITLE_JEAN_LUC = "Portrait de gestionnaire de communauté : Jean-Luc Sanscartier"


def test_pdf_text_has_title_every_kept_answer_emoji_and_link_urls(app):
    submission = jean_luc(hidden={3})
    text = pdf_text(render_portrait_pdf(submission))

    assert TITLE_JEAN_LUC in text
    for answer in kept_answers(submission):
        assert squash(typeset(answer.published_body, "fr")) in squash(text)
    assert "etc… 🙂" in text
    assert ("LinkedIn : jeanlucsanscartier https://www.linkedin.com/in/jeanlucsanscartier"
            in text)
    assert "X (Twitter) : @jeanlucs https://x.com/jeanlucs" in text


def test_pdf_leaves_out_hidden_answers_and_uses_edits(app):
    submission = carl(hidden={0}, edited={1: "J’ai étudié la rédaction — édité."})
    text = pdf_text(render_portrait_pdf(submission))

    assert "Je suis sur Facebook depuis juin 2007" not in text
    assert "À quand date la création" not in text
    assert "J’ai étudié la rédaction — édité." in text
    assert "sciences administratives" not in text


def test_pdf_questions_keep_their_order(app):
    submission = carl()
    text = pdf_text(render_portrait_pdf(submission))

    positions = [squash(text).index(squash(typeset(a.question_text, "fr")))
                 for a in kept_answers(submission)]
    assert positions == sorted(positions)


def test_pdf_metadata_title_author_language_and_a4(app):
    reader = PdfReader(io.BytesIO(render_portrait_pdf(jean_luc())))

    assert reader.metadata.title == TITLE_JEAN_LUC.replace(" :", "\u00a0:")
    assert reader.metadata.author == "Portrait de gestionnaire de communauté"
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]
    assert len(reader.pages) > 2


def test_pdf_embeds_the_shipped_fonts(app, caplog):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(render_portrait_pdf(jean_luc()))
        file.flush()
        fonts = subprocess.run(["pdffonts", file.name], capture_output=True, check=True,
                               text=True).stdout

    # print.css's family names: a system font standing in would keep its own name.
    names = sorted(line.split()[0].partition("+")[2] for line in fonts.splitlines()[2:])
    assert names == ["Portrait-Emoji", "Portrait-Sans", "Portrait-Sans-Bold",
                     "Portrait-Sans-Italic"]
    assert not [r.message for r in caplog.records if ".notdef" in r.getMessage()]


def test_shipped_fonts_have_their_licences(app):
    fonts = Path(app.static_folder) / "fonts"

    assert sorted(p.name for p in fonts.iterdir()) == [
        "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans.ttf",
        "LICENSE-DejaVu.txt", "LICENSE-NotoColorEmoji.txt", "NotoColorEmoji.ttf", "README.md",
    ]
    assert "SIL Open Font License" in (fonts / "LICENSE-NotoColorEmoji.txt").read_text()
    assert "Bitstream" in (fonts / "LICENSE-DejaVu.txt").read_text()


def test_pdf_shows_hostile_answers_as_text_and_fetches_none(app):
    submission = hostile()
    fetcher = portrait_fetcher(submission)
    data = render_portrait_pdf(submission, fetcher)
    text = pdf_text(data)

    for payload in HOSTILE_ANSWERS:
        assert squash(typeset(payload, "fr")) in squash(text)
    assert "<script>alert(1)</script>" in text
    assert fetcher.refused == []
    assert all(url.startswith(("intake-photo:", "intake-static:fonts/")) for url in fetcher.asked)
    assert not any(url in asked for url in HOSTILE_URLS for asked in fetcher.asked)
    assert b"/EmbeddedFiles" not in data
    assert "root:" not in text


class CountingHandler(BaseHTTPRequestHandler):
    """An HTTP server that counts every request it gets."""

    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        CountingHandler.hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    """Run a loopback HTTP server that counts hits and answers with a redirect."""
    CountingHandler.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetcher_refuses_raw_hostile_html_when_escaping_is_bypassed(app, http_server):
    """A canary: feed WeasyPrint the payloads as real HTML; the fetcher alone must hold."""
    local = f"{http_server}/probe"
    raw = (
        "<!doctype html><html lang=fr><head>"
        '<base href="file:///etc/">'
        f'<link rel="stylesheet" href="{local}.css">'
        '<style>@import url("file:///etc/passwd"); '
        "@font-face { font-family: X; src: url(file:///dev/urandom) } "
        f"body {{ font-family: X; background: url({local}.png) }}</style>"
        '</head><body><p>Bonjour</p><img src="file:///etc/passwd"><img src="shadow">'
        '<link rel="attachment" href="file:///etc/passwd">'
        '<a rel="attachment" href="file:///etc/hostname">x</a>'
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
        "<script>document.write('script ran')</script></body></html>"
    )
    fetcher = PortraitFetcher({}, app.static_folder)

    started = time.monotonic()
    data = render_pdf_html(raw, fetcher)
    elapsed = time.monotonic() - started

    assert set(fetcher.refused) == {
        "file:///etc/passwd", "file:///dev/urandom", "file:///etc/shadow",
        "file:///etc/hostname", f"{local}.css", f"{local}.png",
        "data:image/png;base64,iVBORw0KGgo=",
    }
    assert set(fetcher.asked) - set(fetcher.refused) == {  # print.css's fonts, nothing else
        "intake-static:fonts/DejaVuSans.ttf", "intake-static:fonts/DejaVuSans-Bold.ttf",
        "intake-static:fonts/DejaVuSans-Oblique.ttf", "intake-static:fonts/NotoColorEmoji.ttf",
    }
    assert CountingHandler.hits == []
    assert b"/EmbeddedFiles" not in data
    text = pdf_text(data)
    assert "Bonjour" in text
    assert "root:" not in text
    assert "script ran" not in text
    assert elapsed < 30


def test_fetcher_serves_only_this_portraits_photos_and_font_files(app):
    own = carl()
    other = jean_luc()
    fetcher = portrait_fetcher(own)
    own_photo = own.photo("portrait")

    response = fetcher.fetch(f"intake-photo:{own_photo.id}")
    assert (response.read(), response.content_type) == (own_photo.data, "image/jpeg")
    font = fetcher.fetch("intake-static:fonts/DejaVuSans.ttf")
    assert font.read() == (Path(app.static_folder) / "fonts" / "DejaVuSans.ttf").read_bytes()

    refused = [
        f"intake-photo:{other.photo('portrait').id}",
        "intake-photo:../1",
        "intake-static:fonts/../../intake/config.py",
        "intake-static:css/print.css",
        "intake-static:fonts/LICENSE-DejaVu.txt",
        "intake-static:fonts/%2e%2e/%2e%2e/wsgi.py",
        "file:///etc/passwd",
        "https://example.org/x.png",
        "data:text/plain,hello",
    ]
    for url in refused:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert fetcher.refused == refused

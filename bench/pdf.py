"""PDF: the app's render against a bare WeasyPrint render of the same HTML, and the download."""

import shutil
import tempfile
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from bench import fixtures
from bench.report import Row, Table, interleaved, median, ms
from bench.server import Gunicorn, wrk
from intake.extensions import db
from intake.publishing import renditions
from intake.publishing.pdf import (
    portrait_fetcher,
    portrait_pdf_html,
    print_stylesheet,
    render_portrait_pdf,
)

RENDER_TARGET = 1.15
DOWNLOAD_TARGET = 0.8


def render_rows(submission, repeat: int) -> tuple[list[Row], list[str], bytes]:
    """Time the app's render paths and the bare renders of the same HTML, interleaved."""
    html = portrait_pdf_html(submission)
    css = print_stylesheet()

    def bare(tags: bool = False):
        # Same HTML, same stylesheet text, same fetcher class (fonts and photo), same font
        # loading (one FontConfiguration for the stylesheet and the render): only
        # WeasyPrint's own work.
        fetcher, fonts = portrait_fetcher(submission), FontConfiguration()
        return HTML(string=html, url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(string=css, url_fetcher=fetcher, font_config=fonts)],
            pdf_tags=tags, font_config=fonts)

    def publish():
        renditions.render_pdf(submission)
        db.session.commit()

    times = interleaved({
        "publish": publish,
        "render": lambda: render_portrait_pdf(submission),
        "bare": bare,
        "bare_tags": lambda: bare(tags=True),
    }, repeat=repeat, collect=True)
    base = median(times["bare"])
    rows = []
    for key, label in (("publish", "renditions.render_pdf + commit (publishing path)"),
                       ("render", "pdf.render_portrait_pdf")):
        ratio = median(times[key]) / base
        rows.append(Row(label, ms(median(times[key])), ms(base), ratio,
                        f"<= {RENDER_TARGET}x", ratio <= RENDER_TARGET))
    rows.append(Row("bare render with pdf_tags=True (info)", ms(median(times["bare_tags"])),
                    ms(base), median(times["bare_tags"]) / base))
    notes = [f"{repeat} interleaved runs after one warm-up each; medians. Bare baseline: "
             "weasyprint.HTML(string=same_html, url_fetcher=PortraitFetcher).write_pdf("
             "stylesheets=[CSS(string=print.css)]), one FontConfiguration given to both - the "
             "stylesheet loads the shipped fonts, so both sides lay out the same document.",
             f"PDF size {len(render_portrait_pdf(submission)) // 1024} KB."]
    return rows, notes, renditions.rendition(submission).data


def download_rows(data: bytes, instance: Path, uri: str, seconds: float,
                  rounds: int) -> tuple[list[Row], list[str]]:
    """Compare GET /portraits/<slug>.pdf with the same bytes as a static file, via gunicorn."""
    static = Path(tempfile.mkdtemp(prefix="bench-static-"))
    (static / "portrait.pdf").write_bytes(data)
    try:
        with Gunicorn(fixtures.bench_settings(uri), instance, workers=4,
                      extra_env={"BENCH_STATIC_DIR": str(static)}) as server:
            urls = {"app": f"{server.url}/portraits/{fixtures.SLUG}.pdf",
                    "static": f"{server.url}/__static/portrait.pdf"}
            for url in urls.values():
                server.check(url, expect_bytes=data)
            results = {name: [] for name in urls}
            for _ in range(rounds):
                for name, url in urls.items():
                    server.settle()
                    results[name].append(wrk(url, connections=16, seconds=seconds))
    finally:
        shutil.rmtree(static, ignore_errors=True)
    app_rps = median([r.rps for r in results["app"]])
    static_rps = median([r.rps for r in results["static"]])
    errors = sum(r.errors for rs in results.values() for r in rs)
    ratio = app_rps / static_rps
    rows = [Row("GET /portraits/<slug>.pdf (stored PDF) req/s", f"{app_rps:.0f}/s",
                f"{static_rps:.0f}/s", ratio, f">= {DOWNLOAD_TARGET}x",
                ratio >= DOWNLOAD_TARGET and errors == 0),
            Row("errors (socket + non-2xx), both", str(errors), target="0", passed=errors == 0)]
    notes = [f"gunicorn -w 4 (sync), wrk -t 2 -c 16 -d {seconds:g}s, {rounds} interleaved "
             "rounds, median. Baseline: the same bytes served by send_from_directory from a "
             "temporary folder by the same app and server (bench/wsgi_bench.py)."]
    return rows, notes


def run(quick: bool = False) -> Table:
    """Run the PDF benchmark and return its table."""
    folder = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        uri = fixtures.sqlite_uri(folder)
        app = fixtures.make_app(folder / "instance", uri)
        with app.app_context():
            submission = fixtures.publish_seed_portrait()
            rows, notes, data = render_rows(submission, repeat=3 if quick else 7)
            db.session.remove()
        more_rows, more_notes = download_rows(data, folder / "instance", uri,
                                              seconds=2 if quick else 5,
                                              rounds=1 if quick else 3)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Table("1. PDF", rows + more_rows, notes + more_notes)

"""The published post, its PDF and the preview in Chromium, kept as screenshots to look at:
the post on a desktop and at 390 px, the PDF's first and last pages, the preview."""

import subprocess

import pytest
from playwright.sync_api import expect

from intake.enums import State
from intake.extensions import db
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.helpers import fits_width, log_in, overflowing, watch_console
from tests.support.factories import add_photo, make_submission
from tests.support.publishing import CARL, JEAN_LUC, publish_seed, wait_for_pdf

pytestmark = pytest.mark.browser


@pytest.fixture
def seeds(live_site):
    """Publish both seed portraits in the live site's database; return Jean-Luc's slug and an
    approved portrait's id (for the preview)."""
    _server, app = live_site
    with app.app_context():
        publish_seed(CARL)
        jean_luc, _seed = publish_seed(JEAN_LUC)
        waiting = make_submission(State.APPROVED, name="Ana Tremblay", email="ana@example.org")
        add_photo(waiting, kind="workspace", caption="Le bureau d’Ana")
        waiting.editor_intro = "Je vous présente [Ana](https://ana.example/), qui gère tout."
        db.session.commit()
        wait_for_pdf(jean_luc.id)  # the worker renders it, in the background
        return jean_luc.slug, waiting.id


def pdf_pages_to_png(pdf_path, pages: dict[str, int]) -> None:
    """Render PDF pages to PNG files in the screenshots folder (pdftoppm, poppler-utils)."""
    for name, number in pages.items():
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(number), "-l", str(number),
                        "-singlefile", str(pdf_path), str(ARTIFACTS / name)], check=True,
                       timeout=60)
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 5000


def test_post_on_desktop_and_phone_and_its_pdf(browser, live_site, seeds, tmp_path):
    server, _app = live_site
    slug, _waiting = seeds
    console: list[str] = []

    desktop = watch_console(browser.new_context(viewport={"width": 1280, "height": 900})
                            .new_page(), console)
    desktop.goto(f"{server.url}/portraits/{slug}")
    expect(desktop.locator("h1")).to_have_text(
        "Portrait de gestionnaire de communauté\u00a0: Jean-Luc Sanscartier")
    expect(desktop.locator(".brand")).to_have_text("Portrait de gestionnaire de communauté")
    expect(desktop.locator("article a[href='http://ca.linkedin.com/in/jeanlucsanscartier']")
           ).to_have_count(0)
    expect(desktop.locator("article .post-photo-workspace img")).to_be_visible()
    screenshot(desktop, "post-desktop")

    phone = watch_console(browser.new_context(viewport={"width": 390, "height": 844},
                                              device_scale_factor=2, is_mobile=True)
                          .new_page(), console)
    phone.goto(f"{server.url}/portraits/{slug}")
    screenshot(phone, "post-390")
    assert fits_width(phone), overflowing(phone)

    response = desktop.request.get(f"{server.url}/portraits/{slug}.pdf")
    assert response.status == 200
    pdf_path = tmp_path / "post.pdf"
    pdf_path.write_bytes(response.body())
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True).stdout
        .splitlines() if line.startswith("Pages:")))
    pdf_pages_to_png(pdf_path, {"pdf-first-page": 1, "pdf-last-page": pages})
    assert console == []


def test_preview_of_an_approved_portrait(browser, live_site, seeds, tmp_path):
    server, _app = live_site
    _slug, waiting = seeds
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, server.url)

    page.goto(f"{server.url}/admin/submissions/{waiting}")
    page.get_by_role("link", name="le billet").click()
    expect(page.locator(".preview-banner")).to_contain_text("Aperçu")
    expect(page.locator("article .editor-intro a")).to_have_attribute("href",
                                                                       "https://ana.example/")
    expect(page.locator("article .post-photo-workspace img")).to_be_visible()
    screenshot(page, "preview")

    response = page.request.get(f"{server.url}/admin/submissions/{waiting}/preview.pdf")
    assert response.headers["cache-control"] == "private, no-store"
    pdf_path = tmp_path / "preview.pdf"
    pdf_path.write_bytes(response.body())
    pdf_pages_to_png(pdf_path, {"preview-pdf-first-page": 1})

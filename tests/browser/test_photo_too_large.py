"""A photo over 10 MB picked with JavaScript on: the message stays, the file is not kept."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import photo_file
from tests.support.factories import make_invitation
from tests.support.servers import serving_in_a_thread

pytestmark = pytest.mark.browser
TOO_BIG = "Ce fichier dépasse 10 Mo\u00a0: choisis une image plus légère."


@pytest.fixture
def live(make_app):
    """Serve a CSRF-protected app on loopback; yield (base URL, token)."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        _, token = make_invitation()
    with serving_in_a_thread(app) as base:
        yield base, token


def test_photo_over_ten_megabytes_keeps_its_message(browser, live, tmp_path):
    base, token = live
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/r/{token}")
    big = {"name": "grande.jpg", "mimeType": "image/jpeg",
           "buffer": b"\xff\xd8" + b"\0" * (10 * 1024 * 1024)}
    page.set_input_files("#photo_portrait", big)
    message = page.locator("#photo_portrait-error")
    expect(message).to_be_visible()
    expect(message).to_have_text(TOO_BIG)
    assert page.eval_on_selector("#photo_portrait", "input => input.files.length") == 0
    expect(page.locator("#photo_portrait")).to_have_attribute("aria-invalid", "true")
    page.wait_for_timeout(300)  # nothing hides it a moment later
    expect(message).to_be_visible()

    page.set_input_files("#photo_portrait", str(photo_file(tmp_path)))  # a lighter one
    expect(message).to_be_hidden()
    expect(page.locator("#photo_portrait")).to_have_attribute("aria-invalid", "false")
    context.close()

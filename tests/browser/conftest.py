"""Browser fixtures: Debian's Chromium driven by Playwright, against gunicorn on loopback."""

import os
import shutil
from pathlib import Path

import pytest

from intake.auth.accounts import create_user
from intake.extensions import db
from tests.support.factories import BLOGGER_EMAIL, BLOGGER_NAME, BLOGGER_PASSWORD
from tests.support.servers import Gunicorn, WorkerProcess

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_or_skip() -> str:
    """Return Chromium's path; skip loudly when absent, fail in CI (INTAKE_REQUIRE_BROWSER)."""
    if Path(CHROMIUM).exists() and shutil.which("chromium"):
        return CHROMIUM
    message = ("BROWSER TESTS SKIPPED: /usr/bin/chromium is missing "
               "(apt-get install chromium to run them)")
    if os.environ.get("INTAKE_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    """Launch headless Chromium once per test module.

    Not once per session: a running sync_playwright() owns an asyncio loop, and any other
    test that starts its own (tests/test_respond_browser.py does) would then fail with
    "using Playwright Sync API inside the asyncio loop".
    """
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, headless=True,
                                              args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def live_site(make_app, smtp, tmp_path):
    """Serve the app with gunicorn on a SQLite or PostgreSQL test database, mail to smtp."""
    app = make_app()
    with app.app_context():
        create_user(BLOGGER_EMAIL, BLOGGER_PASSWORD, name=BLOGGER_NAME)
        db.session.commit()
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "browser-test-secret",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp.port,
    }
    server = Gunicorn(settings, tmp_path / "live-instance", workers=2)
    server.env["FLASK_BASE_URL"] = f"http://127.0.0.1:{server.port}"
    with server, WorkerProcess(server):  # the worker sends mail and renders PDFs
        yield server, app


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """Return axe-core's source (npm install --prefix tests/browser); skip loudly without it."""
    if AXE.exists():
        return AXE.read_text(encoding="utf-8")
    message = (f"ACCESSIBILITY TESTS SKIPPED: {AXE} is missing "
               "(run `npm ci --prefix tests/browser` to install axe-core)")
    if os.environ.get("INTAKE_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)

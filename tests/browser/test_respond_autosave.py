"""The questionnaire's JavaScript in a real browser: autosave, counters, offline retry.

Uses the `browser` fixture of tests/browser/conftest.py (one Playwright per test module).
"""

import pytest

from tests.support.factories import make_invitation, question
from tests.support.servers import serving_in_a_thread


@pytest.fixture
def live(make_app):
    """Serve a CSRF-protected app on loopback; yield (base URL, token, question ids)."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        _, token = make_invitation()
        ids = {key: question(key).id for key in ("studies", "job-in-140")}
    with serving_in_a_thread(app) as base:
        yield base, token, ids


@pytest.fixture
def contexts(browser):
    """Open browser contexts (separate sessions) for a test and close them after it."""
    opened = []

    def new():
        opened.append(browser.new_context())
        return opened[-1]

    yield new
    for context in opened:
        context.close()


def test_autosave_in_browser_survives_new_session(live, contexts):
    base, token, ids = live
    page = contexts().new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/r/{token}")
    page.fill(f"#q{ids['studies']}", "Communication à l’UQAM")
    page.wait_for_selector("#save-status.save-status-ok", timeout=10000)
    assert page.text_content("#save-status").startswith("Enregistré à ")
    assert page.text_content("#progress-label") == "Questions répondues : 1 sur 28"
    other = contexts().new_page()
    other.goto(f"{base}/r/{token}")
    assert other.input_value(f"#q{ids['studies']}") == "Communication à l’UQAM"
    assert [e for e in errors if "Content Security Policy" in e or "Uncaught" in e] == []


def test_counter_and_over_limit_warning_in_browser(live, contexts):
    base, token, ids = live
    page = contexts().new_page()
    page.goto(f"{base}/r/{token}")
    field = f"#q{ids['job-in-140']}"
    page.fill(field, "x" * 150)
    assert page.text_content(f"{field}-counter") == "150 / 140"
    page.wait_for_selector("#save-status.save-status-warn", timeout=10000)
    assert "Ce texte compte 150 caractères" in page.text_content(f"{field}-error")
    assert page.input_value(field) == "x" * 150


def test_offline_save_warns_then_retries_when_back_online(live, contexts):
    base, token, ids = live
    context = contexts()
    page = context.new_page()
    page.goto(f"{base}/r/{token}")
    context.set_offline(True)
    page.fill(f"#q{ids['studies']}", "Tapé hors ligne")
    page.wait_for_selector("#save-status.save-status-bad", timeout=10000)
    assert "Échec de l’enregistrement" in page.text_content("#save-status")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#save-status.save-status-ok", timeout=10000)
    other = contexts().new_page()
    other.goto(f"{base}/r/{token}")
    assert other.input_value(f"#q{ids['studies']}") == "Tapé hors ligne"

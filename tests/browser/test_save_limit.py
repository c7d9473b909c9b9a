"""The autosave in a real browser when the link's save budget is spent (429): the typed text
stays, the page says so, and the save goes through by itself once allowed again."""

import pytest

from tests.support.factories import make_invitation, question
from tests.support.servers import serving_in_a_thread


@pytest.fixture
def live(make_app):
    """Serve a CSRF-protected app with a tiny save budget; yield (base URL, token, field)."""
    app = make_app(WTF_CSRF_ENABLED=True, SAVE_RATE_LIMIT="2 per 6 seconds")
    with app.app_context():
        _, token = make_invitation()
        field = f"#q{question('studies').id}"
    with serving_in_a_thread(app) as base:
        yield base, token, field


def is_save(response) -> bool:
    """Say whether a response answers an autosave."""
    return response.url.endswith("/save") and response.request.method == "POST"


def test_autosave_over_the_link_budget_keeps_the_text_and_retries(live, browser):
    base, token, field = live
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/r/{token}")
        statuses = []
        for text in ("Un", "Deux", "Trois"):
            with page.expect_response(is_save, timeout=10000) as answer:
                page.fill(field, text)
            statuses.append(answer.value.status)
        assert statuses == [200, 200, 429]
        assert page.text_content("#save-status") == (
            "Trop d’enregistrements en peu de temps : réessai dans un instant. Ce que tu "
            "as tapé reste sur cette page.")
        assert page.get_attribute("#save-status", "class") == "save-status save-status-warn"
        assert page.input_value(field) == "Trois"
        # Typing on while the budget is spent sends nothing until Retry-After has passed...
        sent = []
        page.on("request", lambda request: sent.append(request.url)
                if request.method == "POST" else None)
        page.fill(field, "Quatre")
        page.wait_for_timeout(2500)
        assert sent == []
        assert page.text_content("#save-status").startswith("Trop d’enregistrements")
        # ...then the last text is saved by itself.
        with page.expect_response(is_save, timeout=15000) as retried:
            pass
        assert retried.value.status == 200
        page.wait_for_selector("#save-status.save-status-ok", timeout=5000)
        other = context.new_page()
        other.goto(f"{base}/r/{token}")
        assert other.input_value(field) == "Quatre"
    finally:
        context.close()

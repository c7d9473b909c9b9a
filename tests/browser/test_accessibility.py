"""axe-core on the main pages: no serious or critical accessibility violation."""

import pytest

from intake.enums import State
from intake.extensions import db
from intake.invitations.operations import create_invitation
from tests.browser.helpers import log_in
from tests.support.bulk_lists import BAD_ROWS
from tests.support.seeds import carl, jean_luc

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def axe_violations(page, axe_source: str) -> list[dict]:
    """Run axe-core in the page and return its violations.

    The source goes in through page.evaluate (the DevTools protocol), which the page's
    Content-Security-Policy (script-src 'self') does not govern, so the CSP stays on as in
    production instead of using a bypass_csp context.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    results = page.evaluate("async () => await axe.run(document, "
                            "{resultTypes: ['violations']})")
    assert len(results["passes"]) > 10, f"axe checked almost nothing on {page.url}"
    return results["violations"]


def describe(page_name: str, violations: list[dict]) -> list[str]:
    """Return one readable line per serious or critical violation and element."""
    return [f"{page_name}: {v['id']} ({v['impact']}) {node['target']} — {v['help']}"
            for v in violations if v["impact"] in BLOCKING for node in v["nodes"]]


def test_main_pages_have_no_serious_accessibility_violation(browser, live_site, axe_source,
                                                           tmp_path):
    server, app = live_site
    with app.app_context():
        _invitation, token = create_invitation(name="Camille Tremblay", email="c@example.org")
        published = jean_luc().id
        db.session.commit()
        submitted = carl(state=State.SUBMITTED).id
    page = browser.new_page()
    found = []
    page.goto(f"{server.url}/r/{token}")
    found += describe("questionnaire", axe_violations(page, axe_source))
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_selector("#error-summary")
    found += describe("questionnaire with errors", axe_violations(page, axe_source))
    page.goto(f"{server.url}/login")
    found += describe("login", axe_violations(page, axe_source))
    log_in(page, server.url)
    found += describe("review queue", axe_violations(page, axe_source))
    page.goto(f"{server.url}/admin/invitations/new")
    found += describe("invitation form", axe_violations(page, axe_source))
    page.goto(f"{server.url}/admin/series")
    found += describe("series", axe_violations(page, axe_source))
    page.goto(f"{server.url}/admin/invitations/bulk")
    found += describe("bulk list form", axe_violations(page, axe_source))
    (tmp_path / "list.csv").write_bytes(BAD_ROWS)
    page.set_input_files("#upload", str(tmp_path / "list.csv"))
    page.get_by_role("button", name="Voir les lignes").click()
    found += describe("bulk preview", axe_violations(page, axe_source))
    page.goto(f"{server.url}/admin/submissions/{submitted}")
    found += describe("review detail", axe_violations(page, axe_source))
    page.goto(f"{server.url}/admin/submissions/{published}")
    found += describe("review detail (published)", axe_violations(page, axe_source))
    page.goto(f"{server.url}/admin/wordpress")
    found += describe("WordPress connection", axe_violations(page, axe_source))
    page.goto(f"{server.url}/admin/questionnaire")
    found += describe("series editor", axe_violations(page, axe_source))
    page.goto(f"{server.url}/portraits/jean-luc-sanscartier")
    found += describe("post", axe_violations(page, axe_source))
    assert found == [], "\n".join(found)

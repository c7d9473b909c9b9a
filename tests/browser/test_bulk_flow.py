"""The bulk invitation flow in Chromium, JavaScript off: upload a list with bad rows, fix one,
drop one, edit the batch's message, send, read the report."""

import pytest
from playwright.sync_api import expect

from intake.extensions import db
from intake.questionnaire.series import create_series, find_series
from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in
from tests.support.bulk_lists import BAD_ROWS, invited_addresses
from tests.support.factories import invite, make_blogger
from tests.support.servers import serving_in_a_thread


@pytest.fixture
def live(make_app):
    """Serve a CSRF-protected app with a second series and one open invitation in it."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_blogger()
        invite("Déjà Là", "deja@example.org",
               series=create_series("Portrait de bénévole", "benevoles"))
        db.session.commit()
    with serving_in_a_thread(app) as base:
        yield base, app


def test_bulk_flow_without_javascript(live, browser, tmp_path):
    base, app = live
    path = tmp_path / "liste.csv"
    path.write_bytes(BAD_ROWS)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, base)
        page.goto(f"{base}/admin/invitations")
        page.get_by_role("link", name="Inviter une liste").click()
        page.select_option("#series", label="Portrait de bénévole")
        page.set_input_files("#upload", str(path))
        page.get_by_role("button", name="Voir les lignes").click()

        expect(page.locator("#bulk-summary")).to_have_text("2 lignes prêtes · 5 lignes refusées")
        expect(page.locator("#row-4")).to_contain_text(
            "«\u00a0pas-une-adresse\u00a0» n’est pas une adresse courriel valide.")
        expect(page.locator("#row-6")).to_contain_text("Déjà invitée")
        page.get_by_role("button", name="Corriger la ligne 4").click()
        page.fill("#row-email", "adresse@example.org")
        page.get_by_role("button", name="Enregistrer la ligne").click()
        page.get_by_role("button", name="Retirer la ligne 7").click()
        expect(page.locator("#bulk-summary")).to_have_text("3 lignes prêtes · 3 lignes refusées")
        expect(page.locator("#row-7")).to_have_count(0)

        page.fill("#subject-fr", "Un portrait pour {nom}?")
        page.get_by_role("button", name="Vérifier à nouveau et mettre à jour l’aperçu").click()
        expect(page.locator(".email-preview").first).to_contain_text("Un portrait pour Prête Un?")
        screenshot(page, "bulk-preview")
        page.get_by_role("button", name="Envoyer les 3 invitations prêtes").click()

        expect(page.locator("#report-summary")).to_have_text(
            "3 invitations créées · 3 lignes non envoyées")
        expect(page.locator("#sent li")).to_have_count(3)
    finally:
        context.close()
    with app.app_context():
        assert invited_addresses(find_series("benevoles")) == {
            "deja@example.org", "pret1@example.org", "adresse@example.org", "pret2@example.org"}

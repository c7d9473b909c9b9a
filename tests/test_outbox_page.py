"""The blogger's Outbox page: lists, filters, shows a message safely, retries."""

from datetime import timedelta

from intake.extensions import db
from intake.models import utcnow
from intake.worker.heartbeat import beat
from tests.support.factories import invite, outbox_rows
from tests.support.http import log_in_new_blogger


def test_outbox_page_lists_and_filters_messages(blogger_client):
    invite(name="Camille Roy")
    row = outbox_rows()[0]
    page = blogger_client.get("/admin/outbox?status=queued").get_data(as_text=True)
    assert row.subject in page
    assert "camille@example.org" in page
    assert row.subject not in blogger_client.get("/admin/outbox?status=sent").get_data(
        as_text=True)


def test_outbox_message_page_shows_text_and_html_source_escaped(blogger_client):
    invite(name="<b>Camille</b>")
    row = outbox_rows()[0]
    response = blogger_client.get(f"/admin/outbox/{row.id}")
    page = response.get_data(as_text=True)
    assert "Bonjour &lt;b&gt;Camille&lt;/b&gt;," in page
    assert "&lt;p&gt;Bonjour &amp;lt;b&amp;gt;Camille&amp;lt;/b&amp;gt;,&lt;/p&gt;" in page
    assert "<iframe" not in page
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_outbox_retry_button_requeues_failed_mail(blogger_client):
    invite()
    row = outbox_rows()[0]
    row.status = "failed"
    db.session.commit()
    response = blogger_client.post(f"/admin/outbox/{row.id}/retry")
    assert response.status_code == 303
    assert outbox_rows()[0].status == "queued"


def test_outbox_retry_needs_csrf(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        invite()
        row = outbox_rows()[0]
        row.status = "failed"
        db.session.commit()
        client = app.test_client()
        log_in_new_blogger(client, csrf=True)
        assert client.post(f"/admin/outbox/{row.id}/retry").status_code == 400
        assert outbox_rows()[0].status == "failed"


def test_outbox_page_says_each_error_in_words_and_when_the_next_try_is(blogger_client):
    invite(name="Camille Roy")
    invite(name="Jean Roy", email="jean@example.org")
    waiting, refused = outbox_rows()
    waiting.attempts = 2
    waiting.last_error = "ConnectionRefusedError: [Errno 111] Connection refused"
    refused.status, refused.attempts = "failed", 1
    refused.last_error = "SMTPRecipientsRefused: 550 5.1.1 <b>No such user</b>"
    db.session.commit()
    page = blogger_client.get("/admin/outbox").get_data(as_text=True)
    assert ("Le serveur d’envoi était injoignable\u00a0: [Errno 111] Connection refused"
            in page)
    assert ("Le serveur d’envoi a refusé ce courriel pour de bon\u00a0: 550 5.1.1 "
            "&lt;b&gt;No such user&lt;/b&gt;") in page
    assert "Prochain essai\u00a0: " in page


def test_retry_all_failed_button_requeues_every_failed_message(blogger_client):
    for number in range(3):
        invite(name=f"Personne {number}", email=f"p{number}@example.org")
    rows = outbox_rows()
    for row in rows[:2]:
        row.status, row.attempts, row.last_error = "failed", 1, "SMTPDataError: 554 no"
    db.session.commit()
    page = blogger_client.get("/admin/outbox").get_data(as_text=True)
    assert "Réessayer les 2 courriels en échec" in page
    response = blogger_client.post("/admin/outbox/retry-failed")
    assert response.status_code == 303
    assert [(r.status, r.attempts) for r in outbox_rows()] == [("queued", 0)] * 3
    assert "2 courriels repartent dans la file d’envoi." in blogger_client.get(
        response.headers["Location"]).get_data(as_text=True)


def test_dashboard_warns_when_the_worker_is_silent_or_mail_waits(blogger_client, app):
    page = blogger_client.get("/admin/").get_data(as_text=True)
    assert "n’a encore jamais tourné" in page
    app.test_cli_runner().invoke(args=["worker", "--once"])
    page = blogger_client.get("/admin/").get_data(as_text=True)
    assert "Le travail en arrière-plan est arrêté" not in page
    beat(utcnow() - timedelta(minutes=6))
    invite()
    row = outbox_rows()[0]
    row.attempts, row.last_error = 3, "SMTPAuthenticationError: 535 5.7.8 Bad credentials"
    db.session.commit()
    page = blogger_client.get("/admin/").get_data(as_text=True)
    assert "Le travail en arrière-plan est arrêté" in page
    assert "n’a pas tourné depuis le" in page
    assert "1 courriel attend un nouvel essai" in page
    assert ("Le serveur d’envoi a refusé l’identifiant ou le mot de passe configurés "
            "(MAIL_USERNAME, MAIL_PASSWORD)\u00a0: 535 5.7.8 Bad credentials") in page

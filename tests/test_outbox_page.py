"""The blogger's Outbox page: lists, filters, shows a message safely, retries."""


from intake.extensions import db
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

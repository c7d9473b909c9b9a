"""The review queue: counts, filters, search, and a constant number of queries."""


from sqlalchemy import insert

from intake.enums import State
from intake.extensions import db
from intake.models import Invitation, Submission, utcnow
from intake.questionnaire.series import current_questionnaire
from tests.support.databases import count_queries
from tests.support.factories import make_submission


def add_many(count: int) -> None:
    """Insert many invitations and submissions in bulk."""
    questionnaire_id = current_questionnaire().id
    now = utcnow()
    start = db.session.query(Invitation).count()
    db.session.execute(insert(Invitation), [
        {"questionnaire_id": questionnaire_id, "name": f"Personne {i}",
         "email": f"p{i}@example.org", "organisation": f"Org {i % 7}", "language": "fr",
         "token_nonce": f"n{i}", "token_sha256": f"{i:064d}", "expires_at": now,
         "created_at": now, "note": "", "reminders_sent": 0}
        for i in range(start, start + count)
    ])
    ids = [i for (i,) in db.session.query(Invitation.id).order_by(Invitation.id)][-count:]
    states = [State.SUBMITTED, State.IN_PROGRESS, State.APPROVED, State.PUBLISHED]
    db.session.execute(insert(Submission), [
        {"invitation_id": invitation_id, "state": states[n % 4].value, "version": 1,
         "created_at": now, "updated_at": now}
        for n, invitation_id in enumerate(ids)
    ])
    db.session.commit()


def test_queue_uses_same_number_of_queries_for_10_and_1000(blogger_client):
    add_many(10)
    with count_queries() as small:
        page = blogger_client.get("/admin/").get_data(as_text=True)
    assert "Personne 9" in page
    add_many(990)
    with count_queries() as large:
        page = blogger_client.get("/admin/?q=org&sort=name").get_data(as_text=True)
    assert "Page 1 sur 40" in page
    assert len(small) == len(large)
    # login, blog time zone, the series in use (typography), failed or retrying emails (the
    # warnings), the worker's heartbeat, failed WordPress pushes, answered proofs (the notice),
    # counts, the series (filter), page, total, BEGIN
    assert len(large) <= 12


def test_queue_counts_per_state(blogger_client):
    add_many(8)
    page = blogger_client.get("/admin/").get_data(as_text=True)
    assert "<strong>2</strong>Soumis" in page
    assert "<strong>2</strong>Publié" in page
    assert "<strong>0</strong>Refusé" in page


def test_queue_filters_by_state_and_searches(blogger_client):
    make_submission(State.SUBMITTED, name="Carl-Olivier Perras-Beaulieu",
                    email="carl@example.org", organisation="ÉTS")
    make_submission(State.APPROVED, name="Jean-Luc Sanscartier", email="jl@example.org")
    page = blogger_client.get("/admin/?state=approved").get_data(as_text=True)
    assert "Jean-Luc Sanscartier" in page
    assert "Carl-Olivier" not in page
    page = blogger_client.get("/admin/?q=CARL@").get_data(as_text=True)
    assert "Carl-Olivier Perras-Beaulieu" in page
    assert "Jean-Luc" not in page
    page = blogger_client.get("/admin/?q=%25").get_data(as_text=True)
    assert "Aucun portrait ne correspond." in page


def test_queue_escapes_hostile_names(blogger_client):
    make_submission(name='<script>alert("x")</script>', email="x@example.org")
    page = blogger_client.get("/admin/").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page

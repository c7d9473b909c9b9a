"""The queue of pushes to WordPress, without a WordPress: refusals, claims, retries, pages."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from intake.enums import PhotoKind, PushStatus
from intake.extensions import db
from intake.models import WordPressPush, utcnow
from intake.wordpress.queue import CLAIM_TIMEOUT, PushRefused, claim, process_due_pushes, queue_push
from tests.support.factories import make_blogger
from tests.support.http import log_in
from tests.support.seeds import carl


def test_push_refused_for_a_portrait_not_published(app):
    portrait = carl()
    portrait.state = "approved"
    db.session.commit()
    with pytest.raises(PushRefused) as refused:
        queue_push(portrait)
    assert refused.value.code == "not_published"
    assert db.session.scalar(select(WordPressPush)) is None


def test_review_page_offers_to_push_again_after_an_edit(make_app):
    app = make_app(WORDPRESS_URL="https://blog.example.org", WORDPRESS_USER="admin",
                   WORDPRESS_APP_PASSWORD="x")
    with app.app_context():
        portrait = carl()
        portrait.wp_post_id, portrait.wp_pushed_at = 41, utcnow() - timedelta(hours=1)
        portrait.updated_at = utcnow() - timedelta(hours=2)
        db.session.commit()
        client = app.test_client()
        make_blogger()
        log_in(client)
        before = client.get(f"/admin/submissions/{portrait.id}").get_data(as_text=True)
        client.post(f"/admin/submissions/{portrait.id}/settings",
                    data={"title": "Titre retouché", "slug": portrait.slug})
        after = client.get(f"/admin/submissions/{portrait.id}").get_data(as_text=True)
    assert 'id="wordpress-changed"' not in before
    assert 'id="wordpress-changed"' in after
    assert "Article WordPress n° 41." in after
    assert "Envoyer à WordPress" in after


def test_scheduling_without_a_future_date_is_refused_with_a_message(make_app):
    app = make_app(WORDPRESS_URL="https://blog.example.org", WORDPRESS_USER="admin",
                   WORDPRESS_APP_PASSWORD="x")
    with app.app_context():
        portrait = carl()
        client = app.test_client()
        make_blogger()
        log_in(client)
        response = client.post(f"/admin/submissions/{portrait.id}/wordpress",
                               data={"post_status": "future", "post_date": ""},
                               follow_redirects=True)
        assert "donnez une date et une heure à venir" in response.get_data(as_text=True)
        assert db.session.scalar(select(WordPressPush)) is None


def test_a_push_is_claimed_by_one_process_at_a_time(make_app):
    app = make_app(WORDPRESS_URL="https://blog.example.org", WORDPRESS_USER="admin",
                   WORDPRESS_APP_PASSWORD="x")
    with app.app_context():
        row = queue_push(carl())
        db.session.commit()
        now = utcnow()
        assert (claim(row.id, now), claim(row.id, now)) == (True, False)
        # A process that died while pushing leaves the row 'pushing': taken again later.
        assert claim(row.id, now + CLAIM_TIMEOUT + timedelta(seconds=1)) is True


def test_pushes_wait_in_the_queue_while_wordpress_is_not_set_up(app):
    row = queue_push(carl())
    db.session.commit()
    assert process_due_pushes() == 0
    db.session.refresh(row)
    assert (row.status, row.attempts) == (PushStatus.QUEUED, 0)


def test_push_command_names_an_unknown_slug_and_needs_one_target(app, runner):
    carl()
    unknown = runner.invoke(args=["wordpress", "push", "personne"])
    neither = runner.invoke(args=["wordpress", "push"])
    assert (unknown.exit_code, neither.exit_code) == (1, 2)
    assert "Aucun portrait publié ne porte cette adresse." in unknown.output
    assert "Give one SLUG or --all." in neither.output
    assert db.session.scalar(select(WordPressPush)) is None


def test_an_unexpected_error_is_recorded_and_retried_not_raised(make_app):
    app = make_app(WORDPRESS_URL="https://blog.example.org", WORDPRESS_USER="admin",
                   WORDPRESS_APP_PASSWORD="x")
    with app.app_context():
        portrait = carl()
        photo = portrait.photo(PhotoKind.PORTRAIT)
        photo.data, photo.crop = b"not a JPEG", {"x": 0, "y": 0, "size": 1}
        row = queue_push(portrait)
        db.session.commit()

        assert process_due_pushes() == 0

        db.session.refresh(row)
        assert (row.status, row.error_code, row.attempts) == (PushStatus.QUEUED, "internal", 1)
        assert row.next_attempt_at > utcnow()

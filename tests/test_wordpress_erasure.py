"""Erasing a person on request also deletes their post and photos from the real WordPress."""

import json
import urllib.error
import urllib.request

import pytest
from sqlalchemy import select

from intake.enums import PhotoKind, PushAction, PushStatus
from intake.extensions import db
from intake.models import WordPressPush
from intake.wordpress.queue import process_due_pushes
from tests.support.factories import add_photo, make_blogger
from tests.support.http import log_in
from tests.support.seeds import carl

pytestmark = pytest.mark.slow


def status_of(wordpress, route: str) -> int:
    """Return the HTTP status WordPress answers the administrator for a route."""
    request = urllib.request.Request(wordpress.rest(route, context="edit"),
                                     headers={"Authorization": wordpress.basic_auth()})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_erasing_a_person_deletes_their_wordpress_post_and_media(make_app, wordpress):
    app = make_app(WORDPRESS_URL=wordpress.url, WORDPRESS_USER=wordpress.user,
                   WORDPRESS_APP_PASSWORD=wordpress.app_password)
    with app.app_context():
        portrait = carl()
        portrait.slug = "carl-erased"
        add_photo(portrait, PhotoKind.WORKSPACE)
        db.session.commit()
        assert app.test_cli_runner().invoke(
            args=["wordpress", "push", "carl-erased"]).exit_code == 0
        db.session.refresh(portrait)
        routes = [f"/wp/v2/posts/{portrait.wp_post_id}"] + [
            f"/wp/v2/media/{media['id']}" for media in portrait.wp_media.values()]
        assert [status_of(wordpress, route) for route in routes] == [200, 200, 200]
        email = portrait.invitation.email
        client = app.test_client()
        make_blogger()
        log_in(client)

        response = client.post(f"/admin/submissions/{portrait.id}/erase",
                               data={"confirm": email})
        assert response.status_code == 303
        assert process_due_pushes() == 1  # the worker's next pass

        assert [status_of(wordpress, route) for route in routes] == [404, 404, 404]
        row = db.session.scalar(select(WordPressPush).where(
            WordPressPush.action == PushAction.ERASE))
        assert (row.status, row.submission_id) == (PushStatus.DONE, None)

"""Pushing portraits to a real WordPress: one post per portrait, media reused, draft again."""

import html
import json
import re
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import select

from intake.enums import PhotoKind, PushStatus
from intake.extensions import db
from intake.models import WordPressPush, utcnow
from intake.publishing.view import portrait_view
from intake.questionnaire.series import create_series, default_series
from intake.wordpress.queue import process_due_pushes
from tests.support.factories import add_photo, make_blogger
from tests.support.http import log_in
from tests.support.seeds import CARL, carl, jean_luc, seed_answers
from tests.test_wordpress_check import contributor_account

pytestmark = pytest.mark.slow


@pytest.fixture
def wp_app(make_app, wordpress):
    """Return an app connected to the test WordPress, in an app context."""
    app = make_app(WORDPRESS_URL=wordpress.url, WORDPRESS_USER=wordpress.user,
                   WORDPRESS_APP_PASSWORD=wordpress.app_password,
                   WORDPRESS_CATEGORIES=["Portraits"], WORDPRESS_TAGS=["gestion de communauté"])
    with app.app_context():
        yield app


def wp_get(wordpress, route: str, **params) -> dict | list:
    """Read from WordPress's REST API as its administrator."""
    request = urllib.request.Request(wordpress.rest(route, **params),
                                     headers={"Authorization": wordpress.basic_auth()})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def seed(slug: str):
    """Publish Carl-Olivier's seed portrait under its own slug (the WordPress is shared)."""
    portrait = carl()
    portrait.slug = slug
    db.session.commit()
    return portrait


def words(markup: str) -> str:
    """Return the text of HTML, tags dropped and spaces made one."""
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def posts_with_slug(wordpress, slug: str) -> list[dict]:
    """Return every post of any status with this slug."""
    return wp_get(wordpress, "/wp/v2/posts", slug=slug, status="any", context="edit")


def test_push_published_seed_portrait_reads_back_from_wordpress(wp_app, wordpress):
    portrait = seed("carl-push-one")
    add_photo(portrait, PhotoKind.WORKSPACE, caption="Son bureau")
    db.session.commit()
    runner = wp_app.test_cli_runner()

    result = runner.invoke(args=["wordpress", "push", "carl-push-one"])

    assert result.exit_code == 0, result.output
    db.session.refresh(portrait)
    [post] = posts_with_slug(wordpress, "carl-push-one")
    view = portrait_view(portrait)
    assert (post["id"], post["title"]["raw"], post["slug"], post["status"]) == (
        portrait.wp_post_id, view.title, "carl-push-one", "draft")
    content = html.unescape(post["content"]["raw"])
    text = words(content)
    assert len(view.answers) == len(seed_answers(CARL))
    for item in view.answers:
        assert words(item["question"]) in text
        for block in item["blocks"]:
            for line in block.lines:
                assert words("".join(run.text for run in line)) in text
    assert "Pour suivre Carl-Olivier Perras-Beaulieu" in content
    assert 'href="https://x.com/perrasc19"' in content
    assert 'href="https://www.linkedin.com/in/carlolivierperrasbeaulieu"' in content
    featured = wp_get(wordpress, f"/wp/v2/media/{post['featured_media']}", context="edit")
    assert (featured["mime_type"], featured["alt_text"]) == (
        "image/jpeg", "Photo de Carl-Olivier Perras-Beaulieu")
    with urllib.request.urlopen(featured["source_url"], timeout=30) as response:
        assert response.read()[:3] == b"\xff\xd8\xff"
    workspace = portrait.wp_media["workspace"]
    assert f'src="{workspace["url"]}"' in content
    assert f'src="{featured["source_url"]}"' in content
    categories = wp_get(wordpress, "/wp/v2/categories", search="Portraits")
    tags = wp_get(wordpress, "/wp/v2/tags", search="gestion de communauté")
    assert (post["categories"], post["tags"]) == ([categories[0]["id"]], [tags[0]["id"]])
    assert post["excerpt"]["raw"] == (
        "Agent d’information (web et médias sociaux), École de technologie supérieure")
    assert "OK" in result.output


def test_push_again_updates_the_same_post_and_reuses_media(wp_app, wordpress):
    portrait = seed("carl-push-twice")
    runner = wp_app.test_cli_runner()
    assert runner.invoke(args=["wordpress", "push", "carl-push-twice"]).exit_code == 0
    db.session.refresh(portrait)
    first_post, first_media = portrait.wp_post_id, portrait.wp_media["portrait"]["id"]
    portrait.title = "Un nouveau titre"
    db.session.commit()

    result = runner.invoke(args=["wordpress", "push", "carl-push-twice", "--status", "publish"])

    assert result.exit_code == 0, result.output
    db.session.refresh(portrait)
    [post] = posts_with_slug(wordpress, "carl-push-twice")
    assert (post["id"], post["status"], post["title"]["raw"]) == (
        first_post, "publish", "Un nouveau titre")
    assert (portrait.wp_post_id, portrait.wp_media["portrait"]["id"]) == (first_post, first_media)
    media = wp_get(wordpress, "/wp/v2/media", search="carl-push-twice")
    assert [item["id"] for item in media] == [first_media]


def test_unpublish_moves_the_wordpress_post_back_to_draft(wp_app, wordpress):
    portrait = seed("carl-unpublish")
    runner = wp_app.test_cli_runner()
    assert runner.invoke(args=["wordpress", "push", "carl-unpublish", "--status",
                               "publish"]).exit_code == 0
    db.session.refresh(portrait)
    assert wp_get(wordpress, f"/wp/v2/posts/{portrait.wp_post_id}",
                  context="edit")["status"] == "publish"
    client = wp_app.test_client()
    make_blogger()
    log_in(client)

    response = client.post(f"/admin/submissions/{portrait.id}/decide/unpublish",
                           data={"version": portrait.version})
    assert response.status_code == 303
    assert process_due_pushes() == 1  # what the worker does on its next pass

    db.session.refresh(portrait)
    post = wp_get(wordpress, f"/wp/v2/posts/{portrait.wp_post_id}", context="edit")
    assert (portrait.state, post["status"]) == ("approved", "draft")
    assert [post["id"] for post in posts_with_slug(wordpress, "carl-unpublish")] == [
        portrait.wp_post_id]


def test_wrong_password_shows_the_reason_creates_nothing_and_retry_works(make_app, wordpress):
    app = make_app(WORDPRESS_URL=wordpress.url, WORDPRESS_USER=wordpress.user,
                   WORDPRESS_APP_PASSWORD="abcd efgh ijkl mnop qrst uvwx")
    with app.app_context():
        portrait = seed("carl-wrong-password")
        media_before = wp_get(wordpress, "/wp/v2/media", per_page="100")
        client = app.test_client()
        make_blogger()
        log_in(client)

        response = client.post(f"/admin/submissions/{portrait.id}/wordpress",
                               data={"post_status": "draft"}, follow_redirects=True)
        assert "L’envoi à WordPress est en file d’attente" in response.get_data(as_text=True)
        assert process_due_pushes() == 0  # the worker's next pass: refused, nothing finished

        page = client.get(f"/admin/submissions/{portrait.id}").get_data(as_text=True)
        assert "WordPress refuse l’identifiant ou le mot de passe d’application (401)" in page
        assert 'id="wordpress-reason"' in page
        row = db.session.scalar(select(WordPressPush))
        assert (row.status, row.error_code, row.attempts) == (
            PushStatus.FAILED, "bad_credentials", 1)
        assert posts_with_slug(wordpress, "carl-wrong-password") == []
        assert wp_get(wordpress, "/wp/v2/media", per_page="100") == media_before
        db.session.refresh(portrait)
        assert (portrait.wp_post_id, portrait.wp_media) == (None, None)
        dashboard = client.get("/admin/").get_data(as_text=True)
        assert 'id="failed-pushes"' in dashboard
        assert "(401)" in dashboard

        app.config["WORDPRESS_APP_PASSWORD"] = wordpress.app_password  # the blogger fixes it
        client.post(f"/admin/wordpress/pushes/{row.id}/retry", data={"next": "dashboard"})
        assert process_due_pushes() == 1

        assert 'id="failed-pushes"' not in client.get("/admin/").get_data(as_text=True)
        db.session.refresh(row)
        db.session.refresh(portrait)
        assert (row.status, row.error_code) == (PushStatus.DONE, "")
        assert [post["id"] for post in posts_with_slug(wordpress, "carl-wrong-password")] == [
            portrait.wp_post_id]


def test_push_waits_while_wordpress_is_stopped_and_succeeds_once_back(wp_app, wordpress):
    portrait = seed("carl-outage")
    wordpress.stop()
    runner = wp_app.test_cli_runner()

    result = runner.invoke(args=["wordpress", "push", "carl-outage"])

    assert result.exit_code == 1
    assert "Impossible de joindre WordPress" in result.output
    row = db.session.scalar(select(WordPressPush).where(
        WordPressPush.submission_id == portrait.id))
    assert (row.status, row.attempts, row.error_code) == (PushStatus.QUEUED, 1, "unreachable")
    assert process_due_pushes() == 0  # not due yet: it waits its backoff
    wordpress.start()

    assert process_due_pushes(now=utcnow() + timedelta(minutes=2)) == 1

    db.session.refresh(row)
    db.session.refresh(portrait)
    assert (row.status, row.error_code) == (PushStatus.DONE, "")
    [post] = posts_with_slug(wordpress, "carl-outage")
    assert (post["id"], post["status"]) == (portrait.wp_post_id, "draft")


def test_user_not_allowed_to_upload_gets_403_and_nothing_is_created(make_app, wordpress):
    user, password = contributor_account(wordpress)
    app = make_app(WORDPRESS_URL=wordpress.url, WORDPRESS_USER=user,
                   WORDPRESS_APP_PASSWORD=password)
    with app.app_context():
        seed("carl-contributor")
        media_before = wp_get(wordpress, "/wp/v2/media", per_page="100")

        result = app.test_cli_runner().invoke(args=["wordpress", "push", "carl-contributor"])

        assert result.exit_code == 1
        assert "n’a pas le droit de publier des articles ni d’envoyer des images (403)" in (
            result.output)
        assert db.session.scalar(select(WordPressPush.status)) == PushStatus.FAILED
        assert posts_with_slug(wordpress, "carl-contributor") == []
        assert wp_get(wordpress, "/wp/v2/media", per_page="100") == media_before


def test_push_all_and_a_post_deleted_in_wordpress_is_made_again(wp_app, wordpress):
    first, second = seed("carl-all-one"), jean_luc()
    second.slug = "jean-luc-all-two"
    db.session.commit()
    runner = wp_app.test_cli_runner()
    assert runner.invoke(args=["wordpress", "push", "--all"]).exit_code == 0
    db.session.refresh(first)
    db.session.refresh(second)
    assert [p["id"] for p in posts_with_slug(wordpress, "jean-luc-all-two")] == [
        second.wp_post_id]
    delete(wordpress, f"/wp/v2/posts/{first.wp_post_id}?force=true")

    assert runner.invoke(args=["wordpress", "push", "carl-all-one"]).exit_code == 0

    db.session.refresh(first)
    assert [p["id"] for p in posts_with_slug(wordpress, "carl-all-one")] == [first.wp_post_id]


def test_typed_markup_stays_text_in_wordpress(wp_app, wordpress):
    portrait = seed("carl-hostile")
    portrait.title = 'Portrait <script>alert("t")</script> & co'
    portrait.photo(PhotoKind.PORTRAIT).caption = '<img src=x onerror="alert(1)">'
    db.session.commit()

    assert wp_app.test_cli_runner().invoke(args=["wordpress", "push", "carl-hostile"]
                                           ).exit_code == 0

    db.session.refresh(portrait)
    post = wp_get(wordpress, f"/wp/v2/posts/{portrait.wp_post_id}")
    media = wp_get(wordpress, f"/wp/v2/media/{post['featured_media']}")
    assert "<script" not in post["title"]["rendered"]
    assert html.unescape(post["title"]["rendered"]) == portrait_view(portrait).title
    assert "<script>alert(«\u00a0t\u00a0»)</script> & co" in portrait_view(portrait).title
    assert "<img" not in media["caption"]["rendered"]
    assert post["content"]["rendered"].count("<img") == 1
    assert "<figcaption>&lt;img src=x onerror=" in post["content"]["rendered"]


def test_scheduled_push_from_the_review_page(wp_app, wordpress):
    portrait = seed("carl-future")
    client = wp_app.test_client()
    make_blogger()
    log_in(client)

    response = client.post(f"/admin/submissions/{portrait.id}/wordpress",
                           data={"post_status": "future", "post_date": "2031-06-02T09:30"},
                           follow_redirects=True)
    assert "L’envoi à WordPress est en file d’attente" in response.get_data(as_text=True)

    assert process_due_pushes() == 1
    db.session.refresh(portrait)
    post = wp_get(wordpress, f"/wp/v2/posts/{portrait.wp_post_id}", context="edit")
    # 09:30 in Toronto on 2 June 2031 (EDT, UTC-4) is 13:30 UTC.
    assert (post["status"], post["date_gmt"]) == ("future", "2031-06-02T13:30:00")


def delete(wordpress, route: str) -> None:
    """Send a DELETE to WordPress as its administrator."""
    request = urllib.request.Request(wordpress.rest(route), method="DELETE",
                                     headers={"Authorization": wordpress.basic_auth()})
    urllib.request.urlopen(request, timeout=30).close()


def test_english_portrait_goes_to_wordpress_in_english(wp_app, wordpress):
    portrait = jean_luc(language="en")
    portrait.slug = "jean-luc-english"
    db.session.commit()

    assert wp_app.test_cli_runner().invoke(
        args=["wordpress", "push", "jean-luc-english"]).exit_code == 0

    db.session.refresh(portrait)
    post = wp_get(wordpress, f"/wp/v2/posts/{portrait.wp_post_id}", context="edit")
    media = wp_get(wordpress, f"/wp/v2/media/{post['featured_media']}", context="edit")
    assert "<h2>To follow Jean-Luc Sanscartier</h2>" in post["content"]["raw"]
    assert "Download the portrait as a PDF" in post["content"]["raw"]
    assert media["alt_text"] == "Photo of Jean-Luc Sanscartier"


def term_names(wordpress, route: str, ids: list[int]) -> set[str]:
    """Return the names WordPress gives the categories or tags of these ids."""
    found = wp_get(wordpress, route, include=",".join(str(i) for i in ids), per_page="100")
    return {html.unescape(term["name"]) for term in found}


def test_two_portraits_of_two_series_get_their_series_categories_and_tags(wp_app, wordpress):
    volunteers = create_series("Portrait de bénévole", "benevoles-wp")
    volunteers.wordpress_categories = ["Bénévolat"]
    volunteers.wordpress_tags = ["entraide", "vie de quartier"]
    default = default_series()
    default.wordpress_categories = ["Gestion & communauté"]  # tags: WORDPRESS_TAGS
    first, second = seed("carl-series-terms"), jean_luc()
    second.slug = "jean-luc-series-terms"
    second.invitation.questionnaire_id = volunteers.id
    db.session.commit()

    result = wp_app.test_cli_runner().invoke(args=["wordpress", "push", "--all"])

    assert result.exit_code == 0, result.output
    [carl_post] = posts_with_slug(wordpress, "carl-series-terms")
    [jean_luc_post] = posts_with_slug(wordpress, "jean-luc-series-terms")
    db.session.refresh(first)
    db.session.refresh(second)
    assert (carl_post["id"], jean_luc_post["id"]) == (first.wp_post_id, second.wp_post_id)
    assert (term_names(wordpress, "/wp/v2/categories", carl_post["categories"]),
            term_names(wordpress, "/wp/v2/tags", carl_post["tags"])) == (
        {"Gestion & communauté"}, {"gestion de communauté"})
    assert (term_names(wordpress, "/wp/v2/categories", jean_luc_post["categories"]),
            term_names(wordpress, "/wp/v2/tags", jean_luc_post["tags"])) == (
        {"Bénévolat"}, {"entraide", "vie de quartier"})
    assert len(carl_post["categories"]) == len(jean_luc_post["tags"]) - 1 == 1

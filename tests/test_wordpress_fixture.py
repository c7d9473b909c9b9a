"""The disposable WordPress fixture: REST with an Application Password, media, posts, outages."""

import json
import urllib.error
import urllib.request

import pytest

from tests.support.images import jpeg

pytestmark = pytest.mark.slow


def call(url: str, authorization: str, data: bytes | None = None, headers: dict | None = None,
         method: str | None = None) -> tuple[int, dict]:
    """Send one request to WordPress; return the status and the decoded JSON body."""
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": authorization, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def send_json(url: str, authorization: str, payload: dict) -> tuple[int, dict]:
    """POST a JSON payload to WordPress; return the status and the decoded JSON body."""
    return call(url, authorization, json.dumps(payload).encode(),
                {"Content-Type": "application/json"})


def test_rest_url_uses_rest_route_query(wordpress):
    assert wordpress.rest("/wp/v2/posts") == f"{wordpress.url}/?rest_route=/wp/v2/posts"
    assert (wordpress.rest("/wp/v2/posts/7?context=edit", search="é & co")
            == f"{wordpress.url}/?rest_route=/wp/v2/posts/7&context=edit&search=%C3%A9+%26+co")


def test_application_password_reads_the_administrator(wordpress):
    status, me = call(wordpress.rest("/wp/v2/users/me?context=edit"), wordpress.basic_auth())
    assert (status, me["id"], me["username"], me["name"]) == (
        200, wordpress.user_id, wordpress.user, "admin")
    assert me["roles"] == ["administrator"]


def test_wrong_application_password_is_refused_with_401(wordpress):
    status, body = call(wordpress.rest("/wp/v2/users/me"),
                        wordpress.basic_auth("abcd efgh ijkl mnop qrst uvwx"))
    # WordPress 6.1 checks the password after its authentication-error hook has run, so the
    # answer is "not logged in" rather than "incorrect_password": only the 401 tells them apart.
    assert (status, body["code"]) == (401, "rest_not_logged_in")


def test_media_upload_and_draft_post_with_featured_image(wordpress):
    auth = wordpress.basic_auth()
    photo = jpeg((320, 240))
    status, media = call(wordpress.rest("/wp/v2/media", alt_text="Jean-Luc, souriant"), auth,
                         photo, {"Content-Type": "image/jpeg",
                                 "Content-Disposition": "attachment; filename=x.jpg"})
    assert (status, media["mime_type"], media["alt_text"]) == (
        201, "image/jpeg", "Jean-Luc, souriant")
    assert media["media_details"]["sizes"]["thumbnail"]["width"] == 150
    with urllib.request.urlopen(media["source_url"], timeout=30) as response:
        assert response.read() == photo

    status, post = send_json(wordpress.rest("/wp/v2/posts"), auth, {
        "title": "Portrait de Jean-Luc", "content": "<p>Bonjour!</p>", "status": "draft",
        "featured_media": media["id"]})
    assert status == 201
    status, read = call(wordpress.rest(f"/wp/v2/posts/{post['id']}?context=edit"), auth)
    assert (status, read["title"]["raw"], read["status"], read["featured_media"]) == (
        200, "Portrait de Jean-Luc", "draft", media["id"])


def test_stop_refuses_connections_and_start_serves_again(wordpress):
    wordpress.stop()
    with pytest.raises(urllib.error.URLError) as refused:
        urllib.request.urlopen(wordpress.rest("/"), timeout=5)
    assert isinstance(refused.value.reason, ConnectionRefusedError)
    wordpress.start()
    status, me = call(wordpress.rest("/wp/v2/users/me"), wordpress.basic_auth())
    assert (status, me["name"]) == (200, wordpress.user)

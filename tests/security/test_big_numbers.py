"""Numbers larger than the database stores answer a clean 404 or 400 page, never a 500."""

import re

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from intake.auth.accounts import create_user
from intake.enums import State
from intake.extensions import db
from intake.models import Answer, User
from tests.support.factories import BLOGGER_EMAIL, BLOGGER_NAME, BLOGGER_PASSWORD, make_submission
from tests.support.http import log_in

HUGE = str(10**30)
LONGER_THAN_PYTHON_PARSES = "9" * 5000  # int() refuses more than 4300 digits


def assert_clean_error_page(response, code: int, title: str) -> None:
    """Check the answer is our own error page, with the security headers."""
    assert response.status_code == code
    assert title in response.get_data(as_text=True)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/admin/", "/admin/outbox"])
@pytest.mark.parametrize("page", [HUGE, "-" + HUGE, "2147483648", LONGER_THAN_PYTHON_PARSES])
def test_page_number_beyond_the_database_answers_400(blogger_client, path, page):
    response = blogger_client.get(f"{path}?page={page}")
    assert_clean_error_page(response, 400, "Requête invalide")


@pytest.mark.parametrize("page", ["abc", "", "2147483647"])
def test_page_number_that_is_not_huge_still_shows_a_page(blogger_client, page):
    assert blogger_client.get(f"/admin/?page={page}").status_code == 200
    assert blogger_client.get(f"/admin/outbox?page={page}").status_code == 200


def int_rules(app):
    """Yield (method, rule, argument names) for every rule with an `<int:…>` argument."""
    for rule in app.url_map.iter_rules():
        names = [name for name, converter in rule._converters.items()
                 if isinstance(converter, IntegerConverter)]
        if names:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule, names


@pytest.mark.parametrize("number", [HUGE, "2147483648", LONGER_THAN_PYTHON_PARSES])
def test_every_int_route_answers_404_for_an_id_beyond_the_database(blogger_client, app, number):
    submission = make_submission(State.SUBMITTED)
    rules = list(int_rules(app))
    assert {rule.endpoint for _, rule, _ in rules} >= {
        "review.submission", "review.save_answers", "review.invitation",
        "review.outbox_message", "review.question_edit", "review.photo"}
    for method, rule, names in rules:
        url = rule.rule
        for name in names:
            url = url.replace(f"<int:{name}>", number)
        url = re.sub(r"<(?:\w+:)?\w+>", "portrait", url)
        response = blogger_client.open(url, method=method, data={"version": 1})
        assert_clean_error_page(response, 404, "Page introuvable")
    assert db.session.get(type(submission), submission.id).state == "submitted"


def test_int_route_still_opens_the_largest_id(blogger_client):
    assert blogger_client.get("/admin/submissions/2147483647").status_code == 404
    submission = make_submission(State.SUBMITTED)
    assert blogger_client.get(f"/admin/submissions/{submission.id}").status_code == 200


@pytest.mark.parametrize("position", [HUGE, "-" + HUGE, LONGER_THAN_PYTHON_PARSES])
def test_answer_position_beyond_the_database_answers_400_and_changes_nothing(
        blogger_client, position):
    submission = make_submission(State.SUBMITTED)
    answer = submission.answers[0]
    before = (answer.id, answer.position, answer.edited_body)
    response = blogger_client.post(f"/admin/submissions/{submission.id}/answers", data={
        f"position-{answer.id}": position, f"text-{answer.id}": "Texte retouché"})
    assert_clean_error_page(response, 400, "Requête invalide")
    db.session.expire_all()
    stored = db.session.get(Answer, answer.id)
    assert (stored.id, stored.position, stored.edited_body) == before


def test_answer_position_in_range_is_saved(blogger_client):
    submission = make_submission(State.SUBMITTED)
    answer = submission.answers[0]
    response = blogger_client.post(f"/admin/submissions/{submission.id}/answers",
                                   data={f"position-{answer.id}": "7"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).position == 7


def test_failed_database_write_gives_the_friendly_500_page(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        create_user(BLOGGER_EMAIL, BLOGGER_PASSWORD, name=BLOGGER_NAME)
        db.session.commit()

    def overflowing_write():
        user = db.session.scalar(select(User).where(User.email == BLOGGER_EMAIL))
        user.session_version = 10**30  # fits Python, not SQLite nor PostgreSQL
        db.session.flush()
        return "never"

    app.add_url_rule("/__overflow", view_func=overflowing_write)
    client = app.test_client()
    assert log_in(client).status_code == 303
    response = client.get("/__overflow")
    assert_clean_error_page(response, 500, "Erreur du serveur")

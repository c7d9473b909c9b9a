"""The account and setup commands."""

import re

from sqlalchemy import func, select

from intake.extensions import db
from intake.models import Question, User
from tests.support.http import log_in


def test_create_admin_reads_password_from_stdin(runner, client):
    result = runner.invoke(
        args=["create-admin", "Editrice@Example.org", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created blogger account editrice@example.org."
    assert log_in(client, "editrice@example.org", "a long enough password").status_code == 303


def test_create_admin_refuses_duplicate(runner):
    runner.invoke(args=["create-admin", "a@example.org", "--password-stdin"], input="x" * 12)
    result = runner.invoke(
        args=["create-admin", "a@example.org", "--password-stdin"], input="y" * 12
    )
    assert result.exit_code == 1
    assert "Error: An account already exists for a@example.org." in result.output


def test_create_admin_refuses_an_address_mail_cannot_reach_with_a_sentence(runner):
    result = runner.invoke(args=["create-admin", "admin@localhost", "--password-stdin"],
                           input="a long enough password\n")

    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: “admin@localhost” is not an email address mail can reach (The part after "
        "the @-sign is not valid. It should have a period.). Give a full address, for "
        "example name@example.com.")
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_admin_with_a_name_skips_the_welcome_step(runner, client):
    result = runner.invoke(args=["create-admin", "ed@example.org", "--name", "Éd Itrice",
                                 "--password-stdin"], input="a long enough password\n")
    assert result.exit_code == 0, result.output

    response = log_in(client, "ed@example.org", "a long enough password")

    assert response.headers["Location"] == "/admin/"
    assert db.session.scalar(select(User.name)) == "Éd Itrice"


def test_create_admin_refuses_short_password(runner):
    result = runner.invoke(args=["create-admin", "b@example.org", "--password-stdin"],
                           input="short")
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_setup_creates_first_account_once_and_password_logs_in(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'setup.sqlite'}")
    runner = app.test_cli_runner()
    with app.app_context():
        db.drop_all()
        db.session.commit()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    password = re.search(r"password: (\S+)", first.output).group(1)
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0, second.output
    assert "password:" not in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1
        assert db.session.scalar(select(func.count(Question.id))) > 20
    client = app.test_client()
    response = log_in(client, "admin@example.org", password)
    assert (response.status_code, response.headers["Location"]) == (303, "/welcome")


def test_setup_refuses_an_admin_address_mail_cannot_reach(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'setup.sqlite'}")
    with app.app_context():
        db.drop_all()
        db.session.commit()

    result = app.test_cli_runner().invoke(args=["setup", "--admin-email", "admin@localhost"])

    assert result.exit_code == 1
    assert "“admin@localhost” is not an email address mail can reach" in result.output

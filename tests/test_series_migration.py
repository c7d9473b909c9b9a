"""The series migration, on a database holding today's data (one questionnaire, blog-wide
typography and register, a published portrait), on SQLite and PostgreSQL."""

import xml.etree.ElementTree as ET

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from intake import create_app
from intake.extensions import db
from intake.invitations.operations import create_invitation
from intake.questionnaire.series import create_series
from tests.support.databases import postgres_database

BEFORE = "cfc050e4f86e"
ATOM = "{http://www.w3.org/2005/Atom}"
NOW = "2026-11-01 12:00:00"


def todays_data() -> int:
    """Store what a blog holds before the migration; return its questionnaire's id."""
    questionnaire = db.session.execute(text("SELECT id FROM questionnaires")).scalar_one()
    db.session.execute(text(
        "INSERT INTO blog_settings (key, value) VALUES ('typography', 'france'), "
        "('register', 'vous'), ('timezone', 'America/Toronto')"))
    db.session.execute(text(
        "INSERT INTO invitations (questionnaire_id, name, email, organisation, language, note, "
        "token_nonce, token_sha256, created_at, expires_at, reminders_sent) VALUES "
        "(:q, 'Jeanne Publiée', 'jeanne@example.org', '', 'fr', '', 'n', 'h', :now, :now, 0)"),
        {"q": questionnaire, "now": NOW})
    invitation = db.session.execute(text("SELECT id FROM invitations")).scalar_one()
    db.session.execute(text(
        "INSERT INTO submissions (invitation_id, state, version, created_at, updated_at, "
        "published_at, publication_date, display_name, role_title, organisation, title, slug, "
        "editor_intro, review_message, proof_requested, proof_status, proof_comment) VALUES "
        "(:i, 'published', 3, :now, :now, :now, '2026-11-01', 'Jeanne Publiée', '', '', '', "
        "'jeanne-publiee', '', '', false, '', '')"), {"i": invitation, "now": NOW})
    db.session.execute(text(
        "INSERT INTO answers (submission_id, question_text, position, body, hidden, updated_at) "
        "SELECT id, 'Ton site ?', 0, 'Oui ! Bien.', false, :now FROM submissions"),
        {"now": NOW})
    db.session.commit()
    return questionnaire


def migrate_todays_data(uri: str, tmp_path, monkeypatch):
    """Build the schema as it was, store today's data, upgrade; return the app and the id."""
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x", "TESTING": True,
                      "BASE_URL": "https://portraits.example.org"})
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory, revision=BEFORE)
        questionnaire = todays_data()
        upgrade(directory=directory)
    return app, questionnaire


def check_migrated(app, questionnaire: int) -> None:
    """Assert the first series holds today's settings and every published address works."""
    check = app.test_cli_runner().invoke(args=["db", "check"])
    assert check.exit_code == 0, check.output
    with app.app_context():
        series = db.session.execute(text(
            "SELECT id, slug, typography, register, title_fr FROM series")).all()
        assert [tuple(row) for row in series] == [
            (questionnaire, "portrait-de-gestionnaire-de-communaute", "france", "vous",
             "Portrait de gestionnaire de communauté")]
        settings = db.session.execute(text("SELECT key FROM blog_settings")).scalars().all()
        assert settings == ["timezone"]
    client = app.test_client()
    post = client.get("/portraits/jeanne-publiee")
    assert post.status_code == 200
    assert "Ton site\u202f?" in post.get_data(as_text=True)
    feed = client.get("/feed.atom", follow_redirects=True)
    entries = ET.fromstring(feed.data).findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        "https://portraits.example.org/portraits/jeanne-publiee"]
    index = client.get("/").get_data(as_text=True)
    assert "/portraits/jeanne-publiee" in index
    with app.app_context():
        db.engine.dispose()


def check_keys(app, questionnaire: int) -> None:
    """Assert the keys still hold: a new series (its id from the renamed sequence) and an
    invitation to it (its foreign key now names the series table)."""
    with app.app_context():
        series = create_series("Portrait de bénévole")
        invitation, _token = create_invitation(name="Nouvelle", email="n@example.org",
                                               series=series)
        db.session.commit()
        assert (series.id, invitation.questionnaire_id) == (questionnaire + 1, series.id)
        db.session.remove()  # give back the connection the assert's reload took
        db.engine.dispose()


def round_trip(app) -> None:
    """Downgrade to the schema before and upgrade again: the settings go back and return."""
    with app.app_context():
        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision=BEFORE)
        settings = dict(db.session.execute(text(
            "SELECT key, value FROM blog_settings WHERE key != 'timezone'")).all())
        assert settings == {"typography": "france", "register": "vous"}
        db.session.commit()
        upgrade(directory=directory)


def test_migration_keeps_todays_data_and_addresses_on_sqlite(tmp_path, monkeypatch):
    app, questionnaire = migrate_todays_data(f"sqlite:///{tmp_path / 'today.sqlite'}",
                                             tmp_path, monkeypatch)
    check_migrated(app, questionnaire)
    round_trip(app)
    check_migrated(app, questionnaire)
    check_keys(app, questionnaire)


def test_migration_keeps_todays_data_and_addresses_on_postgresql(tmp_path, monkeypatch):
    uri, drop = postgres_database()
    try:
        app, questionnaire = migrate_todays_data(uri, tmp_path, monkeypatch)
        check_migrated(app, questionnaire)
        round_trip(app)
        check_migrated(app, questionnaire)
        check_keys(app, questionnaire)
    finally:
        drop()

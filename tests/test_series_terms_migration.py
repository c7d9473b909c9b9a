"""The migration giving series their WordPress categories and tags, on a database holding a
series: it starts with none (the blog-wide settings apply), on SQLite and PostgreSQL."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from intake import create_app
from intake.extensions import db
from intake.questionnaire.series import default_series
from intake.wordpress.settings import post_terms
from tests.support.databases import postgres_database

BEFORE = "b7d41e0c9a18"
COLUMNS = {"wordpress_categories", "wordpress_tags"}


def series_columns() -> set[str]:
    """Return the columns of the series table."""
    return {column["name"] for column in inspect(db.engine).get_columns("series")}


def migrate_and_back(uri: str, tmp_path, monkeypatch) -> None:
    """Upgrade from the schema before, check the series and its fallback, name a category,
    downgrade (columns gone, series kept) and upgrade again."""
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x", "TESTING": True,
                      "WORDPRESS_CATEGORIES": ["Portraits"]})
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory, revision=BEFORE)
        assert not COLUMNS & series_columns()
        before = db.session.execute(text("SELECT id, slug FROM series")).one()
        db.session.commit()
        upgrade(directory=directory)
        check = app.test_cli_runner().invoke(args=["db", "check"])
        assert check.exit_code == 0, check.output
        series = default_series()
        assert (series.id, series.slug) == tuple(before)
        assert (series.wordpress_categories, series.wordpress_tags) == ([], [])
        assert post_terms(series) == (["Portraits"], [])
        series.wordpress_tags = ["gestion de communauté"]
        db.session.commit()
        db.session.remove()

        downgrade(directory=directory, revision=BEFORE)
        assert not COLUMNS & series_columns()
        assert tuple(db.session.execute(text("SELECT id, slug FROM series")).one()) == (
            tuple(before))
        db.session.commit()
        upgrade(directory=directory)
        assert default_series().wordpress_tags == []
        db.session.remove()
        db.engine.dispose()


def test_series_terms_migration_on_sqlite(tmp_path, monkeypatch):
    migrate_and_back(f"sqlite:///{tmp_path / 'series.sqlite'}", tmp_path, monkeypatch)


def test_series_terms_migration_on_postgresql(tmp_path, monkeypatch):
    uri, drop = postgres_database()
    try:
        migrate_and_back(uri, tmp_path, monkeypatch)
    finally:
        drop()

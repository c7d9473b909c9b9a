"""Configuration precedence and production safety."""

import pytest

from intake import create_app


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """Point the app at an empty instance folder and clear FLASK_* variables."""
    folder = tmp_path / "instance"
    folder.mkdir()
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(folder))
    monkeypatch.delenv("INTAKE_PRODUCTION", raising=False)
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.delenv("INTAKE_DEV_BASE_URL", raising=False)
    return folder


def test_config_instance_file_beats_defaults(instance):
    (instance / "config.py").write_text('BASE_URL = "https://from-instance.example"\n')
    app = create_app()
    assert app.config["BASE_URL"] == "https://from-instance.example"


def test_config_environment_beats_instance_file(instance, monkeypatch):
    (instance / "config.py").write_text('BASE_URL = "https://from-instance.example"\n')
    monkeypatch.setenv("FLASK_BASE_URL", "https://from-env.example/")
    app = create_app()
    assert app.config["BASE_URL"] == "https://from-env.example"


def test_config_test_config_beats_environment(instance, monkeypatch):
    monkeypatch.setenv("FLASK_BASE_URL", "https://from-env.example")
    app = create_app({"BASE_URL": "https://from-test.example"})
    assert app.config["BASE_URL"] == "https://from-test.example"


def test_config_environment_values_parsed_as_json(instance, monkeypatch):
    monkeypatch.setenv("FLASK_INVITATION_DAYS", "45")
    app = create_app()
    assert app.config["INVITATION_DAYS"] == 45


def test_config_production_without_key_refuses_to_start(instance, monkeypatch):
    monkeypatch.setenv("INTAKE_PRODUCTION", "1")
    with pytest.raises(RuntimeError) as error:
        create_app()
    assert "SECRET_KEY is not set" in str(error.value)


def test_config_production_with_key_starts(instance, monkeypatch):
    monkeypatch.setenv("INTAKE_PRODUCTION", "1")
    monkeypatch.setenv("FLASK_SECRET_KEY", "k" * 64)
    monkeypatch.setenv("FLASK_BASE_URL", "https://portraits.example.org")
    app = create_app()
    assert app.config["SECRET_KEY"] == "k" * 64


def test_config_production_without_base_url_refuses_to_start(instance, monkeypatch):
    monkeypatch.setenv("INTAKE_PRODUCTION", "1")
    monkeypatch.setenv("FLASK_SECRET_KEY", "k" * 64)
    monkeypatch.setenv("INTAKE_DEV_BASE_URL", "http://127.0.0.1:5101")
    with pytest.raises(RuntimeError) as error:
        create_app()
    assert str(error.value).startswith("BASE_URL is not set. In production set FLASK_BASE_URL")


def test_config_development_links_follow_the_dev_server_address(instance, monkeypatch):
    assert create_app().config["BASE_URL"] == "http://127.0.0.1:5000"
    monkeypatch.setenv("INTAKE_DEV_BASE_URL", "http://127.0.0.1:5101")
    assert create_app().config["BASE_URL"] == "http://127.0.0.1:5101"
    monkeypatch.delenv("INTAKE_DEV_BASE_URL")  # another command, beside `make run`
    assert create_app().config["BASE_URL"] == "http://127.0.0.1:5101"


def test_config_development_key_is_generated_once(instance):
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second
    assert len(first) == 64
    assert (instance / "secret_key").read_text() == first


def test_config_https_base_url_makes_cookies_secure(instance):
    app = create_app({"BASE_URL": "https://portraits.example.org"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_config_default_database_is_sqlite_in_instance(instance):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'intake.sqlite'}"

"""`flask --app intake doctor`: one line per check, each error with its fix, exit 1 on errors."""

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from intake import create_app
from intake.cli.checks import ERROR, OK, WARNING, check_base_url
from intake.extensions import db
from intake.models import Question
from tests.conftest import base_config
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).with_name("flask"))
FONTS_OK = ("ok: The PDF embeds its own fonts from static/fonts/ (accents and emoji drawn): "
            "DejaVu Sans, DejaVu Sans Bold, Noto Color Emoji.")
NO_SMTP = ("ok: No SMTP server configured (MAIL_SERVER is empty): mail stays in the outbox, "
           "readable on the « Courriels » page.")
UPGRADE = "run `flask --app intake db upgrade`"


@pytest.fixture
def migrated(make_app, tmp_path):
    """Return a factory of apps, each on a SQLite file of its own built by `flask setup`."""
    files = (tmp_path / f"doctor-{n}.sqlite" for n in itertools.count())

    def factory(**overrides):
        uri = f"sqlite:///{next(files)}"
        app = make_app(SQLALCHEMY_DATABASE_URI=uri, **overrides)
        with app.app_context():
            db.drop_all()
        result = app.test_cli_runner().invoke(args=["setup"])
        assert result.exit_code == 0, result.output
        return app

    return factory


def doctor(app) -> tuple[int, list[str]]:
    """Run `flask doctor` on an app; return its exit status and its lines."""
    result = app.test_cli_runner().invoke(args=["doctor"])
    return result.exit_code, result.output.splitlines()


def head_revision() -> str:
    """Return the newest migration's revision, read from the migrations folder."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from intake import ROOT

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def test_doctor_on_a_migrated_app_says_everything_is_ok(migrated):
    app = migrated()
    with app.app_context():
        questions = db.session.query(Question).filter_by(invitation_id=None).count()

    status, lines = doctor(app)

    assert status == 0, lines
    assert [line.split(":")[0] for line in lines] == [OK] * 6
    assert lines[0].startswith("ok: WeasyPrint 70.0 loads its system libraries (Pango 1.")
    assert lines[1:] == [
        FONTS_OK,
        f"ok: The database {app.config['SQLALCHEMY_DATABASE_URI']} is reachable and at the "
        f"latest migration ({head_revision()}).",
        f"ok: The questionnaire « Portrait de gestionnaire de communauté » is loaded "
        f"({questions} questions).",
        "ok: BASE_URL https://portraits.example.org is sound: every emailed link starts "
        "with it.",
        NO_SMTP,
    ]


def test_doctor_on_an_empty_sqlite_database_says_to_run_db_upgrade(make_app, tmp_path):
    uri = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    app = make_app(SQLALCHEMY_DATABASE_URI=uri)
    with app.app_context():
        db.drop_all()

    status, lines = doctor(app)

    assert status == 1
    assert lines[2:4] == [
        f"error: The database {uri} has no schema (not migrated): {UPGRADE}.",
        "warning: Did not check the questionnaire: the database is not ready (see above).",
    ]


def test_doctor_does_not_create_a_missing_sqlite_database(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    missing = tmp_path / "missing.sqlite"
    app = create_app({**base_config(tmp_path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})

    status, lines = doctor(app)

    assert status == 1
    assert lines[2] == (f"error: The SQLite database {missing} does not exist yet: {UPGRADE} "
                        "(or `flask --app intake setup` on a new install).")
    assert not missing.exists()


def test_doctor_without_a_questionnaire_says_to_run_setup(migrated):
    app = migrated()
    with app.app_context():
        db.session.execute(db.text("DELETE FROM questions"))
        db.session.execute(db.text("DELETE FROM series"))
        db.session.commit()

    status, lines = doctor(app)

    assert status == 1
    assert lines[3] == ("error: No questionnaire in the database: run `flask --app intake setup` "
                        "to load the default one.")


def test_doctor_says_which_fonts_stand_in_when_static_fonts_are_gone(migrated, tmp_path):
    app = migrated()
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    shutil.copy(Path(app.static_folder) / "css" / "print.css", static / "css" / "print.css")
    app.static_folder = str(static)  # print.css without the font files it names

    status, lines = doctor(app)

    assert status == 1
    assert lines[1].startswith("error: The probe PDF does not draw with the fonts of "
                               "static/fonts/ (missing Portrait-Sans, Portrait-Sans-Bold, "
                               "Portrait-Emoji; embedded: ")
    assert lines[1].endswith("restore them with "
                             "`git checkout -- static/fonts static/css/print.css`.")


def test_doctor_says_how_to_install_weasyprints_libraries_when_pango_does_not_load(tmp_path):
    broken = tmp_path / "lib"
    broken.mkdir()
    (broken / "libpango-1.0.so.0").write_bytes(b"")  # found first, and not a library
    env = {**os.environ, "LD_LIBRARY_PATH": str(broken),
           "INTAKE_INSTANCE_PATH": str(tmp_path / "instance")}

    result = subprocess.run([FLASK, "--app", "intake", "doctor"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)

    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert lines[0].startswith("error: WeasyPrint cannot load its system libraries (OSError: ")
    assert lines[0].endswith(": run `apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
                             "libharfbuzz0b`.")
    assert lines[1] == ("warning: Did not check the PDF fonts: WeasyPrint does not load "
                        "(see above).")


def test_doctor_reports_an_smtp_server_that_does_not_answer(migrated):
    port = free_port()
    app = migrated(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=5)

    status, lines = doctor(app)

    assert status == 1
    assert lines[5].startswith(f"error: Cannot reach the SMTP server 127.0.0.1:{port} within "
                               "5 s (ConnectionRefusedError: ")
    assert lines[5].endswith("mail waits in the outbox: check FLASK_MAIL_SERVER and "
                             f"FLASK_MAIL_PORT (`nc -vz 127.0.0.1 {port}`).")


def test_doctor_reaches_a_real_smtp_server_and_sends_nothing(migrated, smtp):
    app = migrated(**smtp.config())

    status, lines = doctor(app)

    assert status == 0, lines
    assert lines[5] == (f"ok: The SMTP server 127.0.0.1:{smtp.port} answers (EHLO); "
                        "nothing was sent.")
    assert smtp.messages == []


def test_doctor_says_when_the_smtp_server_refuses_the_login(migrated, smtp):
    app = migrated(**smtp.config(), MAIL_USERNAME="portraits", MAIL_PASSWORD="secret")

    status, lines = doctor(app)

    assert status == 1
    assert lines[5] == (
        f"error: The SMTP server 127.0.0.1:{smtp.port} answered but refused EHLO, login "
        "(SMTPNotSupportedError: SMTP AUTH extension not supported by server.): check "
        "FLASK_MAIL_USE_TLS, FLASK_MAIL_USERNAME and FLASK_MAIL_PASSWORD.")


def test_doctor_fails_on_a_base_url_with_a_path_and_only_warns_on_localhost_in_production(
        migrated):
    status, lines = doctor(migrated(BASE_URL="https://example.org/portraits"))
    assert status == 1
    assert lines[4] == (
        "error: BASE_URL 'https://example.org/portraits' must be the site's root, with no path, "
        "query, fragment or password (links add their own path): "
        "`export FLASK_BASE_URL=https://portraits.example.org`.")

    status, lines = doctor(migrated(BASE_URL="https://localhost:8443", PRODUCTION=True))
    assert status == 0, lines
    assert lines[4] == (
        "warning: BASE_URL https://localhost:8443 points to this machine in production: "
        "emailed links will not open for anyone else: "
        "`export FLASK_BASE_URL=https://portraits.example.org`.")


@pytest.mark.parametrize(("base_url", "production", "level", "says"), [
    ("https://portraits.example.org", True, OK, "is sound"),
    ("http://127.0.0.1:5000", False, OK, "is sound"),
    ("http://portraits.example.org", True, ERROR, "is plain http in production"),
    ("https://127.0.0.1", True, WARNING, "points to this machine in production"),
    ("https://[::1]:8443", True, WARNING, "points to this machine in production"),
    ("https://app.localhost", True, WARNING, "points to this machine in production"),
    ("portraits.example.org", False, ERROR, "is not an http:// or https:// address"),
    ("ftp://portraits.example.org", False, ERROR, "is not an http:// or https:// address"),
    ("https://", False, ERROR, "is not an http:// or https:// address"),
    ("https://portraits.example.org:http", False, ERROR, "has an invalid port"),
    ("https://portraits.example.org?x=1", False, ERROR, "must be the site's root"),
    ("https://portraits.example.org#top", False, ERROR, "must be the site's root"),
    ("https://me:pw@portraits.example.org", False, ERROR, "must be the site's root"),
])
def test_check_base_url(base_url, production, level, says):
    finding = check_base_url(base_url, production=production)

    assert (finding.level, says in finding.sentence) == (level, True)
    assert finding.sentence.endswith("starts with it." if level == OK
                                     else "`export FLASK_BASE_URL=https://portraits.example.org`.")


def test_doctor_says_when_the_database_server_does_not_answer(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    port = free_port()
    uri = f"postgresql+psycopg://postgres:secret@127.0.0.1:{port}/intake"
    app = create_app({**base_config(tmp_path), "SQLALCHEMY_DATABASE_URI": uri})

    status, lines = doctor(app)

    assert status == 1
    assert lines[2].startswith("error: Cannot reach the database postgresql+psycopg://postgres:"
                               "***@127.0.0.1:")
    assert lines[2].endswith("check FLASK_SQLALCHEMY_DATABASE_URI and that its server runs "
                             f"(`pg_isready -h 127.0.0.1 -p {port}`).")
    assert "secret" not in "\n".join(lines)


def test_doctor_says_when_the_database_is_newer_than_the_code(migrated):
    app = migrated()
    with app.app_context():
        db.session.execute(db.text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
        db.session.commit()

    status, lines = doctor(app)

    assert status == 1
    assert lines[2] == (f"error: The database {app.config['SQLALCHEMY_DATABASE_URI']} is at "
                        "revision f00dfeed, which this code does not know: deploy the code that "
                        "migrated it, then run `flask --app intake db upgrade`.")

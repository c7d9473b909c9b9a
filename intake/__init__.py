"""Portrait intake: invite, collect, review and publish interview portraits."""

import os
import secrets
from pathlib import Path

from flask import Config, Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from intake.config import DEFAULTS
from intake.request_limits import LimitedRequest

ROOT = Path(__file__).resolve().parent.parent
DEV_BASE_URL = "http://127.0.0.1:5000"


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: defaults, then instance/config.py, then FLASK_* env, then test_config."""
    app = Flask(
        __name__,
        instance_path=instance_folder(),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.request_class = LimitedRequest
    load_config(app, test_config)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def instance_folder() -> str:
    """Return the instance folder: INTAKE_INSTANCE_PATH, else `instance/` in the checkout."""
    return os.environ.get("INTAKE_INSTANCE_PATH") or str(ROOT / "instance")


def read_settings(config: Config, test_config: dict | None = None) -> None:
    """Fill a config in precedence order: defaults, instance/config.py, FLASK_* env,
    test_config."""
    config.from_mapping(DEFAULTS)
    config.from_pyfile("config.py", silent=True)
    config.from_prefixed_env()
    if os.environ.get("INTAKE_PRODUCTION", "") not in ("", "0"):
        config["PRODUCTION"] = True
    if test_config:
        config.update(test_config)


def server_settings() -> Config:
    """Return the settings the app will read, without creating it (gunicorn's startup check
    reads them in the master process)."""
    config = Config(instance_folder())
    read_settings(config)
    return config


def load_config(app: Flask, test_config: dict | None) -> None:
    """Apply the settings in their precedence order and fill the derived ones."""
    read_settings(app.config, test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        db_path = Path(app.instance_path) / "intake.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if not app.config["SECRET_KEY"]:
        if app.config["PRODUCTION"]:
            raise RuntimeError(
                "SECRET_KEY is not set. In production set FLASK_SECRET_KEY (for example "
                "with `python -c 'import secrets; print(secrets.token_hex(32))'`) or put "
                "SECRET_KEY in instance/config.py; refusing to start with a guessable key."
            )
        app.config["SECRET_KEY"] = development_secret_key(Path(app.instance_path))
    base_url = (app.config["BASE_URL"] or development_base_url(app)).rstrip("/")
    app.config["BASE_URL"] = base_url
    if base_url.startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


def development_base_url(app: Flask) -> str:
    """Return the development address links are built on: `make run` gives its HOST and PORT
    (kept in the instance folder, so other commands build the same links)."""
    if app.config["PRODUCTION"]:
        raise RuntimeError(
            "BASE_URL is not set. In production set FLASK_BASE_URL to the public address "
            "readers and invitees use (for example https://portraits.example.org): every "
            "emailed link is built on it."
        )
    remembered = Path(app.instance_path) / "dev_base_url"
    given = os.environ.get("INTAKE_DEV_BASE_URL", "").strip()
    if given:
        if not remembered.exists() or remembered.read_text().strip() != given:
            remembered.write_text(given + "\n")
        return given
    if remembered.exists():
        return remembered.read_text().strip() or DEV_BASE_URL
    return DEV_BASE_URL


def development_secret_key(instance: Path) -> str:
    """Return the development key kept in the instance folder, creating it once."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def trust_proxies(app: Flask) -> None:
    """Read the client's address and scheme from the headers of TRUSTED_PROXY_HOPS proxies.

    Behind one proxy (the README's nginx), 1: rate limits then count per visitor instead of
    per proxy. Never more than the proxies really in front: a client can write any
    X-Forwarded-For, and each extra hop trusts one more of its values. Host is not taken from
    the proxy (the proxy passes it through; links are built on BASE_URL anyway).
    """
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if not isinstance(hops, int) or isinstance(hops, bool) or hops < 0:
        raise RuntimeError(
            f"TRUSTED_PROXY_HOPS must be a whole number of proxies (0 without a proxy, 1 "
            f"behind one), not {hops!r}."
        )
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_extensions(app: Flask) -> None:
    """Bind every extension object to the app."""
    from intake import addressing, extensions, i18n, security
    from intake.database import configure_engines

    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(ROOT / "migrations"), render_as_batch=True
    )
    extensions.csrf.init_app(app)
    extensions.mail.init_app(app)
    extensions.limiter.init_app(app)
    i18n.init_app(app)
    addressing.init_app(app)
    security.init_app(app)
    configure_engines(app)


def register_blueprints(app: Flask) -> None:
    """Mount the invitee, blogger, reader and login pages; `<int:…>` ids stay within what the
    database stores (a larger one answers 404)."""
    from intake.auth.views import bp as auth_bp
    from intake.numbers import DatabaseIntConverter
    from intake.public.views import bp as public_bp
    from intake.respond import bp as respond_bp
    from intake.review import bp as review_bp

    app.url_map.converters["int"] = DatabaseIntConverter
    for blueprint in (auth_bp, public_bp, respond_bp, review_bp):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    """Render friendly error pages in the person's language."""
    from intake.errors import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    """Add the `flask` commands (create-admin, setup, invite, outbox, remind, backup)."""
    from intake.cli import init_app

    init_app(app)

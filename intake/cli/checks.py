"""Check what the app needs on this machine; each finding is one sentence that says the fix.

`flask --app intake doctor` (intake/cli/doctor.py) prints them. Nothing here writes: the
database is only read (a missing SQLite file is not created), the probe PDF stays in memory
and the SMTP server gets EHLO and QUIT, never a message.
"""

import contextlib
import io
import logging
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import ip_address
from pathlib import Path
from urllib.parse import urlsplit

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from intake.extensions import db
from intake.mail.policy import describe
from intake.mail.smtp import Session
from intake.publishing.pdf_fonts import embedded_fonts
from intake.questionnaire.series import current_questionnaire

OK, WARNING, ERROR = "ok", "warning", "error"
INSTALL_PANGO = "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b"
RESTORE_FONTS = "git checkout -- static/fonts static/css/print.css"
UPGRADE = "flask --app intake db upgrade"
SETUP = "flask --app intake setup"
SET_BASE_URL = "export FLASK_BASE_URL=https://portraits.example.org"
# One line through the portrait's path: accented French, bold, an emoji.
PROBE_HTML = ('<!doctype html><html lang="fr"><body><p>Déjà l’été à Québec : « ça marche » '
              "🎉 <b>Ève</b></p></body></html>")
# The PDF's names of the print.css fonts the probe uses (family, then its bold face).
PROBE_FONTS = ("Portrait-Sans", "Portrait-Sans-Bold", "Portrait-Emoji")


@dataclass(frozen=True)
class Finding:
    """One check's outcome: ok, warning or error, and a sentence with the fix."""

    level: str
    sentence: str

    @property
    def failed(self) -> bool:
        """Say whether this finding makes the doctor exit with status 1."""
        return self.level == ERROR


def run_checks() -> list[Finding]:
    """Run every check in order; a check that needs a failed one is skipped with a warning."""
    libraries = check_weasyprint()
    findings = [libraries, skipped("the PDF fonts", "WeasyPrint does not load")
                if libraries.failed else check_pdf_fonts()]
    database = check_database()
    findings += [database, skipped("the questionnaire", "the database is not ready")
                 if database.failed else check_questionnaire()]
    config = current_app.config
    findings += [check_base_url(config["BASE_URL"], production=config["PRODUCTION"]),
                 check_smtp(config)]
    return findings


def one_line(error: BaseException) -> str:
    """Return a short description of an error on one line (drivers write several)."""
    return " ".join(describe(error).split())


def skipped(what: str, reason: str) -> Finding:
    """Return the warning of a check not run because another one failed."""
    return Finding(WARNING, f"Did not check {what}: {reason} (see above).")


def check_weasyprint() -> Finding:
    """Say whether WeasyPrint and its system libraries (Pango, HarfBuzz) load."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints its own advice
            import weasyprint
            from weasyprint.text.ffi import pango
    except (OSError, ImportError) as error:
        return Finding(ERROR, f"WeasyPrint cannot load its system libraries ({one_line(error)})"
                              f": run `{INSTALL_PANGO}`.")
    version = pango.pango_version()
    pango_version = f"{version // 10000}.{version // 100 % 100}.{version % 100}"
    return Finding(OK, f"WeasyPrint {weasyprint.__version__} loads its system libraries "
                       f"(Pango {pango_version}).")


class Collector(logging.Handler):
    """A logging handler that keeps the messages of warnings and worse."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record's message."""
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
    """Collect the warnings WeasyPrint logs inside the block."""
    collector, logger = Collector(), logging.getLogger("weasyprint")
    level = logger.level
    logger.addHandler(collector)
    logger.setLevel(logging.WARNING)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.setLevel(level)


def check_pdf_fonts() -> Finding:
    """Render a probe PDF as portraits are rendered and say which fonts it embedded."""
    from intake.publishing.pdf import RENDER_ERRORS, PortraitFetcher, render_pdf_html

    fetcher = PortraitFetcher({}, current_app.static_folder)
    with weasyprint_warnings() as warnings:
        try:
            pdf = render_pdf_html(PROBE_HTML, fetcher)
        except RENDER_ERRORS as error:
            return Finding(ERROR, f"The probe PDF does not render ({one_line(error)}): "
                                  f"run `{INSTALL_PANGO}`.")
    fonts = embedded_fonts(pdf)
    missing = [name for name in PROBE_FONTS if name not in fonts.names]
    blanks = [message for message in warnings if ".notdef" in message]
    if missing or blanks:
        problem = f"missing {', '.join(missing)}" if missing else blanks[0]
        return Finding(ERROR, "The probe PDF does not draw with the fonts of static/fonts/ "
                              f"({problem}; embedded: {', '.join(sorted(fonts.names))}): "
                              f"restore them with `{RESTORE_FONTS}`.")
    return Finding(OK, "The PDF embeds its own fonts from static/fonts/ (accents and emoji "
                       f"drawn): {', '.join(sorted(fonts.programs))}.")


def check_database() -> Finding:
    """Say whether the database is reachable and migrated to the latest revision."""
    url = db.engine.url
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not Path(url.database).exists():
        return Finding(ERROR, f"The SQLite database {url.database} does not exist yet: "
                              f"run `{UPGRADE}` (or `{SETUP}` on a new install).")
    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    heads = set(script.get_heads())
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        port = f" -p {url.port}" if url.port else ""
        server = f" and that its server runs (`pg_isready -h {url.host}{port}`)" if url.host else ""
        return Finding(ERROR, f"Cannot reach the database {shown} ({one_line(root_cause(error))}"
                              f"): check FLASK_SQLALCHEMY_DATABASE_URI{server}.")
    known = {revision.revision for revision in script.walk_revisions()}
    if not current:
        return Finding(ERROR, f"The database {shown} has no schema (not migrated): "
                              f"run `{UPGRADE}`.")
    if current - known:
        return Finding(ERROR, f"The database {shown} is at revision "
                              f"{', '.join(sorted(current - known))}, which this code does not "
                              "know: deploy the code that migrated it, then run "
                              f"`{UPGRADE}`.")
    if current != heads:
        return Finding(ERROR, f"The database {shown} is at revision {', '.join(sorted(current))}"
                              f", not the latest {', '.join(sorted(heads))}: run `{UPGRADE}`.")
    return Finding(OK, f"The database {shown} is reachable and at the latest migration "
                       f"({', '.join(sorted(heads))}).")


def root_cause(error: SQLAlchemyError) -> BaseException:
    """Return the driver's exception behind a SQLAlchemy error (shorter to read), or itself."""
    return getattr(error, "orig", None) or error


def check_questionnaire() -> Finding:
    """Say whether the series' questionnaire is in the database."""
    try:
        questionnaire = current_questionnaire()
        count = len(questionnaire.questions) if questionnaire else 0
    except SQLAlchemyError as error:
        db.session.rollback()
        return Finding(ERROR, f"Cannot read the questionnaire ({one_line(root_cause(error))})"
                              f": run `{UPGRADE}`.")
    if questionnaire is None:
        return Finding(ERROR, f"No questionnaire in the database: run `{SETUP}` to load the "
                              "default one.")
    return Finding(OK, f"The questionnaire « {questionnaire.title_fr} » is loaded "
                       f"({count} questions).")


def check_base_url(base_url: str, *, production: bool) -> Finding:
    """Say whether BASE_URL is a site root that every emailed link can start with."""
    parts = urlsplit(base_url)
    try:
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return Finding(ERROR, f"BASE_URL {base_url!r} has an invalid port: `{SET_BASE_URL}`.")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Finding(ERROR, f"BASE_URL {base_url!r} is not an http:// or https:// address "
                              f"with a host name: `{SET_BASE_URL}`.")
    if parts.path or parts.query or parts.fragment or parts.username or parts.password:
        return Finding(ERROR, f"BASE_URL {base_url!r} must be the site's root, with no path, "
                              f"query, fragment or password (links add their own path): "
                              f"`{SET_BASE_URL}`.")
    if production and parts.scheme != "https":
        return Finding(ERROR, f"BASE_URL {base_url} is plain http in production: emailed links "
                              f"and the session cookie must travel over https: "
                              f"`{SET_BASE_URL}`.")
    if production and is_loopback(parts.hostname):
        return Finding(WARNING, f"BASE_URL {base_url} points to this machine in production: "
                                f"emailed links will not open for anyone else: "
                                f"`{SET_BASE_URL}`.")
    return Finding(OK, f"BASE_URL {base_url} is sound: every emailed link starts with it.")


def is_loopback(host: str) -> bool:
    """Say whether a host name means this machine (localhost, 127.0.0.0/8, ::1)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def check_smtp(config) -> Finding:
    """Say whether the SMTP server answers: connect, STARTTLS and login if set, EHLO, QUIT."""
    if not config.get("MAIL_SERVER"):
        return Finding(OK, "No SMTP server configured (MAIL_SERVER is empty): mail stays in the "
                           "outbox, readable on the « Courriels » page.")
    where = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    steps = smtp_steps(config)
    try:
        with Session(current_app.extensions["mail"]) as session:  # QUIT and close on leaving
            session.connect()
            code, reply = session.host.ehlo()
    except smtplib.SMTPServerDisconnected as error:
        return smtp_unreachable(config, error)
    except smtplib.SMTPException as error:  # it answered, then refused a step
        return Finding(ERROR, f"The SMTP server {where} answered but refused {steps} "
                              f"({one_line(error)}): check FLASK_MAIL_USE_TLS, "
                              "FLASK_MAIL_USERNAME and FLASK_MAIL_PASSWORD.")
    except OSError as error:
        return smtp_unreachable(config, error)
    if code != 250:
        return Finding(ERROR, f"The SMTP server {where} refused EHLO ({code} "
                              f"{reply.decode(errors='replace')}): ask its administrator.")
    return Finding(OK, f"The SMTP server {where} answers ({steps}); nothing was sent.")


def smtp_steps(config) -> str:
    """Return what the check asks of the SMTP server, e.g. "SSL, EHLO, login"."""
    steps = ["SSL"] if config.get("MAIL_USE_SSL") else []
    steps += ["EHLO", "STARTTLS"] if config.get("MAIL_USE_TLS") else ["EHLO"]
    if config.get("MAIL_USERNAME") and config.get("MAIL_PASSWORD"):
        steps.append("login")
    return ", ".join(steps)


def smtp_unreachable(config, error: OSError) -> Finding:
    """Return the error of an SMTP server that cannot be reached or hangs up."""
    server, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    return Finding(ERROR, f"Cannot reach the SMTP server {server}:{port} within "
                          f"{config['MAIL_TIMEOUT']} s ({one_line(error)}); mail waits in the "
                          "outbox: check FLASK_MAIL_SERVER and FLASK_MAIL_PORT "
                          f"(`nc -vz {server} {port}`).")

"""A real, disposable WordPress for tests: Debian's WordPress 6.1 under PHP's built-in server.

How it works (one `WordPressSite` per test session):

1. A MariaDB database `wp_test_<random>` is created with the `mariadb` client
   (127.0.0.1:3306, user root, no password).
2. A config `/etc/wordpress/config-wptest-<random>.php` is written. Debian's
   `/usr/share/wordpress/wp-config.php` picks its config from the HTTP host with the port
   stripped (`config-127.0.0.1.php`), which every test session on the machine would share;
   it prefers `$_SERVER['WORDPRESS_CONFIG']` when set, so each site uses its own name. The
   config sets the database, the URLs (`WP_HOME`/`WP_SITEURL`), `WP_ENVIRONMENT_TYPE=local`
   (Application Passwords then work over plain http), no cron, no outside HTTP.
3. `wordpress_install.php`, run with the `php` CLI, loads WordPress with that config and the
   same `HTTP_HOST`, calls `wp_install()` (plain permalinks, no mail, no network), points
   uploads at a temporary directory (`upload_path`), creates an Application Password for the
   administrator and prints it as JSON.
4. `php -S 127.0.0.1:PORT -t /usr/share/wordpress wordpress_router.php` serves the site; the
   router sets `WORDPRESS_CONFIG` and serves `/wp-content/uploads/` from the temporary
   directory. One PHP process: requests are handled one at a time.
5. Afterwards the server is killed, the database dropped, the config and the directory removed.

Without pretty permalinks the REST API answers at `/?rest_route=/wp/v2/...`: use `site.rest()`.

Fixtures: `wordpress_site` is session-scoped because installing takes a few seconds; tests
share it, so they find their own posts by id rather than counting. `wordpress` (per test)
returns that site, started, and starts it again after a test that stopped it, so one failing
outage test cannot take WordPress down for the tests after it.

Missing PHP, WordPress or MariaDB skips loudly; with INTAKE_REQUIRE_SERVICES=1 (CI) it fails.
"""

import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.servers import free_port

WORDPRESS_ROOT = Path("/usr/share/wordpress")
CONFIG_DIR = Path("/etc/wordpress")
HERE = Path(__file__).resolve().parent
ROUTER = HERE / "wordpress_router.php"
INSTALLER = HERE / "wordpress_install.php"
MARIADB_HOST, MARIADB_PORT, MARIADB_USER = "127.0.0.1", 3306, "root"
PACKAGES = "wordpress php-cli php-mysql php-curl php-gd php-xml php-mbstring"


class WordPressSite:
    """One WordPress site with its own database, config, uploads directory and PHP server."""

    def __init__(self):
        suffix = secrets.token_hex(6)
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.host}"
        self.config_name = f"wptest-{suffix}"
        self.config_file = CONFIG_DIR / f"config-{self.config_name}.php"
        self.database = f"wp_test_{suffix}"
        self.user = "admin"
        self.email = "admin@example.org"
        self.password = secrets.token_urlsafe(16)
        self.app_password = ""
        self.user_id = 0
        self.directory = Path(tempfile.mkdtemp(prefix="intake-wordpress-"))
        self.uploads = self.directory / "uploads"
        self.log = self.directory / "php-server.log"
        self.process: subprocess.Popen | None = None
        self.env = {**os.environ, "INTAKE_WP_CONFIG": self.config_name,
                    "INTAKE_WP_HOST": self.host, "INTAKE_WP_URL": self.url,
                    "INTAKE_WP_UPLOADS": str(self.uploads), "INTAKE_WP_USER": self.user,
                    "INTAKE_WP_PASSWORD": self.password, "INTAKE_WP_EMAIL": self.email}

    def rest(self, path: str, **params: str) -> str:
        """Return the URL of a REST route: rest("/wp/v2/posts/7?context=edit", page="2")."""
        route, _, query = path.partition("?")
        parts = [f"rest_route={urllib.parse.quote(route, safe='/')}", query,
                 urllib.parse.urlencode(params)]
        return f"{self.url}/?" + "&".join(part for part in parts if part)

    def basic_auth(self, password: str | None = None) -> str:
        """Return the Authorization header value for the administrator's Application Password."""
        secret = self.app_password if password is None else password
        token = base64.b64encode(f"{self.user}:{secret}".encode()).decode()
        return f"Basic {token}"

    @property
    def running(self) -> bool:
        """Return whether the PHP server process is alive."""
        return self.process is not None and self.process.poll() is None

    def __enter__(self) -> "WordPressSite":
        """Create the database, write the config, install WordPress and serve it."""
        try:
            self.uploads.mkdir()
            mariadb(f"CREATE DATABASE `{self.database}` CHARACTER SET utf8mb4")
            self.config_file.write_text(self.config(), encoding="utf-8")
            self.install()
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        """Kill the server, drop the database, delete the config and the directory."""
        self.stop()
        self.config_file.unlink(missing_ok=True)
        shutil.rmtree(self.directory, ignore_errors=True)
        mariadb(f"DROP DATABASE IF EXISTS `{self.database}`")

    def config(self) -> str:
        """Return the PHP config Debian's wp-config.php loads for this site."""
        settings = {
            "DB_NAME": self.database, "DB_USER": MARIADB_USER, "DB_PASSWORD": "",
            "DB_HOST": f"{MARIADB_HOST}:{MARIADB_PORT}", "WP_HOME": self.url,
            "WP_SITEURL": self.url, "WP_ENVIRONMENT_TYPE": "local",
            "DISABLE_WP_CRON": True, "WP_HTTP_BLOCK_EXTERNAL": True,
            "AUTOMATIC_UPDATER_DISABLED": True,
        }
        lines = [f"define({php_literal(name)}, {php_literal(value)});"
                 for name, value in settings.items()]
        return "<?php\n// Written by tests/support/wordpress.py; removed after the tests.\n" + \
            "\n".join(lines) + "\n"

    def install(self) -> None:
        """Install the site with the PHP CLI and keep the administrator's Application Password."""
        result = subprocess.run(["php", "-d", "display_errors=stderr", str(INSTALLER)],
                                env=self.env, capture_output=True, text=True, timeout=60,
                                check=False)
        if result.returncode != 0:
            raise RuntimeError(f"WordPress install failed ({result.returncode}):\n"
                               f"{result.stdout}\n{result.stderr}")
        installed = json.loads(result.stdout)
        self.user_id = installed["user_id"]
        self.app_password = installed["app_password"]

    def start(self) -> None:
        """Serve the site with PHP's built-in server on its port; wait until WordPress answers."""
        if self.running:
            return
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                ["php", "-S", self.host, "-t", str(WORDPRESS_ROOT), str(ROUTER)],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"php -S exited with {self.process.returncode}:\n"
                                   + self.log.read_text(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(self.rest("/"), timeout=5):
                    return
            except urllib.error.HTTPError as error:
                raise RuntimeError(f"WordPress answered {error.code}:\n"
                                   + error.read().decode(errors="replace")[:2000]) from error
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        raise RuntimeError(f"WordPress did not answer on {self.url} within 15 s")

    def stop(self) -> None:
        """Kill the PHP server; the port then refuses connections until start()."""
        if not self.running:
            self.process = None
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None


def php_literal(value: str | bool) -> str:
    """Return a PHP literal for a string or a boolean (single quotes: no interpolation)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def mariadb(statement: str) -> None:
    """Run one SQL statement as MariaDB's root user through the command-line client."""
    client = shutil.which("mariadb") or shutil.which("mysql")
    subprocess.run([client, "-h", MARIADB_HOST, "-P", str(MARIADB_PORT), "-u", MARIADB_USER,
                    "-e", statement], check=True, capture_output=True, timeout=30)


def missing_requirement() -> str:
    """Return what this machine lacks to run WordPress for tests, or "" when nothing."""
    if not shutil.which("php"):
        return "php is not installed"
    if not (WORDPRESS_ROOT / "wp-load.php").exists():
        return f"WordPress is not installed in {WORDPRESS_ROOT}"
    if not (shutil.which("mariadb") or shutil.which("mysql")):
        return "the mariadb client is not installed"
    probe = subprocess.run(["php", "-r", "exit(extension_loaded('mysqli') "
                            "&& extension_loaded('gd') ? 0 : 1);"], check=False)
    if probe.returncode != 0:
        return "PHP lacks the mysqli or gd extension"
    if not os.access(CONFIG_DIR, os.W_OK):
        return f"{CONFIG_DIR} is not writable"
    try:
        socket.create_connection((MARIADB_HOST, MARIADB_PORT), timeout=2).close()
    except OSError as error:
        return f"MariaDB is not reachable at {MARIADB_HOST}:{MARIADB_PORT} ({error})"
    return ""


def require_wordpress() -> None:
    """Skip loudly when WordPress cannot run here; fail instead under INTAKE_REQUIRE_SERVICES."""
    missing = missing_requirement()
    if not missing:
        return
    message = (f"WORDPRESS TESTS SKIPPED: {missing} "
               f"(apt-get install {PACKAGES}; MariaDB at {MARIADB_HOST}:{MARIADB_PORT})")
    if os.environ.get("INTAKE_REQUIRE_SERVICES"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def wordpress_site():
    """Install one WordPress for the test session; remove all of it at the end."""
    require_wordpress()
    with WordPressSite() as site:
        yield site


@pytest.fixture
def wordpress(wordpress_site):
    """Return the session's WordPress, serving; start it again if the test stopped it."""
    wordpress_site.start()
    yield wordpress_site
    wordpress_site.start()

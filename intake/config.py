"""Default settings, in one place; instance/config.py and FLASK_* variables override them."""

from datetime import timedelta

DEFAULTS = {
    # Production mode refuses to start without SECRET_KEY (FLASK_PRODUCTION=1 or
    # INTAKE_PRODUCTION=1; wsgi.py turns it on for gunicorn).
    "PRODUCTION": False,
    "SECRET_KEY": None,
    # Public address used in every emailed link; never taken from the request's Host. Required
    # in production; in development it follows `make run`'s HOST and PORT (INTAKE_DEV_BASE_URL).
    "BASE_URL": None,
    "TRUSTED_HOSTS": None,
    # How many reverse proxies stand in front of the app (1 behind the README's nginx). Their
    # X-Forwarded-For and X-Forwarded-Proto give the client's address (rate limits) and scheme.
    # 0: the headers are ignored, as they must be when clients reach the app directly.
    "TRUSTED_PROXY_HOPS": 0,
    "SQLALCHEMY_DATABASE_URI": None,  # None: SQLite file in the instance folder
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SQLITE_BUSY_TIMEOUT_MS": 15000,
    # Mail: with no MAIL_SERVER, messages stay in the outbox, readable in the Outbox page.
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Portrait intake <portraits@localhost>",
    # Delivery (by the worker, never by a request): seconds per read, per message and per SMTP
    # session; a claim's lease (renewed every second while its batch of MAIL_CLAIM_BATCH
    # messages is sent, so no second worker takes a message in flight); passing failures are
    # retried with waits growing to the cap, for MAIL_RETRY_DAYS, then the message is 'failed'
    # (and shown on the dashboard).
    "MAIL_TIMEOUT": 10,
    "MAIL_MESSAGE_DEADLINE": 60,
    "MAIL_SESSION_DEADLINE": 300,
    "MAIL_LEASE_SECONDS": 180,
    "MAIL_CLAIM_BATCH": 50,
    "MAIL_RETRY_CAP_MINUTES": 30,
    "MAIL_RETRY_DAYS": 3,
    # The worker (`flask --app intake worker`): how often it looks for due work when idle,
    # how often it queues reminders and writes its heartbeat, and when the dashboard says it
    # has stopped.
    "WORKER_POLL_SECONDS": 0.5,
    "WORKER_REMINDERS_SECONDS": 60,
    "WORKER_HEARTBEAT_SECONDS": 15,
    "WORKER_STALE_MINUTES": 5,
    "BLOGGER_NOTIFY_EMAIL": "",
    # Rate limits (Flask-Limiter); a Redis URI shares them across workers and hosts. gunicorn
    # refuses to start several workers on memory:// (each would count alone, see
    # gunicorn.conf.py) unless RATELIMIT_ALLOW_MEMORY_WITH_WORKERS says that is accepted.
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ALLOW_MEMORY_WITH_WORKERS": False,
    "RATELIMIT_HEADERS_ENABLED": True,
    # Login POSTs per client address, and failed logins per account (the email typed, from any
    # address). Keep the account's limit above the address's: one address cannot lock it then.
    "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
    "LOGIN_ACCOUNT_RATE_LIMIT": "20 per minute;100 per hour",
    # Links that do not open, per client address; counted only on failure, so a valid link
    # is never refused by it.
    "TOKEN_RATE_LIMIT": "60 per minute",
    # Writes (autosaves, photos, submit, proof answers) per valid link, from any address: far
    # above a person's autosave (one per pause in typing), far below a runaway script.
    "SAVE_RATE_LIMIT": "120 per minute",
    # Requests for a new link from the invalid-link page, per client address (own budget).
    "NEW_LINK_RATE_LIMIT": "5 per hour",
    # Requests and sessions.
    # A photo (10 MB) and the form around it. Text fields have no size of their own at
    # parsing (None; the body limit bounds them): each is held to its own limit when stored,
    # refused alone, by name. Fields are counted for urlencoded bodies too (request_limits.py).
    "MAX_CONTENT_LENGTH": 11 * 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": None,
    "MAX_FORM_PARTS": 200,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    # Languages: French first, English complete.
    "LANGUAGES": ["fr", "en"],
    "BABEL_DEFAULT_LOCALE": "fr",
    # The blog's time zone: every date shown is in it (stored in UTC). The welcome step and the
    # account page can change it for the blog; this is the default.
    "BLOG_TIMEZONE": "America/Toronto",
    # WordPress (intake/wordpress/): the blog's address, a user and one of its Application
    # Passwords (WordPress ≥ 5.6, sent with Basic authentication). Read from instance/config.py
    # or FLASK_WORDPRESS_*; never stored in the database, never shown back.
    "WORDPRESS_URL": "",
    "WORDPRESS_USER": "",
    "WORDPRESS_APP_PASSWORD": "",
    "WORDPRESS_TIMEOUT": 30,
    # Category and tag names every pushed post gets (created in WordPress when missing).
    "WORDPRESS_CATEGORIES": [],
    "WORDPRESS_TAGS": [],
    # Product rules.
    "INVITATION_DAYS": 30,
    "CONSENT_VERSION": "2026-11-v1",
    "QUEUE_PAGE_SIZE": 25,
}


def shared_limits_problem(settings, workers: int) -> str | None:
    """Return why several server processes must not start on these settings, or None.

    With `memory://` each process keeps its own counts: N workers allow N times every limit.
    """
    storage = str(settings.get("RATELIMIT_STORAGE_URI") or "memory://")
    if (workers <= 1 or not storage.startswith("memory://")
            or settings.get("RATELIMIT_ALLOW_MEMORY_WITH_WORKERS")):
        return None
    return (
        f"Refusing to start {workers} workers with rate limits kept in memory://: each worker "
        f"would count alone, allowing {workers} times every limit (logins, link guessing). "
        "Set FLASK_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (a Redis every worker "
        "reaches), or run one worker (-w 1, with --threads for more requests at once), or set "
        "FLASK_RATELIMIT_ALLOW_MEMORY_WITH_WORKERS=true to accept per-worker limits."
    )

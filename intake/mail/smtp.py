"""One SMTP session with deadlines: a server that drips or hangs cannot hold the worker."""

import contextlib
import smtplib
import socket
import threading
import time

from flask import current_app
from flask_mail import Connection


class DeadlineExceeded(TimeoutError):
    """The SMTP session or the message in flight ran past its overall deadline."""


class Watchdog:
    """Shut a socket down when its deadline passes (smtplib's timeout is per read only).

    One daemon thread per SMTP session, in the worker only (never in a request), looking four
    times a second: a server that answers one continuation line every few seconds is cut off
    at the deadline. Setting a deadline is a plain assignment (no wake-up per message).
    """

    TICK = 0.25

    def __init__(self):
        self.sock: socket.socket | None = None
        self.session_deadline: float | None = None
        self.message_deadline: float | None = None
        self.expired = False
        self.closed = threading.Event()
        threading.Thread(target=self._watch, name="smtp-deadline", daemon=True).start()

    def watch(self, sock: socket.socket) -> None:
        """Guard this socket from now on."""
        self.sock = sock

    def stop(self) -> None:
        """End the watch thread."""
        self.closed.set()

    def _watch(self) -> None:
        while not self.closed.wait(self.TICK):
            deadlines = [d for d in (self.session_deadline, self.message_deadline) if d]
            if deadlines and min(deadlines) <= time.monotonic() and not self.expired:
                self.expired = True
                if self.sock is not None:
                    with contextlib.suppress(OSError):
                        self.sock.shutdown(socket.SHUT_RDWR)


class Guarded:
    """Mixed into smtplib's clients: the socket is handed to a Watchdog as soon as it exists."""

    watchdog: Watchdog

    def _get_socket(self, host, port, timeout):
        sock = super()._get_socket(host, port, timeout)
        self.watchdog.watch(sock)
        return sock


class GuardedSMTP(Guarded, smtplib.SMTP):
    """smtplib.SMTP under a Watchdog."""


class GuardedSMTPSSL(Guarded, smtplib.SMTP_SSL):
    """smtplib.SMTP_SSL under a Watchdog."""


class Session(Connection):
    """A Flask-Mail connection with a per-read timeout and overall deadlines; never suppresses.

    Use it as a context manager; `connect()` opens it (TLS and login if set) and `send()`
    sends one message, each within a message's deadline and the session's.
    """

    def __init__(self, mail, watchdog: Watchdog | None = None):
        super().__init__(mail)
        config = current_app.config
        self.timeout = float(config["MAIL_TIMEOUT"])
        self.message_seconds = float(config["MAIL_MESSAGE_DEADLINE"])
        self.session_deadline = time.monotonic() + float(config["MAIL_SESSION_DEADLINE"])
        self.watchdog = watchdog or Watchdog()
        self.host = None
        self.num_emails = 0

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        if self.host is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.host.quit()
            self.host.close()
        self.watchdog.stop()

    @property
    def time_left(self) -> bool:
        """Say whether the session may still start a message."""
        return time.monotonic() < self.session_deadline and not self.watchdog.expired

    def connect(self) -> None:
        """Connect, then STARTTLS and login when set; a refused step closes the socket."""
        self.watchdog.session_deadline = self.session_deadline
        self.watchdog.message_deadline = time.monotonic() + self.message_seconds
        smtp_class = GuardedSMTPSSL if self.mail.use_ssl else GuardedSMTP
        smtp_class.watchdog = self.watchdog
        host = smtp_class(timeout=self.timeout)
        try:
            code, reply = self.guarded(host.connect, self.mail.server, self.mail.port)
            if code != 220:  # as smtplib.SMTP(host) does: the greeting refused us
                raise smtplib.SMTPConnectError(code, reply)
            if self.mail.use_tls:
                self.guarded(host.starttls)
            if self.mail.username and self.mail.password:
                self.guarded(host.login, self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        finally:
            self.watchdog.message_deadline = None
        self.host = host

    def configure_host(self) -> smtplib.SMTP:
        """Reconnect when Flask-Mail asks (after MAIL_MAX_EMAILS messages)."""
        self.connect()
        return self.host

    def send(self, message, envelope_from=None) -> None:
        """Send one message; past the message's deadline the socket is cut (DeadlineExceeded)."""
        self.watchdog.message_deadline = time.monotonic() + self.message_seconds
        try:
            self.guarded(super().send, message, envelope_from)
        finally:
            self.watchdog.message_deadline = None

    def guarded(self, step, *args):
        """Run one SMTP step; turn a cut made by the watchdog into DeadlineExceeded."""
        try:
            return step(*args)
        except (OSError, smtplib.SMTPException) as error:
            if self.watchdog.expired:
                raise DeadlineExceeded("the SMTP server answered too slowly: overall "
                                       "deadline passed") from error
            raise

"""WordPress going away in the middle of a push: the push waits, then finishes without doubles.

A TCP relay on loopback stands between the app and the real WordPress; it lets a number of
connections through, then hangs up on the next ones, as a WordPress that stopped mid-push.
"""

import contextlib
import json
import socket
import threading
import urllib.request
from datetime import timedelta

import pytest

from intake.enums import PhotoKind, PushStatus
from intake.extensions import db
from intake.models import utcnow
from intake.wordpress.queue import latest_push, process_due_pushes
from tests.support.factories import add_photo
from tests.support.seeds import carl
from tests.support.servers import free_port

pytestmark = pytest.mark.slow


class Relay:
    """Forward loopback connections to a port; after `allowed` of them, hang up at once."""

    def __init__(self, target_port: int, allowed: int):
        self.target_port, self.allowed, self.seen = target_port, allowed, 0
        self.listener = socket.create_server(("127.0.0.1", free_port()))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        """Accept connections until the listener closes; relay or hang up on each."""
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            self.seen += 1
            if self.seen > self.allowed:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=pipe, args=(source, sink), daemon=True).start()

    def close(self) -> None:
        """Stop accepting connections."""
        self.listener.close()


def pipe(source: socket.socket, sink: socket.socket) -> None:
    """Copy bytes one way until either side closes."""
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


def test_wordpress_gone_after_the_first_photo_then_back(make_app, wordpress):
    relay = Relay(wordpress.port, allowed=1)  # the portrait photo's upload goes through
    app = make_app(WORDPRESS_URL=f"http://127.0.0.1:{relay.port}",
                   WORDPRESS_USER=wordpress.user, WORDPRESS_APP_PASSWORD=wordpress.app_password)
    try:
        with app.app_context():
            portrait = carl()
            portrait.slug = "carl-mid-push"
            add_photo(portrait, PhotoKind.WORKSPACE, caption="Son bureau")
            db.session.commit()

            result = app.test_cli_runner().invoke(args=["wordpress", "push", "carl-mid-push"])

            assert result.exit_code == 1
            row = latest_push(portrait)
            db.session.refresh(portrait)
            assert (row.status, row.error_code) == (PushStatus.QUEUED, "unreachable")
            uploaded = portrait.wp_media["portrait"]["id"]
            assert (set(portrait.wp_media), portrait.wp_post_id) == ({"portrait"}, None)
            relay.allowed = 10**6  # WordPress is back

            assert process_due_pushes(now=utcnow() + timedelta(minutes=2)) == 1

            db.session.refresh(portrait)
            post = read(wordpress, f"/wp/v2/posts/{portrait.wp_post_id}")
            assert (post["slug"], post["featured_media"]) == ("carl-mid-push", uploaded)
            assert len(read(wordpress, "/wp/v2/posts", slug="carl-mid-push", status="any")) == 1
            assert len(read(wordpress, "/wp/v2/media", search="carl-mid-push-portrait")) == 1
    finally:
        relay.close()


def read(wordpress, route: str, **params) -> dict | list:
    """Read from WordPress's REST API as its administrator (edit context)."""
    request = urllib.request.Request(wordpress.rest(route, context="edit", **params),
                                     headers={"Authorization": wordpress.basic_auth()})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)

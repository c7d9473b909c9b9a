"""SMTP servers that misbehave, for the delivery tests: greylist, refuse one, slow, drop, drip.

The aiosmtpd handlers plug into servers.SMTPServer(handler=…); DrippingServer is a raw
socket server, since aiosmtpd always answers in one piece.
"""

import asyncio
import socket
import threading
import time

from tests.support.servers import Collector


class Greylisting(Collector):
    """Refuse each recipient once with 451 (greylisting), accept it from the second try."""

    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()
        self.attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.attempts += 1
        if address not in self.seen:
            self.seen.add(address)
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class RefuseOne(Collector):
    """Refuse one address for good (550); accept every other."""

    def __init__(self, refused: str):
        super().__init__()
        self.refused = refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class Slow(Collector):
    """Take `delay` seconds to accept each message (a slow relay)."""

    def __init__(self, delay: float):
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


class DropAfter(Collector):
    """Accept `count` messages, then drop the connection at the next RCPT (once)."""

    def __init__(self, count: int):
        super().__init__()
        self.count = count
        self.dropped = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if len(self.messages) >= self.count and not self.dropped:
            self.dropped = True
            server.transport.close()
            return "250 OK"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class DrippingServer:
    """A server that greets with one continuation line ("220-…") every `every` seconds, for
    ever: each read is quick, the greeting never ends."""

    def __init__(self, every: float = 0.3):
        self.every = every
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(5)
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                connection, _address = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self.drip, args=(connection,), daemon=True).start()

    def drip(self, connection: socket.socket) -> None:
        with connection:
            while not self.stopped.is_set():
                try:
                    connection.sendall(b"220-still here\r\n")
                except OSError:
                    return
                time.sleep(self.every)

    def __enter__(self) -> "DrippingServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(2)
        self.listener.close()

    def config(self) -> dict:
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port}

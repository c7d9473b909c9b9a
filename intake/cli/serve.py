"""`flask … serve`: the web server and the worker together, as `make run` starts them."""

import signal
import subprocess
import sys
import time

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Run `flask run` and `flask worker` side by side; Ctrl-C or SIGTERM stops both.

    When either stops on its own, the other is stopped too, and this command exits with its
    code (128 + the signal that killed it); stopped by a signal, it exits with 0.
    """
    base = [sys.executable, "-m", "flask", "--app", "intake"]
    # Each child in its own process group: Ctrl-C reaches this command only, which passes it on
    # once (the web server would otherwise get it twice and print a traceback).
    children = [subprocess.Popen([*base, "worker"], process_group=0),
                subprocess.Popen([*base, "run", "--host", host, "--port", str(port)],
                                 process_group=0)]

    signalled = []

    def forward(signum: int, _frame) -> None:
        signalled.append(signum)
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    while all(child.poll() is None for child in children):
        time.sleep(0.2)
    first = next(child for child in children if child.poll() is not None)
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        child.wait()
    code = first.returncode
    raise SystemExit(0 if signalled else (128 - code if code < 0 else code))

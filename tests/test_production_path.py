"""The README's production section, followed literally on PostgreSQL: db upgrade, create-admin,
gunicorn; then the blogger invites and a person submits over HTTP."""

import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.databases import postgres_database, redis_uri_or_skip
from tests.support.http import Browser, wait_until_up
from tests.support.servers import free_port
from tests.test_shipped_default import answer_everything, invite_on_the_page

ROOT = Path(__file__).resolve().parent.parent
README_STEPS = re.compile(r"<!-- production-steps -->\s*```sh\n(.*?)```", re.S)
ADMIN_PASSWORD = "a long admin password"


def readme_steps() -> list[str]:
    """Return the commands of the README's production section, in order."""
    block = README_STEPS.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block, "the README lost its production steps"
    return [line for line in block.group(1).splitlines() if line.strip()]


def as_run_here(steps: list[str], venv: str, database: str, redis: str, port: int) -> str:
    """Return the steps as one shell script for this machine: the test's database, Redis,
    port and virtual environment; the serving command last, run with exec."""
    script = ["set -euo pipefail"]
    for step in steps:
        step = step.replace(".venv/bin/", f"{venv}/bin/")
        if step.startswith("python3 -m venv"):
            continue  # the suite already runs inside an installed environment
        script.append(step.replace("127.0.0.1:8000", f"127.0.0.1:{port}"))
        if step.startswith("export FLASK_BASE_URL="):
            script.append(f"export FLASK_BASE_URL=http://127.0.0.1:{port}")
        if step.startswith("export FLASK_SQLALCHEMY_DATABASE_URI="):
            script.append(f"export FLASK_SQLALCHEMY_DATABASE_URI={database}")
        if step.startswith("export FLASK_RATELIMIT_STORAGE_URI="):
            script.append(f"export FLASK_RATELIMIT_STORAGE_URI={redis}")
            script.append(f"export FLASK_RATELIMIT_KEY_PREFIX=test-{secrets.token_hex(6)}")
    assert script[-1].startswith(f"{venv}/bin/gunicorn "), script[-1]
    script[-1] = "exec " + script[-1]
    return "\n".join(script) + "\n"


@pytest.mark.slow
def test_readme_production_steps_on_postgresql_take_a_submission(tmp_path):
    steps = readme_steps()
    assert [step.split()[0] for step in steps] == [
        "export", "export", "export", "export", "export", "python3", ".venv/bin/flask",
        ".venv/bin/flask", ".venv/bin/gunicorn"]
    redis = redis_uri_or_skip()
    database, drop = postgres_database()
    port = free_port()
    script = as_run_here(steps, sys.prefix, database, redis, port)
    env = {"PATH": f"{sys.prefix}/bin:/usr/bin:/bin", "HOME": str(tmp_path),
           "INTAKE_INSTANCE_PATH": str(tmp_path / "instance")}
    server = subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=env,
                              stdin=subprocess.PIPE, text=True, start_new_session=True)
    server.stdin.write(f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n")
    server.stdin.close()
    try:
        wait_until_up(f"http://127.0.0.1:{port}/login", timeout=120, process=server)
        blogger = Browser(f"http://127.0.0.1:{port}")
        logged_in = blogger.submit("/login", "/login", {"email": "you@example.org",
                                                        "password": ADMIN_PASSWORD})
        assert logged_in.headers["Location"] == "/admin/"
        link = invite_on_the_page(blogger, "camille@example.org", "Camille Roy")
        answer_everything(link)

        engine = create_engine(database)
        with engine.connect() as connection:
            states = connection.execute(text("SELECT state FROM submissions")).scalars().all()
            notices = connection.execute(text(
                "SELECT to_addr, status FROM outbox WHERE kind = 'new_submission'")).all()
            names = connection.execute(text("SELECT name FROM users")).scalars().all()
        engine.dispose()
        assert states == ["submitted"]
        assert [tuple(row) for row in notices] == [("you@example.org", "queued")]
        assert names == ["Your Name"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        drop()

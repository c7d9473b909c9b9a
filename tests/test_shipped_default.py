"""The shipped default, end to end, as a new user meets it: `make run` (its own commands and
settings, the account `setup` creates, a temporary instance folder, a free port), then a
submission all the way through over HTTP, without any test configuration."""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.http import Browser, wait_until_up
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
EMOJI_ANSWER = "Le lancement de notre balado, une vraie fête 🎉 pour toute l’équipe."


@contextmanager
def running(tmp_path: Path, config: str = ""):
    """Run `make run` on a free port, its instance folder holding only `config` as
    instance/config.py (when given); yield (url, output so far, instance folder)."""
    if sys.prefix == sys.base_prefix:
        pytest.skip("the test suite must run inside the project's virtual environment")
    port = free_port()
    log = tmp_path / "make-run.log"
    if config:
        (tmp_path / "instance").mkdir(exist_ok=True)
        (tmp_path / "instance" / "config.py").write_text(config)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FLASK_", "INTAKE_"))}
    env.update(INTAKE_INSTANCE_PATH=str(tmp_path / "instance"), PORT=str(port))
    with log.open("w") as out:
        process = subprocess.Popen(["make", "--no-print-directory", "run", f"VENV={sys.prefix}"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/login", timeout=180, process=process)
        yield url, log.read_text(), tmp_path / "instance"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture
def make_run(tmp_path):
    """Start `make run` on a free port with an empty instance folder; yield (url, output)."""
    with running(tmp_path) as started:
        yield started


def printed_account(output: str) -> tuple[str, str, str]:
    """Return the login URL, email and password `make run` printed."""
    login = re.search(r"Log in at (\S+) with:", output)
    email = re.search(r"email:\s+(\S+)", output)
    password = re.search(r"password:\s+(\S+)", output)
    assert login and email and password, output
    return login.group(1), email.group(1), password.group(1)


def invite_with_the_cli(instance: Path, email: str, name: str) -> str:
    """Run `flask invite` beside the running app, as a person would in another terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "INTAKE_"))}
    env["INTAKE_INSTANCE_PATH"] = str(instance)
    result = subprocess.run([f"{sys.prefix}/bin/flask", "--app", "intake", "invite", email,
                             "--name", name], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[0]


def invite_on_the_page(blogger: Browser, email: str, name: str) -> str:
    """Invite through the blogger's pages (preview, then send); return the link shown once."""
    person = {"name": name, "email": email, "language": "fr", "organisation": "Musée",
              "note": "", "extra_questions": "", "expires_days": "30"}
    preview = blogger.submit("/admin/invitations/new", "/admin/invitations/preview",
                             {**person, "action": "preview"})
    assert preview.status_code == 200
    subject = re.search(r'name="subject"[^>]*value="([^"]*)"', preview.text).group(1)
    body = re.search(r'<textarea[^>]*name="body"[^>]*>\s*([^<]*)</textarea>', preview.text)
    sent = blogger.post("/admin/invitations/preview",
                        {**person, "action": "send", "subject": subject,
                         "body": body.group(1).replace("&#39;", "'").replace("&amp;", "&")})
    assert sent.status_code == 303, sent.text
    detail = blogger.get(sent.headers["Location"]).text
    link = re.search(r"(http://127\.0\.0\.1:\d+/r/[A-Za-z0-9_-]+)", detail)
    assert link, detail
    return link.group(1)


def answer_everything(link: str) -> Browser:
    """Open the link, autosave, upload a photo and submit as the invitee would."""
    invitee = Browser(link)
    page = invitee.get(link).text
    fields = re.findall(r'<textarea[^>]*name="(q\d+)"', page)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    answers = {name: f"Réponse {number}, écrite avec soin." for number, name in enumerate(fields)}
    answers[fields[-1]] = EMOJI_ANSWER
    saved = invitee.post(link + "/save", {**answers, "display_name": "Camille Roy",
                                          "role_title": "Gestionnaire de communauté",
                                          "version": version},
                         headers={"Accept": "application/json"})
    assert saved.status_code == 200 and saved.json()["errors"] == {}, saved.text
    version = str(saved.json()["version"])
    from tests.support.images import jpeg

    uploaded = invitee.post(link + "/photo/portrait", {"version": version},
                            files={"photo_portrait": ("moi.jpg", jpeg(), "image/jpeg")})
    assert uploaded.status_code == 303, uploaded.text
    page = invitee.get(link).text
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    submitted = invitee.post(link + "/submit", {**answers, "display_name": "Camille Roy",
                                                "version": version, "consent": "y"})
    assert submitted.status_code == 303, submitted.text
    return invitee


def decide(blogger: Browser, submission_path: str, action: str) -> None:
    """Apply a decision from the review page."""
    page = blogger.get(submission_path).text
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    response = blogger.post(f"{submission_path}/decide/{action}", {"version": version})
    assert response.status_code == 303
    assert "flash-error" not in blogger.get(submission_path).text


@pytest.mark.slow
def test_make_run_takes_a_submission_all_the_way_to_a_pdf_with_emoji(make_run, tmp_path):
    url, output, instance = make_run
    login_url, email, password = printed_account(output)
    assert login_url == url + "/login"
    doctor = [line for line in output.splitlines() if line.startswith(("ok:", "warning:",
                                                                       "error:"))]
    assert len(doctor) >= 5 and all(line.startswith("ok:") for line in doctor), doctor
    blogger = Browser(url)

    logged_in = blogger.submit("/login", "/login", {"email": email, "password": password})
    assert logged_in.headers["Location"] == "/welcome"
    welcomed = blogger.submit("/welcome", "/welcome", {
        "name": "Marie Blogueuse", "email": "marie@blogue.example.com",
        "new": "un mot de passe à moi", "confirm": "un mot de passe à moi",
        "timezone": "America/Toronto"})
    assert welcomed.headers["Location"] == "/admin/"

    cli_link = invite_with_the_cli(instance, "jean@example.org", "Jean Tremblay")
    page_link = invite_on_the_page(blogger, "camille@example.org", "Camille Roy")
    port = url.rsplit(":", 1)[1]
    assert cli_link.startswith(f"http://127.0.0.1:{port}/r/")
    assert page_link.startswith(f"http://127.0.0.1:{port}/r/")

    answer_everything(page_link)
    queue = blogger.get("/admin/").text
    submission_path = re.search(r'href="(/admin/submissions/\d+)"', queue).group(1)
    decide(blogger, submission_path, "approve")
    decide(blogger, submission_path, "publish")

    slug = re.search(r'href="/portraits/([a-z0-9-]+)"', blogger.get("/").text).group(1)
    pdf = blogger.get(f"/portraits/{slug}.pdf")
    deadline = time.monotonic() + 60
    while pdf.status_code == 503 and time.monotonic() < deadline:  # the worker renders it
        assert "PDF en préparation" in pdf.text
        time.sleep(0.2)
        pdf = blogger.get(f"/portraits/{slug}.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    (tmp_path / "portrait.pdf").write_bytes(pdf.content)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "portrait.pdf")], capture_output=True,
                           text=True, check=True).stdout
    text = subprocess.run(["pdftotext", str(tmp_path / "portrait.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Portrait-Emoji" in fonts  # the font print.css declares, served from static/fonts
    assert "🎉" in text

    emails = blogger.get("/admin/outbox").text
    message_paths = re.findall(r'href="(/admin/outbox/\d+)"', emails)
    bodies = "".join(blogger.get(path).text for path in message_paths)
    assert f"http://127.0.0.1:{port}/r/" in bodies
    assert "http://127.0.0.1:5000" not in bodies


def wait_for_messages(smtp, count: int, timeout: float = 60) -> list:
    """Wait until the SMTP server holds `count` messages; return them."""
    deadline = time.monotonic() + timeout
    while len(smtp.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(smtp.messages) >= count, [m["Subject"] for m in smtp.messages]
    return smtp.messages


@pytest.mark.slow
def test_make_run_alone_delivers_mail_and_a_due_reminder(tmp_path, smtp):
    # The only settings: where mail goes, and reminders looked for every second (not 60 s).
    config = (f"MAIL_SERVER = '127.0.0.1'\nMAIL_PORT = {smtp.port}\n"
              "WORKER_REMINDERS_SECONDS = 1\n")
    with running(tmp_path, config) as (_url, _output, instance):
        invite_with_the_cli(instance, "jean@example.org", "Jean Tremblay")
        invitation = wait_for_messages(smtp, 1)[0]
        assert invitation["To"] == "Jean Tremblay <jean@example.org>"
        # Eight days later (moved in the database, as a clock would): the first reminder.
        with sqlite3.connect(instance / "intake.sqlite") as database:
            database.execute("UPDATE invitations SET created_at = datetime(created_at, "
                             "'-8 days'), last_email_at = datetime(last_email_at, '-8 days')")
        reminder = wait_for_messages(smtp, 2)[1]
    assert reminder["Subject"] == "Rappel\u00a0: Portrait de gestionnaire de communauté"
    assert reminder["To"] == "Jean Tremblay <jean@example.org>"
    assert len(smtp.messages) == 2

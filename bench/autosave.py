"""Autosave: 50 respondents saving every 2 s through gunicorn, on SQLite and PostgreSQL."""

import asyncio
import random
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import select

from bench import fixtures
from bench.aclient import fetch
from bench.forms import form_fields, session_cookie
from bench.report import Row, Table, busy_since, cpu_counters, ms, percentile
from bench.server import Gunicorn
from intake.extensions import db
from intake.invitations.operations import open_invitation
from intake.models import Answer
from intake.questionnaire.structure import all_questions

RESPONDENTS = 50
PERIOD = 2.0
TARGET_P95 = 0.050
WORKERS = 4
FILLER = ("Je gère les comptes de l’organisation sur les réseaux sociaux et je réponds aux "
          "questions des abonnés, le soir comme la fin de semaine. ") * 3


@dataclass
class Respondent:
    token: str
    number: int
    cookie: str = ""
    fields: dict = field(default_factory=dict)
    answer_field: str = ""
    acknowledged: str = ""  # the last value the server said it saved
    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)


async def open_page(port: int, person: Respondent) -> None:
    """Load the questionnaire like a browser: cookie, CSRF token, version, every field."""
    page = await fetch(port, "GET", f"/r/{person.token}")
    if page.status != 200:
        raise RuntimeError(f"questionnaire answered {page.status}")
    person.cookie = session_cookie(page.headers)
    person.fields = form_fields(page.body.decode())
    if person.answer_field not in person.fields:
        raise RuntimeError(f"no field {person.answer_field} in the questionnaire")


async def save_loop(port: int, person: Respondent, until: float, rng: random.Random) -> None:
    """Change one answer and autosave it every PERIOD seconds until the deadline."""
    await asyncio.sleep(rng.uniform(0, PERIOD))
    count = 0
    while time.monotonic() < until:
        tick = time.monotonic()
        count += 1
        value = f"Réponse {person.number}, sauvegarde {count}. {FILLER}".strip()
        person.fields[person.answer_field] = value
        body = urlencode(person.fields).encode()
        try:
            answer = await fetch(port, "POST", f"/r/{person.token}/save", body, {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json", "X-CSRFToken": person.fields["csrf_token"],
                "Cookie": person.cookie})
        except (TimeoutError, OSError) as error:
            person.errors.append(type(error).__name__)
        else:
            person.latencies.append(answer.seconds)
            if answer.status == 200 and not answer.json().get("errors"):
                person.fields["version"] = str(answer.json()["version"])
                person.acknowledged = value
            elif answer.status == 200:  # saved the rest, refused a value: not a clean save
                person.errors.append(f"200 {sorted(answer.json()['errors'])}")
            else:
                person.errors.append(answer.status)
        await asyncio.sleep(max(0.0, tick + PERIOD - time.monotonic()))


async def hello_loop(port: int, until: float, rng: random.Random, latencies: list,
                     errors: list) -> None:
    """The baseline: the same schedule asking GET /__hello."""
    await asyncio.sleep(rng.uniform(0, PERIOD))
    while time.monotonic() < until:
        tick = time.monotonic()
        try:
            answer = await fetch(port, "GET", "/__hello")
            latencies.append(answer.seconds)
            if answer.status != 200:
                errors.append(answer.status)
        except (TimeoutError, OSError) as error:
            errors.append(type(error).__name__)
        await asyncio.sleep(max(0.0, tick + PERIOD - time.monotonic()))


async def simulate(port: int, tokens: list[str], answer_field: str, seconds: float,
                   baseline_seconds: float):
    """Run the hello baseline, then the respondents; return respondents and hello numbers."""
    rng = random.Random(8)
    hello_latencies: list = []
    hello_errors: list = []
    until = time.monotonic() + baseline_seconds
    await asyncio.gather(*(hello_loop(port, until, rng, hello_latencies, hello_errors)
                           for _ in tokens))
    people = [Respondent(token, number, answer_field=answer_field)
              for number, token in enumerate(tokens)]
    await asyncio.gather(*(open_page(port, person) for person in people))
    until = time.monotonic() + seconds
    await asyncio.gather(*(save_loop(port, person, until, rng) for person in people))
    return people, hello_latencies, hello_errors


def lost_saves(people: list[Respondent]) -> int:
    """Count respondents whose last acknowledged value is not the one in the database."""
    lost = 0
    for person in people:
        invitation = open_invitation(person.token)
        question_id = int(person.answer_field[1:])
        stored = db.session.scalar(select(Answer.body).where(
            Answer.submission_id == invitation.submission.id, Answer.question_id == question_id))
        lost += stored != person.acknowledged
    return lost


def measure(uri: str, folder: Path, seconds: float, baseline_seconds: float) -> dict:
    """Build the data, run gunicorn on the database, simulate, verify; return the numbers."""
    app = fixtures.make_app(folder / "instance", uri)
    with app.app_context():
        tokens = fixtures.open_invitations(RESPONDENTS)
        questions = all_questions(open_invitation(tokens[0]).submission)
        question = next(q for q in questions if (q.max_length or 10**6) >= 1000)
        answer_field = f"q{question.id}"
        db.session.remove()
    with Gunicorn(fixtures.bench_settings(uri), folder / "instance", workers=WORKERS) as server:
        counters = cpu_counters()
        people, hello, hello_errors = asyncio.run(
            simulate(server.port, tokens, answer_field, seconds, baseline_seconds))
        busy = busy_since(counters)
    with app.app_context():
        lost = lost_saves(people)
        db.session.remove()
        db.engine.dispose()
    latencies = [s for person in people for s in person.latencies]
    errors = [e for person in people for e in person.errors]
    return {"saves": len(latencies), "errors": errors, "lost": lost,
            "p50": percentile(latencies, 0.50), "p95": percentile(latencies, 0.95),
            "p99": percentile(latencies, 0.99), "max": max(latencies),
            "hello_p95": percentile(hello, 0.95), "hello_errors": hello_errors,
            "acknowledged": sum(bool(p.acknowledged) for p in people), "busy": busy}


def rows_for(label: str, result: dict) -> list[Row]:
    """Return the table rows of one database's run."""
    ratio = result["p95"] / result["hello_p95"]
    errors = len(result["errors"]) + len(result["hello_errors"])
    return [
        Row(f"{label}: save p50 / p99 / max (CPUs {result['busy']:.0%} busy during the run, "
            "all processes)", f"{ms(result['p50'])} / {ms(result['p99'])} / "
            f"{ms(result['max'])}"),
        Row(f"{label}: save p95 ({result['saves']} saves)", ms(result["p95"]),
            f"hello p95 {ms(result['hello_p95'])}", ratio, "< 50 ms",
            result["p95"] < TARGET_P95),
        Row(f"{label}: errors (non-2xx, socket)",
            f"{errors} {sorted(set(map(str, result['errors'])))[:5] if errors else ''}".strip(),
            target="0", passed=errors == 0),
        Row(f"{label}: lost saves (last acknowledged value not in the database)",
            f"{result['lost']} of {result['acknowledged']}", target="0",
            passed=result["lost"] == 0 and result["acknowledged"] == RESPONDENTS),
    ]


def run(quick: bool = False) -> Table:
    """Run the autosave benchmark on SQLite and PostgreSQL and return its table."""
    seconds, baseline_seconds = (10, 4) if quick else (60, 10)
    rows = []
    folder = Path(tempfile.mkdtemp(prefix="bench-autosave-"))
    try:
        rows += rows_for("SQLite", measure(fixtures.sqlite_uri(folder), folder, seconds,
                                           baseline_seconds))
        with fixtures.postgres_database() as uri:
            rows += rows_for("PostgreSQL", measure(uri, folder / "pg", seconds,
                                                   baseline_seconds))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    notes = [f"{RESPONDENTS} respondents, each one connection per request (gunicorn's sync "
             f"workers close it anyway), saving every {PERIOD:g} s for {seconds} s after a "
             "random start within the first period; gunicorn -w 4, INTAKE_PRODUCTION=1.",
             "Each respondent first GETs its questionnaire page and posts back every field of "
             "the form (urlencoded) with its session cookie, CSRF token (CSRF stays on) and the "
             "page version, changing one answer (~450 characters) each time; the version "
             "returned by each save goes into the next one, as static/js/respond.js does.",
             f"Baseline: the same 50 clients on the same schedule asking GET /__hello for "
             f"{baseline_seconds} s on the same server, just before.",
             "Lost saves: after the run, each respondent's last acknowledged (200) answer is "
             "read back from the database."]
    return Table("3. Autosave", rows, notes)

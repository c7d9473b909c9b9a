"""Bench data built directly with the models: apps, databases, portraits, invitations, photos."""

import io
import random
import secrets
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
from PIL import Image, ImageChops, ImageFilter

from intake import create_app
from intake.auth.accounts import create_user
from intake.enums import State
from intake.extensions import db, limiter
from intake.links import issue_token
from intake.models import Answer, Invitation, Photo, SocialLink, Submission
from intake.photos.pipeline import process_photo
from intake.questionnaire.handles import normalise_handle
from intake.questionnaire.series import current_questionnaire, ensure_default_questionnaire
from tests.support import seeds

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
LONG_SEED = "004_a602d5d009bc632c.txt"
SLUG = "jean-luc-sanscartier"
SECRET_KEY = "bench-" + "k" * 58
BLOGGER_EMAIL = "blogueuse@example.org"
BLOGGER_PASSWORD = "correct horse battery"
BLOGGER_NAME = "Marie Blogueuse"
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
POSTGRES_BENCH_DB = "intake_bench"
POSTGRES_URI = f"postgresql+psycopg://postgres@127.0.0.1:5432/{POSTGRES_BENCH_DB}"


def sqlite_uri(folder: Path) -> str:
    """Return the URI of a SQLite file in a folder."""
    return f"sqlite:///{folder / 'bench.sqlite'}"


def bench_settings(uri: str) -> dict:
    """Return the settings shared by the in-process app and the gunicorn servers."""
    return {
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": uri,
        "BASE_URL": "http://127.0.0.1:5000",
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SERVER": "",
    }


def make_app(instance: Path, uri: str, **overrides):
    """Create the app on a database, with an empty schema, the questionnaire and a blogger."""
    app = create_app({**bench_settings(uri), **overrides})
    Path(instance).mkdir(parents=True, exist_ok=True)
    with app.app_context():
        db.drop_all()
        db.create_all()
        ensure_default_questionnaire()
        create_user(BLOGGER_EMAIL, BLOGGER_PASSWORD, name=BLOGGER_NAME)
        db.session.commit()
    limiter.reset()
    return app


@contextmanager
def postgres_database():
    """Create the bench database on the local PostgreSQL, yield its URI, then drop it."""
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_BENCH_DB}")
    try:
        yield POSTGRES_URI
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_BENCH_DB} WITH (FORCE)")


def photo_like(width: int, height: int, seed: int = 1) -> Image.Image:
    """Return an RGB image with smooth gradients, shapes and grain, like a real photo."""
    rng = random.Random(seed)
    channels = []
    for _ in range(3):
        gradient = Image.linear_gradient("L").rotate(rng.randrange(360), expand=False)
        channels.append(gradient.resize((width, height), Image.Resampling.BILINEAR))
    image = Image.merge("RGB", channels)
    blobs = Image.radial_gradient("L").resize((width // 2, height // 2))
    image.paste((rng.randrange(256), 90, 60), (width // 4, height // 4), blobs)
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    grain = grain.filter(ImageFilter.GaussianBlur(0.6))
    return ImageChops.overlay(image, grain)


def photo_jpeg(width: int, height: int, quality: int = 88, seed: int = 1) -> bytes:
    """Return a JPEG of a photo-like image of that size."""
    out = io.BytesIO()
    photo_like(width, height, seed).save(out, "JPEG", quality=quality)
    return out.getvalue()


def seed_answers(filename: str = LONG_SEED) -> list[tuple[str, str]]:
    """Return (question, answer) pairs of a seed post, in order (the tests' parser)."""
    return seeds.seed_answers(filename)


def invitation(name: str, email: str, organisation: str = "", days: int = 30) -> tuple:
    """Add an invitation (not flushed) and return it with its token."""
    item = Invitation(questionnaire_id=current_questionnaire().id, name=name, email=email,
                      organisation=organisation, language="fr", token_nonce="", token_sha256="",
                      expires_at=datetime.now(UTC) + timedelta(days=days))
    token = issue_token(item)
    db.session.add(item)
    return item, token


def publish_seed_portrait(slug: str = SLUG) -> Submission:
    """Publish the longer seed post (Jean-Luc) with a 1600x1200 photo; commits."""
    item, _ = invitation("Jean-Luc Sanscartier", "jeanluc@example.org", "MusiquePlus")
    submission = Submission(
        invitation=item, state=State.PUBLISHED.value, slug=slug,
        display_name="Jean-Luc Sanscartier", role_title="Conseiller médias sociaux",
        organisation="MusiquePlus", publication_date=date.today(),
        published_at=datetime.now(UTC), submitted_at=datetime.now(UTC),
    )
    db.session.add(submission)
    for position, (question, body) in enumerate(seed_answers()):
        db.session.add(Answer(submission=submission, question_text=question, body=body,
                              position=position))
    for position, (network, raw) in enumerate({"linkedin": "ca.linkedin.com/in/jeanlucs",
                                               "x": "@jeanlucs"}.items()):
        handle = normalise_handle(network, raw)
        db.session.add(SocialLink(submission=submission, network=handle.network,
                                  handle=handle.handle, url=handle.url, position=position))
    processed = process_photo(photo_jpeg(1600, 1200))
    db.session.add(Photo(submission=submission, kind="portrait", caption="Au bureau",
                         credit="Studio Exemple", data=processed.data, sha256=processed.sha256,
                         mime=processed.mime, width=processed.width, height=processed.height))
    db.session.commit()
    return submission


def open_invitations(count: int) -> list[str]:
    """Create invitations waiting for an answer (state invited); commits; returns the tokens."""
    tokens = []
    for number in range(count):
        item, token = invitation(f"Répondant {number}", f"r{number}@example.org", "Bench inc.")
        db.session.add(Submission(invitation=item, state=State.INVITED.value))
        tokens.append(token)
    db.session.commit()
    return tokens


FIRST_NAMES = ["Camille", "Jean-Luc", "Marie", "Olivier", "Sophie", "Mathieu", "Julie", "Alexis"]
LAST_NAMES = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie",
              "Fortin", "Gagné"]
QUEUE_STATES = [State.INVITED, State.IN_PROGRESS, State.SUBMITTED, State.CHANGES_REQUESTED,
                State.APPROVED, State.REJECTED]


def many_submissions(count: int, batch: int = 2000, start: int = 0) -> None:
    """Add `count` invitations with their submissions in varied states and dates; commits.

    `start` numbers the new people after those added before (emails stay unique).
    """
    questionnaire_id = current_questionnaire().id
    now = datetime.now(UTC)
    rng = random.Random(start)
    for first in range(start, start + count, batch):
        invitations = []
        for number in range(first, min(first + batch, start + count)):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {number}"
            invitations.append(Invitation(
                questionnaire_id=questionnaire_id, name=name,
                email=f"personne{number}@example.org", organisation=f"Organisation {number % 97}",
                language="fr", token_nonce=secrets.token_urlsafe(32),
                token_sha256=secrets.token_hex(32), expires_at=now + timedelta(days=30)))
        db.session.add_all(invitations)
        db.session.flush()
        for item in invitations:
            when = now - timedelta(minutes=rng.randrange(60 * 24 * 90))
            state = rng.choice(QUEUE_STATES)
            db.session.add(Submission(
                invitation_id=item.id, state=state.value, display_name=item.name,
                organisation=item.organisation, created_at=when, updated_at=when,
                submitted_at=when if state not in (State.INVITED, State.IN_PROGRESS) else None))
        db.session.commit()

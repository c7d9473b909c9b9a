"""Test data built directly with the models: one builder per model, and the test blogger.

Builders commit, so that the next request of a test client sees what they made. `invite`
goes through the invitation service instead, email included, as the blogger's page does.
"""

import re
from datetime import date, timedelta

from sqlalchemy import select, update

from intake.auth.accounts import create_user
from intake.enums import PhotoKind, State
from intake.extensions import db
from intake.invitations.emails import queue_invitation_email
from intake.invitations.operations import create_invitation
from intake.links import issue_token
from intake.mail.message import build_message
from intake.models import (
    Answer,
    Consent,
    Invitation,
    OutboxMessage,
    Photo,
    Question,
    Revision,
    SocialLink,
    Submission,
    User,
    utcnow,
)
from intake.photos.pipeline import process_photo
from intake.questionnaire.handles import normalise_handle
from intake.questionnaire.series import default_series
from tests.support.images import jpeg

BLOGGER_EMAIL = "blogueuse@example.org"
BLOGGER_PASSWORD = "correct horse battery"
BLOGGER_NAME = "Marie Blogueuse"

# Three answers of the published seed portraits, for a submission to review.
SEED_ANSWERS = [
    ("En quoi as-tu étudié?",
     "J’ai un DEP en vente-conseil. Cela peut sembler inutile pour un gestionnaire de "
     "communauté, mais l’étude de la psychologie du client me sert tous les jours."),
    ("Décris ta job en 140 caractères.",
     "Augmenter les cotes d’écoute et renforcer l’image de nos chaînes par le biais de "
     "stratégies sur les médias sociaux."),
    ("Quelle est la pire erreur que tu as faite comme gestionnaire?",
     "Surestimer un problème isolé chez iWeb à cause de quelques clients sur Twitter. "
     "J’avais réveillé beaucoup de monde cette nuit-là!"),
]


def make_blogger(email: str = BLOGGER_EMAIL, password: str = BLOGGER_PASSWORD,
                 name: str = BLOGGER_NAME) -> User:
    """Create a blogger account that finished the welcome step; commits."""
    user = create_user(email, password, name=name)
    db.session.commit()
    return user


def new_invitation(name: str, email: str, *, language: str = "fr", organisation: str = "",
                   note: str = "", days: int = 30, series=None) -> tuple[Invitation, str]:
    """Add an invitation to a series (the default one when none is given) with a fresh token;
    flushes. Returns it and its token."""
    invitation = Invitation(
        questionnaire_id=(series or default_series()).id, name=name, email=email,
        organisation=organisation, language=language, note=note,
        expires_at=utcnow() + timedelta(days=days),
    )
    token = issue_token(invitation)
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def make_invitation(name="Camille Tremblay", email="camille@example.org", language="fr",
                    note="", days=30, extra=(), series=None) -> tuple[Invitation, str]:
    """Create an invitation with its submission (state invited); return it and its token."""
    invitation, token = new_invitation(name, email, language=language, note=note, days=days,
                                       series=series)
    for position, text in enumerate(extra, start=1):
        invitation.extra_questions.append(
            Question(questionnaire_id=invitation.questionnaire_id, key=f"extra-{position}",
                     position=position, text_fr=text, text_en=text)
        )
    db.session.add(Submission(invitation=invitation, state=State.INVITED))
    db.session.commit()
    return invitation, token


def add_photo(submission: Submission, kind: str = PhotoKind.PORTRAIT, caption: str = "",
              credit: str = "", crop: dict | None = None, *, size=(640, 480),
              colour=(180, 60, 90)) -> Photo:
    """Attach a processed, Pillow-made photo (a disc on a colour) to a submission."""
    processed = process_photo(jpeg(size, colour, mark=True, quality=90))
    photo = Photo(submission=submission, kind=kind, caption=caption, credit=credit,
                  data=processed.data, sha256=processed.sha256, mime=processed.mime,
                  width=processed.width, height=processed.height, crop=crop)
    db.session.add(photo)
    return photo


def make_submission(state: State = State.SUBMITTED, *, name="Jean-Luc Sanscartier",
                    email="jeanluc@example.org", organisation="MusiquePlus",
                    answers=SEED_ANSWERS, photo=True, consent=True, language="fr") -> Submission:
    """Create an invitation and its submission in a state, with answers; commits."""
    invitation, _token = new_invitation(name, email, language=language,
                                        organisation=organisation)
    submission = Submission(invitation=invitation, state=state.value, display_name=name,
                            role_title="Conseiller médias sociaux", organisation=organisation,
                            slug=f"portrait-{invitation.id}" if state == State.PUBLISHED else None)
    db.session.add(submission)
    for position, (question, body) in enumerate(answers, start=1):
        submission.answers.append(Answer(question_text=question, body=body, position=position))
    submission.links.append(SocialLink(network="x", handle="@jeanlucs",
                                       url="https://x.com/jeanlucs"))
    if photo:  # a colour of its own, so two people's photos differ
        add_photo(submission, caption="Au bureau", credit="Studio Test",
                  colour=(sum(map(ord, name)) % 256, 120, 40))
    if consent:
        submission.consents.append(Consent(text_version="2026-11-v1"))
    if state not in (State.INVITED, State.IN_PROGRESS):
        submission.submitted_at = utcnow()
        submission.revisions.append(Revision(number=1, data=snapshot(answers)))
    db.session.commit()
    return submission


def snapshot(answers) -> dict:
    """Return revision data for a list of (question, body) pairs."""
    return {"answers": [{"question": q, "body": b} for q, b in answers]}


def make_portrait(name: str, slug: str, answers: list[tuple[str, str]], *,
                  language: str = "fr", state: State = State.PUBLISHED,
                  published_days_ago: int = 0, links: dict[str, str] | None = None,
                  hidden: set[int] = frozenset(), edited: dict[int, str] | None = None,
                  photo: bool = True, role_title: str = "", organisation: str = "",
                  editor_intro: str = "", title: str = "", series=None) -> Submission:
    """Create a portrait (published unless told) with answers, links and a photo, in a series
    (the default one when none is given); commits."""
    email = re.sub(r"[^a-z]", "", name.lower()) + "@example.org"
    invitation, _token = new_invitation(name, email, language=language, series=series)
    published = state == State.PUBLISHED
    submission = Submission(
        invitation=invitation, state=state.value, slug=slug, display_name=name,
        role_title=role_title, organisation=organisation, editor_intro=editor_intro,
        title=title,
        publication_date=date.today() - timedelta(days=published_days_ago) if published else None,
        published_at=utcnow() - timedelta(days=published_days_ago) if published else None,
    )
    db.session.add(submission)
    for position, (question, body) in enumerate(answers):
        submission.answers.append(Answer(
            question_text=question, body=body, position=position,
            hidden=position in hidden, edited_body=(edited or {}).get(position),
        ))
    for position, (network, raw) in enumerate((links or {}).items()):
        handle = normalise_handle(network, raw)
        submission.links.append(SocialLink(network=handle.network, handle=handle.handle,
                                           url=handle.url, position=position))
    if photo:
        add_photo(submission, caption=f"{name} au travail", credit="Studio Exemple")
    db.session.commit()
    return submission


def question(key: str) -> Question:
    """Return the series question with a key."""
    return db.session.scalar(select(Question).where(Question.key == key,
                                                    Question.invitation_id.is_(None)))


def required_answers() -> dict[int, str]:
    """Return an answer for every required series question, by question id."""
    questions = db.session.scalars(
        select(Question).where(Question.required.is_(True), Question.invitation_id.is_(None))
    )
    return {q.id: f"Réponse à {q.key}." for q in questions}


def invite(name="Camille Roy", email="camille@example.org", language="fr", **extra):
    """Create an invitation with its email queued, through the service; commits.

    Returns (invitation, token).
    """
    invitation, token = create_invitation(name=name, email=email, language=language, **extra)
    queue_invitation_email(invitation)
    db.session.commit()
    return invitation, token


def make_messages(count: int, domain: str = "example.org") -> list[int]:
    """Queue `count` plain messages (due now), to a1@…, a2@…; commits; returns their ids."""
    rows = [OutboxMessage(kind="custom", to_addr=f"a{number}@{domain}", to_name="",
                          subject=f"Message {number}", text_body=f"Bonjour {number}",
                          message_id=f"<m{number}.{utcnow().timestamp()}@example.org>")
            for number in range(1, count + 1)]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def outbox_rows(kind=None) -> list[OutboxMessage]:
    """Return the outbox rows, oldest first, optionally of one kind."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    db.session.expire_all()
    return db.session.scalars(query).all()


def as_sent(row: OutboxMessage) -> tuple[str, str]:
    """Return the text and HTML parts of an outbox row as delivery sends them (links put in)."""
    email = build_message(row).email
    html = email.get_body(("html",))
    return (email.get_body(("plain",)).get_content(),
            html.get_content() if html is not None else "")


def make_due(*rows: OutboxMessage) -> None:
    """Pretend the retry wait of some outbox rows has passed; commits."""
    ids = [row.id for row in rows]
    past = rows[0].created_at - timedelta(days=1)
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                       .values(next_attempt_at=past))
    db.session.commit()


def age(invitation: Invitation, days: int) -> None:
    """Pretend an invitation and its last email were created `days` ago; commits."""
    db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id).values(
            created_at=invitation.created_at - timedelta(days=days),
            last_email_at=(invitation.last_email_at or invitation.created_at)
            - timedelta(days=days)))
    db.session.commit()
    db.session.expire_all()

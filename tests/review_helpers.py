"""Build invitations and submissions directly, for review tests."""

import io
from datetime import timedelta

from PIL import Image

from intake.enums import State
from intake.extensions import db
from intake.links import issue_token
from intake.models import (
    Answer,
    Consent,
    Invitation,
    Photo,
    Revision,
    SocialLink,
    Submission,
    utcnow,
)
from intake.photos.pipeline import process_photo
from intake.questionnaire.series import current_questionnaire

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


def jpeg_bytes(size=(640, 480), colour=(200, 120, 40)) -> bytes:
    """Return a real JPEG made with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def make_submission(state: State = State.SUBMITTED, *, name="Jean-Luc Sanscartier",
                    email="jeanluc@example.org", organisation="MusiquePlus",
                    answers=SEED_ANSWERS, photo=True, consent=True, language="fr") -> Submission:
    """Create an invitation and its submission in a state, with answers; commits."""
    invitation = Invitation(
        questionnaire_id=current_questionnaire().id, name=name, email=email,
        organisation=organisation, language=language, expires_at=utcnow() + timedelta(days=30),
    )
    issue_token(invitation)
    db.session.add(invitation)
    db.session.flush()
    submission = Submission(invitation_id=invitation.id, state=state.value, display_name=name,
                            role_title="Conseiller médias sociaux", organisation=organisation,
                            slug=f"portrait-{invitation.id}" if state == State.PUBLISHED else None)
    db.session.add(submission)
    db.session.flush()
    for position, (question, body) in enumerate(answers, start=1):
        db.session.add(Answer(submission_id=submission.id, question_text=question, body=body,
                              position=position))
    db.session.add(SocialLink(submission_id=submission.id, network="x", handle="@jeanlucs",
                              url="https://x.com/jeanlucs"))
    if photo:
        processed = process_photo(jpeg_bytes(colour=(sum(map(ord, name)) % 256, 120, 40)))
        db.session.add(Photo(submission_id=submission.id, kind="portrait", caption="Au bureau",
                             credit="Studio Test", data=processed.data, sha256=processed.sha256,
                             mime=processed.mime, width=processed.width, height=processed.height))
    if consent:
        db.session.add(Consent(submission_id=submission.id, text_version="2026-11-v1"))
    if state not in (State.INVITED, State.IN_PROGRESS):
        submission.submitted_at = utcnow()
        db.session.add(Revision(submission_id=submission.id, number=1, data=snapshot(answers)))
    db.session.commit()
    return submission


def snapshot(answers) -> dict:
    """Return revision data for a list of (question, body) pairs."""
    return {"answers": [{"question": q, "body": b} for q, b in answers]}

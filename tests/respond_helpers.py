"""Helpers for the questionnaire tests: invitations made directly, real image bytes."""

import io
from datetime import timedelta

from PIL import ExifTags, Image

from intake.enums import State
from intake.extensions import db
from intake.links import issue_token
from intake.models import Invitation, Question, Submission, utcnow
from intake.questionnaire.series import current_questionnaire


def make_invitation(name="Camille Tremblay", email="camille@example.org", language="fr",
                    note="", days=30, extra=()) -> tuple[Invitation, str]:
    """Create an invitation with its submission (state invited); return it and its token."""
    questionnaire = current_questionnaire()
    invitation = Invitation(
        questionnaire_id=questionnaire.id, name=name, email=email, language=language,
        note=note, token_nonce="", token_sha256="", expires_at=utcnow() + timedelta(days=days),
    )
    token = issue_token(invitation)
    db.session.add(invitation)
    db.session.flush()
    for position, text in enumerate(extra, start=1):
        invitation.extra_questions.append(
            Question(questionnaire_id=questionnaire.id, key=f"extra-{position}",
                     position=position, text_fr=text, text_en=text)
        )
    db.session.add(Submission(invitation=invitation, state=State.INVITED))
    db.session.commit()
    return invitation, token


def question(key: str) -> Question:
    """Return the series question with a key."""
    return db.session.scalar(db.select(Question).where(Question.key == key,
                                                       Question.invitation_id.is_(None)))


def required_answers() -> dict[int, str]:
    """Return an answer for every required series question, by question id."""
    questions = db.session.scalars(
        db.select(Question).where(Question.required.is_(True), Question.invitation_id.is_(None))
    )
    return {q.id: f"Réponse à {q.key}." for q in questions}


def jpeg_with_gps(size=(640, 480)) -> bytes:
    """Return a real JPEG carrying a GPS position and a camera name in its EXIF."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 29.0, 40.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (73.0, 34.0, 10.25)
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 60)).save(out, "JPEG", exif=exif)
    return out.getvalue()

"""The invitee's drafts: saves that never lose a value (autosave, the save button, photos).

A draft keeps every valid value. A value that is refused (an answer over its length limit, a
handle that is not that network's) is not stored: the last valid value stays in the database and
the typed text stays in the page (the browser field with autosave, the re-rendered form without
JavaScript), next to its message, until the person fixes it.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from intake.addressing import lazy_tu_vous
from intake.database import lock_row
from intake.enums import EDITABLE, State
from intake.errors import FieldRefused, Refused
from intake.extensions import db
from intake.models import Answer, Photo, SocialLink, Submission, utcnow
from intake.photos.pipeline import ProcessedPhoto, process_photo_at_low_priority
from intake.questionnaire.handles import NETWORKS, normalise_handle
from intake.questionnaire.structure import (
    CAPTION_LIMIT,
    CREDIT_LIMIT,
    IDENTITY_LIMITS,
    PHOTO_KINDS,
    AskedQuestion,
    all_questions,
    answer_field,
    answer_limit,
)
from intake.text import clean_line, clean_text
from intake.workflow import audit
from intake.workflow.transitions import WorkflowError, set_state

MSG_OUT_OF_DATE = lazy_tu_vous(
    _l("Cette page n’était plus à jour : ces réponses n’ont pas été enregistrées. Relis-les, "
       "puis enregistre de nouveau."),
    _l("Cette page n’était plus à jour : ces réponses n’ont pas été enregistrées. Relisez-les, "
       "puis enregistrez de nouveau."))


def too_long(count: int, limit: int):
    """Return the message for a value over its limit (it was not saved, nor cut)."""
    return lazy_tu_vous(
        _l("Ce texte compte %(count)d caractères pour une limite de %(max)d. Raccourcis-le : "
           "cette version n’a pas été enregistrée.", count=count, max=limit),
        _l("Ce texte compte %(count)d caractères pour une limite de %(max)d. Raccourcissez-le : "
           "cette version n’a pas été enregistrée.", count=count, max=limit),
    )


class QuestionnaireError(Refused):
    """A save, submit or withdrawal refused as a whole: 'already_submitted' (the page is no
    longer editable), 'stale' (another page saved since), 'closed' (no such photo kind), or
    'incomplete' with the fields still missing."""

    MESSAGES = {
        "already_submitted": lazy_tu_vous(
            _l("Tes réponses ont déjà été envoyées : rien n’a été modifié."),
            _l("Vos réponses ont déjà été envoyées : rien n’a été modifié.")),
        "stale": MSG_OUT_OF_DATE,
        "closed": MSG_OUT_OF_DATE,
    }


def form_version(submission: Submission) -> int:
    """Return the version a page carries: the submission's once its first save is done."""
    return submission.version + (1 if submission.state == State.INVITED else 0)


def check_open(submission: Submission, expected_version: int | None = None) -> None:
    """Raise QuestionnaireError unless the submission is editable and the page is current."""
    if submission.state not in EDITABLE:
        raise QuestionnaireError("already_submitted")
    if expected_version is not None and expected_version != form_version(submission):
        raise QuestionnaireError("stale")


def lock_open(submission: Submission, expected_version: int | None = None) -> None:
    """Lock the submission's row for the transaction, then check_open; raise 'closed' when the
    person was erased meanwhile. Saves, submits, withdrawals, proof answers and erasure all
    lock this row first, so on PostgreSQL they queue instead of deadlocking."""
    if not lock_row(submission):
        raise QuestionnaireError("closed")
    check_open(submission, expected_version)


def mark_saved(submission: Submission) -> None:
    """Stamp the save time; the first save moves INVITED to IN_PROGRESS (audited, no email)."""
    if submission.state == State.INVITED:
        try:
            set_state(submission, State.IN_PROGRESS, audit.INVITEE, notify=False)
        except WorkflowError:
            db.session.refresh(submission)
            check_open(submission)
    submission.last_saved_at = submission.updated_at = utcnow()


@dataclass
class PhotoDraft:
    """The photo part of a save: new image bytes (None keeps the stored image), caption, credit.

    `decoded` (or `refusal`) is what the photo pipeline made of `data`: filled by decode(),
    which callers run before their write transaction (on SQLite it would hold the write lock
    for the whole decoding); save_draft decodes what is left.
    """

    data: bytes | None = None
    caption: str = ""
    credit: str = ""
    decoded: ProcessedPhoto | None = None
    refusal: object = None

    def decode(self) -> None:
        """Run the new image through the photo pipeline, once (CPU-heavy, no database)."""
        if self.data and self.decoded is None and self.refusal is None:
            try:
                self.decoded = process_photo_at_low_priority(self.data)
            except FieldRefused as error:
                self.refusal = error.message


@dataclass
class Draft:
    """What one save carries; a key absent from a part leaves that value as it is.

    `answers` by question id, `identity` by field name, `handles` by network, `photos` by kind.
    """

    answers: dict[int, str] = field(default_factory=dict)
    identity: dict[str, str] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=dict)
    photos: dict[str, PhotoDraft] = field(default_factory=dict)


def save_draft(submission: Submission, draft: Draft, *,
               questions: list[AskedQuestion] | None = None,
               expected_version: int | None = None) -> dict:
    """Save every valid value of a draft and return the errors of the others; may start the
    draft (the first save moves it to IN_PROGRESS). Flushes.

    `questions` are the person's (all_questions), when the caller already has them. Raises
    QuestionnaireError when the submission is no longer editable or the page is stale.
    """
    lock_open(submission, expected_version)
    errors: dict = {}
    for kind, photo in draft.photos.items():
        if kind not in PHOTO_KINDS:
            raise QuestionnaireError("closed")
        if photo.data:
            errors.update(replace_photo(submission, kind, photo))
        if (stored := submission.photo(kind)) is not None:
            errors.update(describe_photo(stored, photo.caption, photo.credit))
    questions = all_questions(submission) if questions is None else questions
    save_answers(submission, draft.answers, questions, errors)
    save_identity(submission, draft.identity, errors)
    save_links(submission, draft.handles, errors)
    mark_saved(submission)
    db.session.flush()
    return errors


def save_answers(submission: Submission, answers: dict, questions: list[AskedQuestion],
                 errors: dict) -> None:
    """Upsert the answers to this person's questions, snapshotting each question's text."""
    lang = submission.invitation.language
    existing = {a.question_id: a for a in submission.answers}
    for position, question in enumerate(questions, start=1):
        if question.id not in answers:
            continue
        body = clean_text(answers[question.id], multiline=True)
        if len(body) > answer_limit(question):
            errors[answer_field(question.id)] = too_long(len(body), answer_limit(question))
            continue
        answer = existing.get(question.id)
        if answer is None:
            if not body:
                continue
            answer = Answer(question_id=question.id)
            submission.answers.append(answer)
        if answer.body != body or answer.question_text != question.text(lang):
            answer.body = body
            answer.question_text = question.text(lang)
            answer.updated_at = utcnow()
        answer.position = position


def save_identity(submission: Submission, identity: dict, errors: dict) -> None:
    """Store the name, title and organisation given, each on one line within its limit."""
    for name, limit in IDENTITY_LIMITS.items():
        if name in identity:
            value = clean_line(identity[name])
            if len(value) > limit:
                errors[name] = too_long(len(value), limit)
            else:
                setattr(submission, name, value)


def save_links(submission: Submission, handles: dict, errors: dict) -> None:
    """Store each valid handle as a canonical link; an empty one removes it, a bad one waits."""
    current = {link.network: link for link in submission.links}
    for position, network in enumerate(NETWORKS, start=1):
        if network not in handles:
            continue
        raw = clean_text(handles[network])
        link = current.get(network)
        if not raw:
            if link is not None:
                submission.links.remove(link)
            continue
        try:
            parsed = normalise_handle(network, raw)
        except FieldRefused as error:
            errors[f"link_{network}"] = error.message
            continue
        if link is None:
            link = SocialLink(network=network)
            submission.links.append(link)
        link.handle, link.url, link.position = parsed.handle, parsed.url, position


def replace_photo(submission: Submission, kind: str, upload: PhotoDraft) -> dict:
    """Store the cleaned image of an upload as the photo of a kind (replacing the old one,
    crop reset); returns the error by field when the bytes are refused."""
    upload.decode()
    if upload.refusal is not None:
        return {f"photo_{kind}": upload.refusal}
    processed = upload.decoded
    photo = submission.photo(kind)
    if photo is None:
        photo = Photo(kind=kind)
        submission.photos.append(photo)
    photo.data, photo.sha256, photo.mime = processed.data, processed.sha256, processed.mime
    photo.width, photo.height, photo.crop = processed.width, processed.height, None
    photo.created_at = utcnow()
    return {}


def describe_photo(photo: Photo, caption: str, credit: str) -> dict:
    """Set a stored photo's caption and credit; returns the errors of those over their limit."""
    errors: dict = {}
    for name, value, limit in (("caption", caption, CAPTION_LIMIT),
                               ("credit", credit, CREDIT_LIMIT)):
        value = clean_line(value)
        if len(value) > limit:
            errors[f"{name}_{photo.kind}"] = too_long(len(value), limit)
        else:
            setattr(photo, name, value)
    return errors

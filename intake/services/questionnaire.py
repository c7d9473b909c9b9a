"""The invitee's questionnaire: which questions, draft saves that never lose a value, submit.

Form field names are fixed here so the page, the autosave and the errors agree:
``q<question id>`` for answers, ``display_name``/``role_title``/``organisation`` for identity,
``link_<network>`` for social handles, ``photo_<kind>``/``caption_<kind>``/``credit_<kind>`` for
photos and ``consent``.

A draft keeps every valid value. A value that is refused (an answer over its length limit, a
handle that is not that network's) is not stored: the last valid value stays in the database and
the typed text stays in the page (the browser field with autosave, the re-rendered form without
JavaScript), next to its message, until the person fixes it.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from intake.enums import EDITABLE, State
from intake.extensions import db
from intake.models import (
    Answer,
    Consent,
    Photo,
    Question,
    Revision,
    SocialLink,
    Submission,
    utcnow,
)
from intake.photos.pipeline import PhotoError, process_photo
from intake.services.default_questionnaire import load_default_questionnaire
from intake.services.handles import NETWORKS, HandleError, normalise_handle
from intake.workflow import audit
from intake.workflow.transitions import WorkflowError, set_state

IDENTITY_LIMITS = {"display_name": 200, "role_title": 200, "organisation": 300}
PHOTO_KINDS = ("portrait", "workspace")
CAPTION_LIMIT, CREDIT_LIMIT = 300, 200
EXTRA_SECTION = "extra"

MSG_REQUIRED = _l("Répondez à cette question : elle est obligatoire.")
MSG_NAME_REQUIRED = _l("Indiquez votre nom tel qu’il doit paraître.")
MSG_PORTRAIT_REQUIRED = _l("Ajoutez une photo portrait : elle est obligatoire pour l’envoi.")
MSG_CONSENT_REQUIRED = _l("Cochez la case pour accepter la publication de vos réponses.")


def too_long(count: int, limit: int):
    """Return the message for a value over its limit (it was not saved, nor cut)."""
    return _l(
        "Ce texte compte %(count)d caractères pour une limite de %(max)d. Raccourcissez-le : "
        "cette version n’a pas été enregistrée.",
        count=count,
        max=limit,
    )


class QuestionnaireError(Exception):
    """A save or submit refused as a whole; `.code` is 'already_submitted', 'stale' or 'closed'."""

    def __init__(self, code: str, errors: dict | None = None):
        super().__init__(code)
        self.code = code
        self.errors = errors or {}


@dataclass
class Section:
    key: str
    title: str
    questions: list[Question] = field(default_factory=list)


def answer_field(question_id: int) -> str:
    """Return the form field name of a question's answer."""
    return f"q{question_id}"


@lru_cache(maxsize=1)
def section_titles() -> dict[str, dict[str, str]]:
    """Return the section titles of the series by key and language, from the package data."""
    return {s["key"]: s["title"] for s in load_default_questionnaire()["sections"]}


def section_title(key: str, lang: str) -> str:
    """Return the title of a section in a language; extra questions have their own."""
    if key == EXTRA_SECTION or key not in section_titles():
        return _l("Questions pour vous")
    titles = section_titles()[key]
    return titles.get(lang) or titles["fr"]


def all_questions(submission: Submission) -> list[Question]:
    """Return the active questions asked of this person: the series', then their extra ones."""
    invitation = submission.invitation
    series = db.session.scalars(
        select(Question)
        .where(Question.questionnaire_id == invitation.questionnaire_id,
               Question.invitation_id.is_(None), Question.active.is_(True))
        .order_by(Question.position, Question.id)
    ).all()
    extra = [q for q in invitation.extra_questions if q.active]
    return [*series, *sorted(extra, key=lambda q: (q.position, q.id))]


def questions_for(submission: Submission) -> list[Section]:
    """Return the active questions grouped by section, in order, extra questions last."""
    lang = submission.invitation.language
    sections: dict[str, Section] = {}
    for question in all_questions(submission):
        key = EXTRA_SECTION if question.invitation_id else (question.section or EXTRA_SECTION)
        if key not in sections:
            sections[key] = Section(key, section_title(key, lang))
        sections[key].questions.append(question)
    if EXTRA_SECTION in sections:
        sections[EXTRA_SECTION] = sections.pop(EXTRA_SECTION)
    return list(sections.values())


def form_version(submission: Submission) -> int:
    """Return the version a page carries: the submission's once its first save is done."""
    return submission.version + (1 if submission.state == State.INVITED else 0)


def check_open(submission: Submission, expected_version: int | None = None) -> None:
    """Raise QuestionnaireError unless the submission is editable and the page is current."""
    if submission.state not in EDITABLE:
        raise QuestionnaireError("already_submitted")
    if expected_version is not None and expected_version != form_version(submission):
        raise QuestionnaireError("stale")


def clean_text(value: str | None) -> str:
    """Return typed text with unified line breaks and no surrounding blanks."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def mark_saved(submission: Submission) -> None:
    """Stamp the save time; the first save moves INVITED to IN_PROGRESS (audited, no email)."""
    if submission.state == State.INVITED:
        try:
            set_state(submission, State.IN_PROGRESS, audit.INVITEE, notify=False)
        except WorkflowError:
            db.session.refresh(submission)
            check_open(submission)
    submission.last_saved_at = submission.updated_at = utcnow()


def save_draft(submission: Submission, answers: dict, identity: dict, handles: dict,
               photos: dict | None = None, *, expected_version: int | None = None) -> dict:
    """Save every valid value given and return the errors of the others; may start the draft.

    `photos` maps a kind to {"data", "caption", "credit"}. Keys absent from the dicts are left
    as they are. Raises QuestionnaireError when the submission is no longer editable or the
    page is stale. Flushes.
    """
    check_open(submission, expected_version)
    errors: dict = {}
    for kind, photo in (photos or {}).items():
        errors.update(save_photo(submission, kind, photo.get("data"), photo.get("caption", ""),
                                 photo.get("credit", "")))
    save_answers(submission, answers, errors)
    for name, limit in IDENTITY_LIMITS.items():
        if name in identity:
            value = " ".join(clean_text(identity[name]).split())
            if len(value) > limit:
                errors[name] = too_long(len(value), limit)
            else:
                setattr(submission, name, value)
    save_links(submission, handles, errors)
    mark_saved(submission)
    db.session.flush()
    return errors


def save_answers(submission: Submission, answers: dict, errors: dict) -> None:
    """Upsert the answers to this person's questions, snapshotting each question's text."""
    lang = submission.invitation.language
    existing = {a.question_id: a for a in submission.answers}
    for position, question in enumerate(all_questions(submission), start=1):
        if question.id not in answers:
            continue
        body = clean_text(answers[question.id])
        if question.max_length and len(body) > question.max_length:
            errors[answer_field(question.id)] = too_long(len(body), question.max_length)
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


def save_links(submission: Submission, handles: dict, errors: dict) -> None:
    """Store each valid handle as a canonical link; an empty one removes it, a bad one waits."""
    current = {link.network: link for link in submission.links}
    for position, network in enumerate(NETWORKS, start=1):
        if network not in handles:
            continue
        raw = (handles[network] or "").strip()
        link = current.get(network)
        if not raw:
            if link is not None:
                submission.links.remove(link)
            continue
        try:
            parsed = normalise_handle(network, raw)
        except HandleError as error:
            errors[f"link_{network}"] = error.message
            continue
        if link is None:
            link = SocialLink(network=network)
            submission.links.append(link)
        link.handle, link.url, link.position = parsed.handle, parsed.url, position


def save_photo(submission: Submission, kind: str, data: bytes | None, caption: str,
               credit: str) -> dict:
    """Store a cleaned photo of a kind (replacing the old one) with its caption and credit.

    Without new bytes only the caption and credit of the stored photo change. Returns the
    errors by field; may start the draft. Flushes.
    """
    check_open(submission)
    if kind not in PHOTO_KINDS:
        raise QuestionnaireError("closed")
    errors: dict = {}
    photo = submission.photo(kind)
    if data:
        try:
            processed = process_photo(data)
        except PhotoError as error:
            errors[f"photo_{kind}"] = error.message
        else:
            if photo is None:
                photo = Photo(kind=kind)
                submission.photos.append(photo)
            photo.data, photo.sha256, photo.mime = processed.data, processed.sha256, processed.mime
            photo.width, photo.height, photo.crop = processed.width, processed.height, None
            photo.created_at = utcnow()
    if photo is not None:
        for name, value, limit in (("caption", caption, CAPTION_LIMIT),
                                   ("credit", credit, CREDIT_LIMIT)):
            value = " ".join(clean_text(value).split())
            if len(value) > limit:
                errors[f"{name}_{kind}"] = too_long(len(value), limit)
            else:
                setattr(photo, name, value)
    if data or photo is not None:
        mark_saved(submission)
    db.session.flush()
    return errors


def missing_for_submit(submission: Submission, consent: bool) -> dict:
    """Return what still blocks the submit: required answers, name, portrait, consent."""
    errors: dict = {}
    if not submission.display_name:
        errors["display_name"] = MSG_NAME_REQUIRED
    bodies = {a.question_id: a.body for a in submission.answers}
    for question in all_questions(submission):
        if question.required and not bodies.get(question.id, "").strip():
            errors[answer_field(question.id)] = MSG_REQUIRED
    if submission.photo("portrait") is None:
        errors["photo_portrait"] = MSG_PORTRAIT_REQUIRED
    if not consent:
        errors["consent"] = MSG_CONSENT_REQUIRED
    return errors


def snapshot(submission: Submission) -> dict:
    """Return what the person sends, as JSON-ready data for a Revision."""
    return {
        **{name: getattr(submission, name) for name in IDENTITY_LIMITS},
        "answers": [
            {"question_id": a.question_id, "question": a.question_text, "body": a.body}
            for a in sorted(submission.answers, key=lambda a: a.position)
        ],
        "links": [{"network": k.network, "handle": k.handle, "url": k.url}
                  for k in sorted(submission.links, key=lambda k: k.position)],
        "photos": [{"kind": p.kind, "sha256": p.sha256, "caption": p.caption,
                    "credit": p.credit} for p in submission.photos],
    }


def submit(submission: Submission, expected_version: int, consent: bool) -> Revision:
    """Check completeness, record consent and a revision, move to SUBMITTED (emails queued).

    Raises QuestionnaireError: 'incomplete' with the errors, 'already_submitted' or 'stale'
    (a second click or tab loses the race inside set_state). Flushes.
    """
    check_open(submission, expected_version)
    errors = missing_for_submit(submission, consent)
    if errors:
        raise QuestionnaireError("incomplete", errors)
    data = snapshot(submission)
    try:  # first, so that of two racing submits the loser stops here
        set_state(submission, State.SUBMITTED, audit.INVITEE, expected_version=submission.version)
    except WorkflowError as error:
        code = "stale" if State(error.current_state) in EDITABLE else "already_submitted"
        raise QuestionnaireError(code) from error
    version = current_app.config["CONSENT_VERSION"]
    submission.consents.append(Consent(text_version=version, given_at=utcnow()))
    number = (db.session.scalar(
        select(func.max(Revision.number)).where(Revision.submission_id == submission.id)
    ) or 0) + 1
    revision = Revision(number=number, data={**data, "consent_version": version})
    submission.revisions.append(revision)
    db.session.flush()
    return revision


def save_and_submit(submission: Submission, answers: dict, identity: dict, handles: dict,
                    photos: dict | None = None, *, expected_version: int,
                    consent: bool) -> Revision:
    """Save the page's last values, then submit them; the draft stays saved if submit fails."""
    errors = save_draft(submission, answers, identity, handles, photos,
                        expected_version=expected_version)
    missing = missing_for_submit(submission, consent)
    if errors or missing:
        raise QuestionnaireError("incomplete", {**missing, **errors})
    return submit(submission, form_version(submission), consent)


def withdraw(submission: Submission) -> None:
    """Withdraw the person's participation (audited, no email); the link closes. Flushes."""
    check_open(submission)
    try:
        set_state(submission, State.WITHDRAWN, audit.INVITEE, notify=False)
    except WorkflowError as error:
        raise QuestionnaireError("already_submitted") from error
    db.session.flush()

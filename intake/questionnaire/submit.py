"""Submitting: what still blocks it, the revision it records, and withdrawing instead."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from intake.addressing import lazy_tu_vous
from intake.enums import EDITABLE, PhotoKind, State
from intake.extensions import db
from intake.models import Consent, Revision, Submission, utcnow
from intake.questionnaire.drafts import (
    Draft,
    QuestionnaireError,
    form_version,
    lock_open,
    save_draft,
)
from intake.questionnaire.structure import (
    IDENTITY_LIMITS,
    AskedQuestion,
    all_questions,
    answer_field,
)
from intake.workflow import audit
from intake.workflow.transitions import WorkflowError, set_state

MSG_REQUIRED = lazy_tu_vous(_l("Réponds à cette question : elle est obligatoire."),
                            _l("Répondez à cette question : elle est obligatoire."))
MSG_NAME_REQUIRED = lazy_tu_vous(_l("Indique ton nom tel qu’il doit paraître."),
                                 _l("Indiquez votre nom tel qu’il doit paraître."))
MSG_PORTRAIT_REQUIRED = lazy_tu_vous(
    _l("Ajoute une photo portrait : elle est obligatoire pour l’envoi."),
    _l("Ajoutez une photo portrait : elle est obligatoire pour l’envoi."))
MSG_CONSENT_REQUIRED = lazy_tu_vous(
    _l("Coche la case pour accepter la publication de tes réponses."),
    _l("Cochez la case pour accepter la publication de vos réponses."))


def missing_for_submit(submission: Submission, consent: bool,
                       questions: list[AskedQuestion] | None = None) -> dict:
    """Return what still blocks the submit: required answers, name, portrait, consent.

    `questions` are the person's (all_questions), when the caller already has them.
    """
    errors: dict = {}
    if not submission.display_name:
        errors["display_name"] = MSG_NAME_REQUIRED
    bodies = {a.question_id: a.body for a in submission.answers}
    for question in all_questions(submission) if questions is None else questions:
        if question.required and not bodies.get(question.id, "").strip():
            errors[answer_field(question.id)] = MSG_REQUIRED
    if submission.photo(PhotoKind.PORTRAIT) is None:
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


def submit(submission: Submission, expected_version: int, consent: bool, *,
           questions: list[AskedQuestion] | None = None) -> Revision:
    """Check completeness, record consent and a revision, move to SUBMITTED (emails queued).

    Raises QuestionnaireError: 'incomplete' with the errors, 'already_submitted' or 'stale'
    (a second click or tab loses the race inside set_state). Flushes.
    """
    lock_open(submission, expected_version)
    errors = missing_for_submit(submission, consent, questions)
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


def save_and_submit(submission: Submission, draft: Draft, *, expected_version: int,
                    consent: bool, questions: list[AskedQuestion] | None = None) -> dict:
    """Save the page's last values, then submit them when nothing blocks it (emails queued).

    Returns what still blocks the submit, by field (empty once submitted); the valid values
    stay saved either way. Raises QuestionnaireError as save_draft and submit do. Flushes.
    """
    questions = all_questions(submission) if questions is None else questions
    errors = save_draft(submission, draft, questions=questions,
                        expected_version=expected_version)
    missing = {**missing_for_submit(submission, consent, questions), **errors}
    if not missing:
        submit(submission, form_version(submission), consent, questions=questions)
    return missing


def withdraw(submission: Submission) -> None:
    """Withdraw the person's participation (audited, no email); the link closes. Flushes."""
    lock_open(submission)
    try:
        set_state(submission, State.WITHDRAWN, audit.INVITEE, notify=False)
    except WorkflowError as error:
        raise QuestionnaireError("already_submitted") from error
    db.session.flush()

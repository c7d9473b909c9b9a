"""The blogger's edits for publication: answers, order, visibility, intro, title, slug, crop."""

import difflib
import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from intake.enums import PhotoKind, State
from intake.errors import Refused
from intake.models import Submission, utcnow
from intake.publishing import renditions
from intake.publishing.slugs import unique_slug
from intake.text import clean_line, clean_text
from intake.workflow import audit

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class EditRefused(Refused):
    """An edit of the blogger's that cannot be saved; `.code` says why."""

    MESSAGES = {
        "slug": _l("L’adresse ne peut contenir que des lettres minuscules sans accents, des "
                   "chiffres et des traits d’union."),
        "taken": _l("Un autre portrait utilise déjà cette adresse."),
        "no_photo": _l("Il n’y a pas encore de photo de portrait à recadrer."),
        "range": _l("Le recadrage doit rester dans l’image (valeurs de 0 à 1)."),
        "invalid": _l("Vérifiez les champs du formulaire."),
    }


@dataclass
class AnswerEdit:
    """The blogger's wishes for one answer."""

    answer_id: int
    text: str
    hidden: bool
    position: int


def save_settings(submission: Submission, actor, *, title: str, slug: str, editor_intro: str,
                  publication_date: date | None, proof_requested: bool) -> None:
    """Save the post's title, slug, intro, date and proof wish; audits; never moves state.

    A published portrait's page is stored again and its PDF queued for the worker, and the
    others' are asked for again when it is, or was, in their « Autres portraits ».
    """
    shown = renditions.shown_among_others(submission)
    slug = clean_text(slug).lower()
    if slug and not SLUG_PATTERN.match(slug):
        raise EditRefused("slug")
    if slug and unique_slug(submission, slug) != slug:
        raise EditRefused("taken")
    submission.title = clean_line(title)
    submission.slug = slug or submission.slug
    submission.editor_intro = clean_text(editor_intro, multiline=True)
    if publication_date is not None or submission.state != State.PUBLISHED.value:
        submission.publication_date = publication_date  # a published post keeps a date
    submission.proof_requested = proof_requested
    submission.updated_at = utcnow()
    audit.record(submission, "settings", actor, slug=submission.slug or "")
    renditions.queue_render(submission)
    renditions.mark_others_stale(submission, was_shown=shown)


def save_answer_edits(submission: Submission, actor, edits: list[AnswerEdit]) -> int:
    """Apply edited texts, hiding and order; keeps the invitee's original; audits; returns count.

    A published portrait's page is stored again and its PDF queued for the worker.
    """
    by_id = {answer.id: answer for answer in submission.answers}
    changed = 0
    for edit in edits:
        answer = by_id.get(edit.answer_id)
        if answer is None:
            continue
        text = clean_text(edit.text, multiline=True)
        new_edit = None if text == answer.body.strip() else text
        if (new_edit, edit.hidden, edit.position) != (
            answer.edited_body, answer.hidden, answer.position
        ):
            changed += 1
            answer.edited_body = new_edit
            answer.hidden = edit.hidden
            answer.position = edit.position
    if changed:
        submission.updated_at = utcnow()
        audit.record(submission, "edit_answers", actor, count=changed)
    renditions.queue_render(submission)
    return changed


def save_crop(submission: Submission, actor, x: float, y: float, size: float) -> None:
    """Store the square crop of the portrait photo (fractions of the image); audits.

    A published portrait's page is stored again and its PDF queued for the worker.
    """
    photo = submission.photo(PhotoKind.PORTRAIT)
    if photo is None:
        raise EditRefused("no_photo")
    values = {"x": x, "y": y, "size": size}
    if any(not 0 <= v <= 1 for v in values.values()) or size <= 0:
        raise EditRefused("range")
    photo.crop = values
    submission.updated_at = utcnow()
    audit.record(submission, "crop", actor, **values)
    renditions.queue_render(submission)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Return (op, text) segments, op in 'same', 'del', 'ins', turning before into after."""
    a, b = re.findall(r"\s+|[^\s]+", before), re.findall(r"\s+|[^\s]+", after)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                segments.append(("del", "".join(a[i1:i2])))
            if j2 > j1:
                segments.append(("ins", "".join(b[j1:j2])))
    return segments


def changes_since_last_submit(submission: Submission) -> list[dict]:
    """Compare the two latest submitted revisions; return the questions whose answer changed."""
    if len(submission.revisions) < 2:
        return []
    old, new = submission.revisions[-2].data, submission.revisions[-1].data
    old_answers = {a["question"]: a["body"] for a in old.get("answers", [])}
    changes = []
    for item in new.get("answers", []):
        before = old_answers.get(item["question"], "")
        if before != item["body"]:
            changes.append({"question": item["question"], "diff": word_diff(before, item["body"])})
    for field in ("display_name", "role_title", "organisation"):
        if old.get(field, "") != new.get(field, ""):
            changes.append({"question": field,
                            "diff": word_diff(old.get(field, ""), new.get(field, ""))})
    return changes

"""What the questionnaire asks one person: sections, questions, and the form's field names.

Form field names are fixed here so the page, the autosave and the errors agree:
``q<question id>`` for answers, ``display_name``/``role_title``/``organisation`` for identity,
``link_<network>`` for social handles, ``photo_<kind>``/``caption_<kind>``/``credit_<kind>`` for
photos and ``consent``.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from intake.addressing import lazy_tu_vous
from intake.enums import PhotoKind
from intake.extensions import db
from intake.kept import Kept
from intake.models import Question, Submission
from intake.models.questionnaire import in_language
from intake.questionnaire.series import load_default_questionnaire

IDENTITY_LIMITS = {"display_name": 200, "role_title": 200, "organisation": 300}
PHOTO_KINDS = tuple(PhotoKind)
CAPTION_LIMIT, CREDIT_LIMIT = 300, 200
# The longest answer any question takes, its own limit left empty by the blogger included.
ANSWER_LIMIT = 20_000
EXTRA_SECTION = "extra"


@dataclass
class Section:
    key: str
    title: str
    questions: list["AskedQuestion"] = field(default_factory=list)


def answer_limit(question: "AskedQuestion") -> int:
    """Return the most characters an answer to a question may hold."""
    return question.max_length or ANSWER_LIMIT


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
        return lazy_tu_vous(_l("Questions pour toi"), _l("Questions pour vous"))
    titles = section_titles()[key]
    return titles.get(lang) or titles["fr"]


class AskedQuestion(NamedTuple):
    """A question as a person's pages and saves read it: a plain row, not an ORM object (the
    questionnaire page reads about thirty of them at every view)."""

    id: int
    invitation_id: int | None
    key: str
    section: str
    position: int
    text_fr: str
    text_en: str
    help_fr: str
    help_en: str
    required: bool
    max_length: int | None

    def text(self, lang: str) -> str:
        """Return the question in a language, French when missing."""
        return in_language(self.text_fr, self.text_en, lang)

    def help(self, lang: str) -> str:
        """Return the help text in a language, French when missing."""
        return in_language(self.help_fr, self.help_en, lang)


# Built once: every active question of a series, its invitations' extra questions included.
SERIES_QUESTIONS = (
    select(*(getattr(Question, name) for name in AskedQuestion._fields))
    .where(Question.questionnaire_id == bindparam("series_id"), Question.active.is_(True))
    .order_by(Question.position, Question.id)
)
# Each series' questions by (series id, questions_stamp): shared ones, extra ones by
# invitation id. A change to a question gives the series a new stamp (Series.questions_stamp),
# so a kept list is never read again once anything in it changed.
_ASKED = Kept(64)


def all_questions(submission: Submission) -> list[AskedQuestion]:
    """Return the active questions asked of this person: the series', then their extra ones
    (one query per stamp of the series' questions and process)."""
    invitation = submission.invitation
    series = invitation.questionnaire
    key = (series.id, series.questions_stamp)
    kept = _ASKED.get(key)
    if kept is None:
        found = [AskedQuestion(*row) for row in db.session.execute(
            SERIES_QUESTIONS, {"series_id": series.id})]
        extra: dict[int, list[AskedQuestion]] = {}
        for question in found:
            if question.invitation_id is not None:
                extra.setdefault(question.invitation_id, []).append(question)
        kept = _ASKED.keep(key, ([q for q in found if q.invitation_id is None], extra))
    return kept[0] + kept[1].get(invitation.id, [])


def questions_for(submission: Submission,
                  questions: list[AskedQuestion] | None = None) -> list[Section]:
    """Return the active questions grouped by section, in order, extra questions last.

    `questions` are the person's (all_questions), when the caller already has them.
    """
    lang = submission.invitation.language
    sections: dict[str, Section] = {}
    for question in all_questions(submission) if questions is None else questions:
        key = EXTRA_SECTION if question.invitation_id else (question.section or EXTRA_SECTION)
        if key not in sections:
            sections[key] = Section(key, section_title(key, lang))
        sections[key].questions.append(question)
    if EXTRA_SECTION in sections:
        sections[EXTRA_SECTION] = sections.pop(EXTRA_SECTION)
    return list(sections.values())

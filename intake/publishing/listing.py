"""Published portraits as readers find them: which ones, their titles and one-line summaries."""

import re

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from intake.enums import PhotoKind, State
from intake.extensions import db
from intake.models import Invitation, Photo, Submission
from intake.publishing.series_text import LANGUAGES, series_titles
from intake.publishing.text import line_text, runs, typeset

SUMMARY_LENGTH = 160
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


def post_language(submission: Submission) -> str:
    """Return the language a portrait is published in: its invitation's (fr or en)."""
    language = submission.invitation.language
    return language if language in LANGUAGES else "fr"


def display_name(submission: Submission) -> str:
    """Return the name the portrait is published under."""
    return (submission.display_name or submission.invitation.name or "").strip()


def portrait_title(submission: Submission, series_title: str | None = None) -> str:
    """Return the post title: the blogger's, else « SERIES : NAME » in the post's language."""
    language = post_language(submission)
    if submission.title:
        return typeset(submission.title, language)
    series = (series_titles(submission.invitation.series)[language] if series_title is None
              else series_title)
    if not series:
        return typeset(display_name(submission), language)
    with force_locale(language):
        return typeset(_("%(series)s\u00a0: %(name)s", series=series,
                         name=display_name(submission)), language)


def published_portraits(exclude_id: int | None = None, *, details: bool = True,
                        series_id: int | None = None) -> list[Submission]:
    """Return the published portraits that have a slug, newest first; only one series' when
    `series_id` is given.

    With details, their answers and photos (without the image bytes) are loaded in bulk.
    """
    query = (
        select(Submission)
        .options(joinedload(Submission.invitation))
        .where(Submission.state == State.PUBLISHED.value, Submission.slug.is_not(None))
        .order_by(Submission.publication_date.desc().nulls_last(),
                  Submission.published_at.desc().nulls_last(), Submission.id.desc())
    )
    if exclude_id is not None:
        query = query.where(Submission.id != exclude_id)
    if series_id is not None:
        query = in_series(query, series_id)
    if details:
        query = query.options(selectinload(Submission.photos).defer(Photo.data),
                              selectinload(Submission.answers))
    return list(db.session.scalars(query))


def in_series(query, series_id: int):
    """Return a query of submissions narrowed to one series."""
    return query.where(Submission.invitation.has(Invitation.questionnaire_id == series_id))


def find_published(slug: str) -> Submission | None:
    """Return the published portrait at a slug, or None (unpublished portraits stay hidden)."""
    return db.session.scalar(
        select(Submission).where(Submission.slug == slug,
                                 Submission.state == State.PUBLISHED.value)
    )


def kept_answers(submission: Submission) -> list:
    """Return the answers to publish: not hidden, not empty, in their chosen order."""
    answers = sorted(submission.answers, key=lambda a: (a.position, a.id or 0))
    return [a for a in answers if not a.hidden and a.published_body.strip()]


def role_line(submission: Submission) -> str:
    """Return « role, organisation » as far as they are known."""
    organisation = submission.organisation or submission.invitation.organisation or ""
    parts = [p.strip() for p in (submission.role_title, organisation) if p and p.strip()]
    return typeset(", ".join(parts), post_language(submission))


def summary_line(submission: Submission) -> str:
    """Return one line for lists and feeds: role, else the first sentence of intro or answer."""
    line = role_line(submission)
    if line:
        return line
    own = bool(submission.editor_intro.strip())
    if own:
        text = submission.editor_intro
    else:
        answers = kept_answers(submission)
        if not answers:
            return ""
        text = answers[0].published_body
    flat = re.sub(r"[ \t\r\n]+", " ", text).strip()
    first = line_text(runs(flat, post_language(submission), own=own))
    first = _SENTENCE_END.split(first, maxsplit=1)[0]
    if len(first) > SUMMARY_LENGTH:
        first = first[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return first


def index_entry(submission: Submission, titles: dict[str, str] | None = None) -> dict:
    """Return one line of the index or the feed: title, slug, name, summary, dates, photo,
    language (`titles`: the series' name per language, read once by the caller)."""
    language = post_language(submission)
    series = (titles or series_titles(submission.invitation.series))[language]
    return {
        "title": portrait_title(submission, series),
        "slug": submission.slug,
        "name": display_name(submission),
        "summary": summary_line(submission),
        "language": language,
        "has_photo": submission.photo(PhotoKind.PORTRAIT) is not None,
        "published_at": submission.published_at,
        "publication_date": submission.publication_date,
        "updated_at": submission.updated_at,
    }

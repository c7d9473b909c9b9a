"""Published portraits as readers find them: which ones, their titles and one-line summaries."""

import re

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from intake.enums import PhotoKind, State
from intake.extensions import db
from intake.models import Invitation, Photo, Series, Submission
from intake.publishing.series_text import LANGUAGES, series_titles
from intake.publishing.text import line_text, runs, typeset
from intake.questionnaire.series import default_series

SUMMARY_LENGTH = 160
PAGE_SIZE = 20  # portraits per page of the index and the feed
OTHERS_SIZE = 10  # portraits in a post's « Autres portraits »
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
    if series_title is None and not submission.title:
        series_title = series_titles(submission.invitation.series)[language]
    return post_title(submission.title, display_name(submission), language, series_title or "")


def post_title(title: str, name: str, language: str, series_title: str) -> str:
    """Return a post title from plain values (`series_title`: the series' name, typeset)."""
    if title:
        return typeset(title, language)
    if not series_title:
        return typeset(name, language)
    with force_locale(language):
        return typeset(_("%(series)s\u00a0: %(name)s", series=series_title, name=name), language)


def published(query: Select, series_id: int | None = None) -> Select:
    """Narrow a query on submissions to the published portraits with a slug, newest first;
    only one series' when `series_id` is given.

    A published portrait always has both dates (publishing sets them, editing keeps them), so
    the order needs no NULLS clause and is read from ix_submissions_published_order.
    """
    query = (
        query.where(Submission.state == State.PUBLISHED.value, Submission.slug.is_not(None))
        .order_by(Submission.publication_date.desc(), Submission.published_at.desc(),
                  Submission.id.desc())
    )
    return query if series_id is None else in_series(query, series_id)


def in_series(query, series_id: int):
    """Return a query of submissions narrowed to one series: each index entry's invitation_id
    is checked by primary key, so a page costs its own rows, not the series' size. On a blog
    of one series nothing is checked: the count of series, not correlated, is computed once
    per statement, and a deep page skips bare index entries (4x faster 500 pages deep)."""
    return query.where(or_(select(func.count(Series.id)).scalar_subquery() == 1,
                           Submission.invitation.has(Invitation.questionnaire_id == series_id)))


def published_portraits(exclude_id: int | None = None, *, details: bool = True,
                        series_id: int | None = None) -> list[Submission]:
    """Return every published portrait that has a slug, newest first, only one series' when
    `series_id` is given (for commands and exports, never a reader's page: see published_page).

    With details, their answers and photos (without the image bytes) are loaded in bulk.
    """
    query = published(select(Submission).options(joinedload(Submission.invitation)), series_id)
    if exclude_id is not None:
        query = query.where(Submission.id != exclude_id)
    if details:
        query = query.options(selectinload(Submission.photos).defer(Photo.data),
                              selectinload(Submission.answers))
    return list(db.session.scalars(query))


def published_page(page: int, series_id: int | None,
                   size: int = PAGE_SIZE) -> tuple[list[Submission], bool]:
    """Return one page (from 1) of a series' published portraits (every series' with None)
    with what a list shows, and whether an older page follows; four queries whatever the
    number of portraits.

    The page's ids come first from the index (ix_submissions_published_order), so a deep page
    skips index entries, not joined rows.
    """
    ids = list(db.session.scalars(
        published(select(Submission.id), series_id).offset((page - 1) * size).limit(size + 1)))
    rows = db.session.scalars(select(Submission).where(Submission.id.in_(ids[:size])).options(
        joinedload(Submission.invitation),
        selectinload(Submission.photos).load_only(Photo.id, Photo.kind),
        selectinload(Submission.answers),
    ))
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids[:size] if i in by_id], len(ids) > size


def latest_others(exclude_id: int | None, series: Series | None,
                  size: int = OTHERS_SIZE) -> list[dict]:
    """Return the newest published portraits of a series (the default one when None) but one,
    as plain values (id, slug, title, name, language) for « Autres portraits »; one query
    reading only those columns."""
    series = series or default_series()
    if series is None:
        return []
    query = published(select(Submission.id, Submission.slug, Submission.title,
                             Submission.display_name, Invitation.name, Invitation.language)
                      .join(Invitation, Submission.invitation)
                      .where(Invitation.questionnaire_id == series.id))
    if exclude_id is not None:
        query = query.where(Submission.id != exclude_id)
    titles = series_titles(series)
    others = []
    for id_, slug, title, shown_name, invited_name, language in db.session.execute(
            query.limit(size)):
        language = language if language in LANGUAGES else "fr"
        name = (shown_name or invited_name or "").strip()
        others.append({"id": id_, "slug": slug, "language": language, "name": name,
                       "title": post_title(title, name, language, titles[language])})
    return others


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

"""What readers see: published portraits turned into plain data for the post, PDF and exports.

Everything here is plain text in, plain data out: typography is applied to the text a person
typed, and the templates escape it afterwards (never the other way round).
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from intake.enums import PhotoKind, State
from intake.extensions import db
from intake.models import Photo, Submission
from intake.publishing.typography import french_typography, typographic_english
from intake.questionnaire.handles import NETWORKS
from intake.questionnaire.series import current_questionnaire

# The blog is French: the series text, the blogger's words and the post's headings are French.
BLOG_LANGUAGE = "fr"
SUMMARY_LENGTH = 160
TYPESET_CACHE_SIZE = 2048  # lines and titles, typeset once per process

_BULLET = re.compile(r"^\s*(?:[-*]\s+|[–—•]\s*)(?=\S)")
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


@dataclass
class Block:
    """A paragraph (its lines, shown with line breaks) or a bulleted list (its items)."""

    kind: str  # "p" or "ul"
    lines: list[str]


@dataclass
class PortraitView:
    """Everything a template needs to show one published portrait."""

    submission_id: int
    slug: str
    name: str
    title: str
    series_title: str
    language: str
    series_intro: list[Block]
    editor_intro: list[Block]
    photos: list[dict]
    answers: list[dict]
    links: list[dict]
    others: list[dict]
    reading: list[dict]
    summary: str
    role_line: str
    published_at: object = None
    publication_date: object = None
    headings: dict = field(default_factory=dict)


def typeset(text: str, language: str) -> str:
    """Return plain text with the typography of its language (French or English)."""
    if not text:
        return ""
    return _typeset(text, language == "fr")


@lru_cache(maxsize=TYPESET_CACHE_SIZE)
def _typeset(text: str, french: bool) -> str:
    """Typeset text once: every reader of a post asks for the same lines (pure function)."""
    return french_typography(text) if french else typographic_english(text)


def blocks(text: str, language: str) -> list[Block]:
    """Split text into paragraphs and lists: blank lines part blocks, bullet lines make lists."""
    result: list[Block] = []
    normalised = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    for chunk in _BLANK_LINES.split(normalised):
        chunk_blocks: list[Block] = []
        for line in (line.strip() for line in chunk.split("\n")):
            if not line:
                continue
            bullet = _BULLET.match(line)
            kind = "ul" if bullet else "p"
            content = typeset(line[bullet.end():] if bullet else line, language)
            if chunk_blocks and chunk_blocks[-1].kind == kind:
                chunk_blocks[-1].lines.append(content)
            else:
                chunk_blocks.append(Block(kind, [content]))
        result.extend(chunk_blocks)
    return result


def display_name(submission: Submission) -> str:
    """Return the name the portrait is published under."""
    return (submission.display_name or submission.invitation.name or "").strip()


def portrait_title(submission: Submission, series: str | None = None) -> str:
    """Return the post title: the blogger's, else « SERIES : NAME », with French typography."""
    if submission.title:
        return typeset(submission.title, BLOG_LANGUAGE)
    series = series_title() if series is None else series
    return typeset(f"{series} : {display_name(submission)}" if series else
                   display_name(submission), BLOG_LANGUAGE)


def published_portraits(exclude_id: int | None = None, *,
                        details: bool = True) -> list[Submission]:
    """Return the published portraits that have a slug, newest first.

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
    if details:
        query = query.options(selectinload(Submission.photos).defer(Photo.data),
                              selectinload(Submission.answers))
    return list(db.session.scalars(query))


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
    return typeset(", ".join(parts), BLOG_LANGUAGE)


def summary_line(submission: Submission) -> str:
    """Return one line for lists and feeds: role, else the first sentence of intro or answer."""
    line = role_line(submission)
    if line:
        return line
    if submission.editor_intro.strip():
        text, language = submission.editor_intro, BLOG_LANGUAGE
    else:
        answers = kept_answers(submission)
        if not answers:
            return ""
        text, language = answers[0].published_body, submission.invitation.language
    first = re.sub(r"[ \t\r\n]+", " ", typeset(text, language)).strip()
    first = _SENTENCE_END.split(first, maxsplit=1)[0]
    if len(first) > SUMMARY_LENGTH:
        first = first[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return first


def photo_view(photo: Photo, name: str) -> dict:
    """Return what a template shows of a photo: kind, id, caption, credit, legend, alt text."""
    caption = typeset(photo.caption, BLOG_LANGUAGE)
    if photo.kind == PhotoKind.PORTRAIT:
        alt = _("Photo de %(name)s", name=name)
    else:
        alt = _("Environnement de travail de %(name)s", name=name)
    return {
        "kind": photo.kind,
        "id": photo.id,
        "caption": caption,
        "credit": typeset(photo.credit, BLOG_LANGUAGE),
        "legend": typeset(" · ".join(part for part in (
            photo.caption, photo.credit and _("Photo : %(credit)s", credit=photo.credit)
        ) if part), BLOG_LANGUAGE),
        "alt": alt,
    }


def series_title() -> str:
    """Return the series title in the blog's language."""
    questionnaire = current_questionnaire()
    return questionnaire.title_fr if questionnaire else ""


def index_entry(submission: Submission, series: str | None = None) -> dict:
    """Return one line of the index or the feed: title, slug, name, summary, dates, photo."""
    return {
        "title": portrait_title(submission, series),
        "slug": submission.slug,
        "name": display_name(submission),
        "summary": summary_line(submission),
        "has_photo": submission.photo(PhotoKind.PORTRAIT) is not None,
        "published_at": submission.published_at,
        "publication_date": submission.publication_date,
        "updated_at": submission.updated_at,
    }


def reading_list(questionnaire) -> list[dict]:
    """Return the series reading list; only http(s) addresses become links."""
    items = []
    for item in (questionnaire.reading_list or []) if questionnaire else []:
        if not isinstance(item, dict) or not str(item.get("title", "")).strip():
            continue
        url = str(item.get("url") or "").strip()
        safe = url if re.match(r"^https?://[^\s\"'<>`]+$", url, re.I) else ""
        items.append({"title": str(item["title"]).strip(), "url": safe})
    return items


def portrait_view(submission: Submission, *, with_others: bool = True) -> PortraitView:
    """Gather a published portrait as plain data for the post, the PDF and the exports."""
    questionnaire = current_questionnaire()
    series = questionnaire.title_fr if questionnaire else ""
    language = submission.invitation.language or BLOG_LANGUAGE
    name = display_name(submission)
    with force_locale(BLOG_LANGUAGE):
        headings = {
            "follow": typeset(_("Pour suivre %(name)s", name=name), BLOG_LANGUAGE),
            "others": _("Autres portraits de gestionnaires"),
            "reading": _("Lecture"),
        }
        photos = [
            photo_view(photo, name)
            for kind in PhotoKind
            if (photo := submission.photo(kind)) is not None
        ]
        links = [
            {"network": str(NETWORKS.get(link.network, link.network)), "handle": link.handle,
             "url": link.url,
             "label": typeset(f"{NETWORKS.get(link.network, link.network)} :", BLOG_LANGUAGE)}
            for link in sorted(submission.links, key=lambda item: (item.position, item.id or 0))
        ]
    answers = [
        {"question": typeset(answer.question_text.strip(), language),
         "blocks": blocks(answer.published_body, language)}
        for answer in kept_answers(submission)
    ]
    others = [
        {"title": portrait_title(other, series), "slug": other.slug}
        for other in (published_portraits(exclude_id=submission.id, details=False)
                      if with_others else [])
    ]
    return PortraitView(
        submission_id=submission.id,
        slug=submission.slug or "",
        name=name,
        title=portrait_title(submission, series),
        series_title=series,
        language=language,
        series_intro=blocks(questionnaire.intro_fr if questionnaire else "", BLOG_LANGUAGE),
        editor_intro=blocks(submission.editor_intro, BLOG_LANGUAGE),
        photos=photos,
        answers=answers,
        links=links,
        others=others,
        reading=reading_list(questionnaire),
        summary=summary_line(submission),
        role_line=role_line(submission),
        published_at=submission.published_at,
        publication_date=submission.publication_date,
        headings=headings,
    )


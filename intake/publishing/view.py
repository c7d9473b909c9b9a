"""What readers see: a portrait turned into plain data for the post, PDF, proof and exports.

Everything here is plain text in, plain data out: typography is applied to the text a person
typed, links are runs (intake/publishing/text.py), and the templates escape it all afterwards.
One view serves every output, published or not yet (the preview and the proof): the slug and
date are those publishing gives; intake/publishing/series_text.py says which language the
series text is shown in.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from intake.enums import PhotoKind
from intake.i18n import local_today, use_series
from intake.links import absolute_url
from intake.models import Photo, Submission, utcnow
from intake.publishing.listing import (
    display_name,
    kept_answers,
    latest_others,
    portrait_title,
    post_language,
    role_line,
    summary_line,
)
from intake.publishing.series_text import SeriesText, series_text
from intake.publishing.slugs import publication_slug
from intake.publishing.text import Block, blocks, typeset
from intake.questionnaire.handles import NETWORKS

# Re-exported: the pieces templates and tests know by these names.
__all__ = ["Block", "PortraitView", "blocks", "portrait_view", "typeset"]

SHORT_ANSWER = 600  # characters: an answer this short is kept on one page with its question
_CREDIT_PREFIX = re.compile(
    r"^\s*(?:photo|crédit(?:\s+photo)?|credit(?:s)?|photo\s+credit|photographe|photographer)"
    r"\s*[:\u00a0\u202f]\s*", re.I)


@dataclass
class PortraitView:
    """Everything a template needs to show one portrait, published or about to be."""

    submission_id: int
    slug: str
    name: str
    title: str
    language: str
    series: SeriesText
    editor_intro: list[Block]
    portrait_photo: dict | None
    workspace_photo: dict | None
    answers: list[dict]
    workspace_after: int  # how many answers come before the workspace photo
    links: list[dict]
    others: list[dict]
    reading: list[dict]
    summary: str
    role_line: str
    publication_date: date
    published_at: datetime
    post_url: str
    pdf_url: str
    index_url: str = ""
    preview: bool = False
    headings: dict = field(default_factory=dict)

    @property
    def series_title(self) -> str:
        """Return the series' name in the post's language (or its French fallback)."""
        return self.series.title

    @property
    def series_intro(self) -> list[Block]:
        """Return the series introduction's blocks."""
        return self.series.intro

    @property
    def photos(self) -> list[dict]:
        """Return the photos, portrait first."""
        return [p for p in (self.portrait_photo, self.workspace_photo) if p]

    @property
    def answers_before_photo(self) -> list[dict]:
        """Return the answers shown before the workspace photo (all of them without one)."""
        return self.answers[: self.workspace_after]

    @property
    def answers_after_photo(self) -> list[dict]:
        """Return the answers shown after the workspace photo."""
        return self.answers[self.workspace_after:]


def photo_credit(credit: str) -> str:
    """Return a typed credit without a « Photo : » or « Crédit : » it already starts with."""
    return _CREDIT_PREFIX.sub("", credit or "", count=1).strip()


def photo_view(photo: Photo, name: str, language: str) -> dict:
    """Return what a template shows of a photo: kind, id, caption, credit, legend, alt text
    (in the post's language; called under force_locale)."""
    credit = photo_credit(photo.credit)
    if photo.kind == PhotoKind.PORTRAIT:
        alt = _("Photo de %(name)s", name=name)
    else:
        alt = _("Environnement de travail de %(name)s", name=name)
    caption = typeset(photo.caption, language)
    credit_line = _("Photo : %(credit)s", credit=typeset(credit, language)) if credit else ""
    return {
        "kind": photo.kind,
        "id": photo.id,
        "caption": caption,
        "credit": typeset(credit, language),
        "legend": " · ".join(part for part in (caption, credit_line) if part),
        "alt": alt,
    }


def photo_sources(view: PortraitView, endpoint: str, **values) -> dict[str, str]:
    """Return the address of each photo of a post, served by `endpoint` (kind added)."""
    return {photo["kind"]: url_for(endpoint, kind=photo["kind"], **values)
            for photo in view.photos}


def _links(submission: Submission, language: str) -> list[dict]:
    """Return the « Pour suivre » links: network label, handle, address."""
    colon = ":" if language == "en" else "\u00a0:"
    return [
        {"network": str(NETWORKS.get(link.network, link.network)), "handle": link.handle,
         "url": link.url, "label": str(NETWORKS.get(link.network, link.network)) + colon}
        for link in sorted(submission.links, key=lambda item: (item.position, item.id or 0))
    ]


def _others(submission: Submission) -> list[dict]:
    """Return the newest other published portraits of the same series (bounded): title, slug,
    absolute address, language."""
    return [
        {"title": other["title"], "slug": other["slug"], "language": other["language"],
         "url": absolute_url("public.portrait", slug=other["slug"])}
        for other in latest_others(submission.id, submission.invitation.series)
    ]


def portrait_view(submission: Submission, *, with_others: bool = True,
                  preview: bool = False) -> PortraitView:
    """Gather a portrait as plain data for the post, the PDF, the proof and the exports; one
    not yet published gets the slug and date that publishing will give it. Makes the
    portrait's series the one in use (its typography)."""
    use_series(submission.invitation.series)
    language = post_language(submission)
    name = display_name(submission)
    slug = publication_slug(submission)
    series = series_text(language, submission.invitation.series)
    with force_locale(language):
        headings = {"follow": typeset(_("Pour suivre %(name)s", name=name), language),
                    "others": _("Autres portraits"), "reading": _("Lecture"),
                    "all": _("Tous les portraits")}
        photos = {kind: photo_view(photo, name, language) for kind in PhotoKind
                  if (photo := submission.photo(kind)) is not None}
    answers = [
        {"question": typeset(answer.question_text.strip(), language),
         "blocks": blocks(answer.published_body, language),
         "short": len(answer.published_body) <= SHORT_ANSWER}
        for answer in kept_answers(submission)
    ]
    workspace = photos.get(PhotoKind.WORKSPACE)
    return PortraitView(
        submission_id=submission.id, slug=slug, name=name, language=language, series=series,
        title=portrait_title(submission, series.title),
        editor_intro=blocks(submission.editor_intro, language, own=True),
        portrait_photo=photos.get(PhotoKind.PORTRAIT), workspace_photo=workspace,
        answers=answers,
        workspace_after=max(1, len(answers) // 2) if workspace else len(answers),
        links=_links(submission, language),
        others=_others(submission) if with_others else [],
        reading=series.reading,
        summary=summary_line(submission), role_line=role_line(submission),
        publication_date=submission.publication_date or local_today(),
        published_at=submission.published_at or utcnow(),
        post_url=absolute_url("public.portrait", slug=slug),
        pdf_url=absolute_url("public.portrait_pdf", slug=slug),
        index_url=absolute_url("public.series_index",
                               series_slug=submission.invitation.series.slug),
        preview=preview, headings=headings,
    )

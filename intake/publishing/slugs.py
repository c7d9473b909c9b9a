"""A portrait's address on the blog: its slug, given once at publication (or by the blogger)."""

from sqlalchemy import select

from intake.extensions import db
from intake.models import Submission
from intake.text import slugify

__all__ = ["publication_slug", "slugify", "unique_slug"]


def unique_slug(submission: Submission, wanted: str) -> str:
    """Return `wanted` or `wanted-2`, `-3`… so no other portrait has it."""
    base = slugify(wanted) or f"portrait-{submission.id}"
    candidate, n = base, 1
    while db.session.scalar(
        select(Submission.id).where(Submission.slug == candidate, Submission.id != submission.id)
    ):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def publication_slug(submission: Submission) -> str:
    """Return the portrait's slug, or the one publishing will give it (nothing is stored)."""
    return submission.slug or unique_slug(
        submission, submission.display_name or submission.invitation.name)

"""Collect the blogger's pages; each area lives in its own module."""

from intake.review import bp
from intake.review import dashboard, invitations, outbox, questionnaire, submissions  # noqa: F401

__all__ = ["bp"]

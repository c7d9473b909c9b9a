"""Collect the blogger's pages; each area lives in its own module."""

from intake.review import (  # noqa: F401 - importing a module registers its routes
    bp,
    dashboard,
    exports,
    invitations,
    outbox,
    questionnaire,
    submissions,
)

__all__ = ["bp"]

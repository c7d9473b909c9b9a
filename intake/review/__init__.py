"""The blogger's pages; `blueprint.py` holds the blueprint, each module hangs routes on it."""

from intake.review import (  # noqa: F401 - importing a module registers its routes
    bulk,
    dashboard,
    exports,
    invitations,
    outbox,
    preview,
    questionnaire,
    series,
    submissions,
    wordpress,
)
from intake.review.blueprint import bp

__all__ = ["bp"]

"""The invitee's pages; `blueprint.py` holds the blueprint, each module hangs routes on it."""

from intake.respond import new_link, proof, views  # noqa: F401 - importing registers routes
from intake.respond.blueprint import bp

__all__ = ["bp"]

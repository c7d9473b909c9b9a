"""The data model; every table is importable from here."""

from intake.models.audit import AuditEvent
from intake.models.blog import BlogSetting
from intake.models.invitation import Invitation
from intake.models.outbox import OutboxMessage
from intake.models.people import User
from intake.models.questionnaire import Question, Questionnaire, Series
from intake.models.submission import (
    Answer,
    Consent,
    Photo,
    Rendition,
    Revision,
    SocialLink,
    Submission,
)
from intake.models.types import utcnow
from intake.models.wordpress import WordPressPush

__all__ = [
    "Answer",
    "AuditEvent",
    "BlogSetting",
    "Consent",
    "Invitation",
    "OutboxMessage",
    "Photo",
    "Question",
    "Questionnaire",
    "Rendition",
    "Revision",
    "Series",
    "SocialLink",
    "Submission",
    "User",
    "WordPressPush",
    "utcnow",
]

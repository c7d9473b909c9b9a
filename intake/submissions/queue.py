"""The review queue: counts per state, filters, search, sort and pages in constant queries."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager

from intake.enums import State
from intake.extensions import db
from intake.models import Invitation, Series, Submission

SORTS = {
    "recent": Submission.updated_at.desc(),
    "oldest": Submission.updated_at.asc(),
    "submitted": Submission.submitted_at.desc().nulls_last(),
    "name": func.lower(Invitation.name).asc(),
}


@dataclass(frozen=True)
class QueueQuery:
    """What the blogger asked the queue for."""

    state: str = ""
    search: str = ""
    sort: str = "recent"
    page: int = 1
    per_page: int = 25
    series: str = ""  # a series' slug; empty for every series


def in_series(statement, slug: str):
    """Return a statement over submissions narrowed to the series at a slug (none: unchanged)."""
    if not slug:
        return statement
    return statement.where(Submission.invitation.has(Invitation.questionnaire_id.in_(
        select(Series.id).where(Series.slug == slug))))


def state_counts(series: str = "") -> dict[str, int]:
    """Return how many submissions stand in each state (every state present, zero included),
    in one series when its slug is given."""
    rows = db.session.execute(in_series(select(Submission.state, func.count()), series)
                              .group_by(Submission.state))
    counts = {state.value: 0 for state in State}
    counts.update(dict(rows.all()))
    return counts


def escape_like(term: str) -> str:
    """Escape LIKE wildcards in a search term."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def queue_page(query: QueueQuery):
    """Return one page of submissions with their invitation loaded (two queries)."""
    statement = (
        select(Submission)
        .join(Submission.invitation)
        .options(contains_eager(Submission.invitation))
    )
    if query.state in {s.value for s in State}:
        statement = statement.where(Submission.state == query.state)
    statement = in_series(statement, query.series)
    term = query.search.strip()[:100]
    if term:
        pattern = f"%{escape_like(term.lower())}%"
        statement = statement.where(
            or_(
                func.lower(Invitation.name).like(pattern, escape="\\"),
                func.lower(Invitation.email).like(pattern, escape="\\"),
                func.lower(Invitation.organisation).like(pattern, escape="\\"),
                func.lower(Submission.display_name).like(pattern, escape="\\"),
                func.lower(Submission.organisation).like(pattern, escape="\\"),
            )
        )
    order = SORTS.get(query.sort, SORTS["recent"])
    statement = statement.order_by(order, Submission.id.desc())
    return db.paginate(statement, page=max(query.page, 1), per_page=query.per_page,
                       error_out=False, max_per_page=100)

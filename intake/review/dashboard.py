"""The dashboard: counts per state and the review queue."""

from flask import current_app, render_template, request

from intake.mail.outbox import failed_messages
from intake.numbers import bounded_int
from intake.questionnaire.series import all_series
from intake.review.blueprint import bp
from intake.submissions.proof import answered_proofs
from intake.submissions.queue import SORTS, QueueQuery, queue_page, state_counts


@bp.get("/")
def dashboard():
    """Show the counts per state, the emails that failed, the proofs answered, and one page
    of the queue."""
    query = QueueQuery(
        state=request.args.get("state", ""),
        search=request.args.get("q", ""),
        sort=request.args.get("sort", "recent"),
        page=request.args.get("page", 1, type=bounded_int),
        per_page=current_app.config["QUEUE_PAGE_SIZE"],
        series=request.args.get("series", ""),
    )
    failed_count, failed_latest = failed_messages()
    proofs_count, proofs_latest = answered_proofs()
    return render_template("review/dashboard.html", query=query,
                           counts=state_counts(query.series), series_list=all_series(),
                           page=queue_page(query), sorts=list(SORTS),
                           failed_count=failed_count, failed_latest=failed_latest,
                           proofs_count=proofs_count, proofs_latest=proofs_latest)

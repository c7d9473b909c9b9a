"""The dashboard: counts per state and the review queue."""

from flask import current_app, render_template, request

from intake.mail.outbox import mail_trouble
from intake.numbers import bounded_int
from intake.questionnaire.series import all_series
from intake.review.blueprint import bp
from intake.submissions.proof import answered_proofs
from intake.submissions.queue import SORTS, QueueQuery, queue_page, state_counts
from intake.wordpress.queue import failed_pushes
from intake.worker.heartbeat import worker_silent


@bp.get("/")
def dashboard():
    """Show the counts per state, the emails that failed or wait for a new try, a silent
    worker, the proofs answered, and one page of the queue."""
    query = QueueQuery(
        state=request.args.get("state", ""),
        search=request.args.get("q", ""),
        sort=request.args.get("sort", "recent"),
        page=request.args.get("page", 1, type=bounded_int),
        per_page=current_app.config["QUEUE_PAGE_SIZE"],
        series=request.args.get("series", ""),
    )
    proofs_count, proofs_latest = answered_proofs()
    return render_template("review/dashboard.html", query=query,
                           counts=state_counts(query.series), series_list=all_series(),
                           page=queue_page(query), sorts=list(SORTS),
                           mail=mail_trouble(), worker_silent=worker_silent(),
                           proofs_count=proofs_count, proofs_latest=proofs_latest,
                           failed_pushes=failed_pushes(5))

"""The blogger's "copy for the blog" page: WordPress HTML and Markdown of a portrait."""

from flask import abort, render_template

from intake.enums import State
from intake.extensions import db
from intake.models import Submission
from intake.publishing.exports import blog_exports
from intake.review.blueprint import bp


@bp.get("/submissions/<int:submission_id>/export")
def export(submission_id: int):
    """Show the portrait as WordPress HTML and Markdown, ready to copy."""
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        abort(404)
    return render_template(
        "review/export.html", submission=submission, export=blog_exports(submission),
        published=submission.state == State.PUBLISHED.value,
    )

"""The blogger's WordPress pages: the connection and its test, push and retry buttons."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from intake.extensions import db
from intake.models import WordPressPush
from intake.questionnaire.series import all_series
from intake.review.blueprint import bp
from intake.review.submissions import back, load
from intake.review.wordpress_forms import PushForm
from intake.wordpress import queue
from intake.wordpress.check import check_connection
from intake.wordpress.client import WordPressError
from intake.wordpress.settings import configured_terms, post_terms, wordpress_settings

QUEUED = _l("L’envoi à WordPress est en file d’attente : il part dans quelques secondes.")


@bp.get("/wordpress")
def wordpress():
    """Show the WordPress connection (never its password), its test, each series' categories
    and tags, and failed pushes."""
    return render_template("review/wordpress.html", settings=wordpress_settings(),
                           fallback=configured_terms(), failed=queue.failed_pushes(),
                           series_terms=[(series, post_terms(series))
                                         for series in all_series()])


@bp.post("/wordpress/check")
def wordpress_check():
    """Test the connection and say in words what works or what is wrong."""
    try:
        found = check_connection()
    except WordPressError as error:
        flash(queue.reason(error.code, error.detail_line), "error")
    else:
        flash(_("Connexion réussie au blogue « %(site)s » en tant que %(user)s.",
                site=found.site, user=found.user), "success")
    return redirect(url_for(".wordpress"), code=303)


@bp.post("/submissions/<int:submission_id>/wordpress")
def wordpress_push(submission_id: int):
    """Queue the push of a published portrait for the background worker."""
    item, form = load(submission_id), PushForm()
    form.validate()
    queue.queue_push(item, post_status=form.status(), post_date=form.moment())
    db.session.commit()
    flash(QUEUED, "success")
    return back(item)


@bp.post("/wordpress/pushes/<int:push_id>/retry")
def wordpress_retry(push_id: int):
    """Put a failed push back in the queue for the worker; back to where the button was."""
    row = db.session.get(WordPressPush, push_id) or abort(404)
    queue.retry_push(row)
    db.session.commit()
    flash(QUEUED, "success")
    if request.form.get("next") == "dashboard" or row.submission is None:
        return redirect(url_for(".dashboard"), code=303)
    return back(row.submission)

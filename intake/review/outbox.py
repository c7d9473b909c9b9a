"""The blogger's Outbox: every email, queued, sent or failed, readable and retryable."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from intake.enums import OUTBOX_LABELS
from intake.extensions import db
from intake.mail.delivery import retry_failed, retry_message, retryable
from intake.mail.link_slots import masked_links
from intake.mail.outbox import retry_refusal
from intake.models import OutboxMessage
from intake.numbers import bounded_int
from intake.review.blueprint import bp
from intake.review.invitation_forms import ConfirmForm


@bp.get("/outbox")
def outbox():
    """List the emails, newest first, filtered by delivery state."""
    status = request.args.get("status") if request.args.get("status") in OUTBOX_LABELS else None
    page = max(request.args.get("page", 1, type=bounded_int) or 1, 1)
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status:
        query = query.where(OutboxMessage.status == status)
    pages = db.paginate(query, page=page, per_page=current_app.config["QUEUE_PAGE_SIZE"],
                        error_out=False)
    counts = dict(db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return render_template("review/outbox/list.html", pages=pages, status=status,
                           statuses=OUTBOX_LABELS, counts=counts, form=ConfirmForm(),
                           mail_configured=bool(current_app.config.get("MAIL_SERVER")))


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    """Show one email: its headers, its text part, and its HTML part as escaped source.

    The HTML part is never rendered as a page of ours (no frame, no |safe): only its source.
    An invitee's link shows with its token hidden: the row holds no working link.
    """
    message = db.get_or_404(OutboxMessage, message_id)
    text_body, html_body = masked_links(message.text_body), masked_links(message.html_body)
    return render_template("review/outbox/message.html", message=message, form=ConfirmForm(),
                           retryable=retryable(message), text_body=text_body,
                           html_body=html_body, link_hidden=text_body != message.text_body)


@bp.post("/outbox/<int:message_id>/retry")
def outbox_retry(message_id: int):
    """Put a failed email back in the queue, due now; say why when it cannot go."""
    message = db.get_or_404(OutboxMessage, message_id)
    if ConfirmForm().validate_on_submit() and retry_message(message):
        db.session.commit()
        flash(_("Le courriel repart dans la file d’envoi."), "success")
    else:
        flash(retry_refusal(message), "error")
    return redirect(url_for("review.outbox_message", message_id=message.id), code=303)


@bp.post("/outbox/retry-failed")
def outbox_retry_failed():
    """Put every failed email that can go again back in the queue, due now; say how many."""
    count = retry_failed() if ConfirmForm().validate_on_submit() else 0
    db.session.commit()
    flash(ngettext("%(num)d courriel repart dans la file d’envoi.",
                   "%(num)d courriels repartent dans la file d’envoi.", count),
          "success" if count else "error")
    return redirect(url_for("review.outbox", status="failed" if not count else None), code=303)

"""Ask for a new link from the invalid-link page: the same answer whatever the address."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from intake.addressing import tu_vous
from intake.extensions import db, limiter
from intake.invitations.link_requests import request_new_link
from intake.respond.blueprint import bp
from intake.respond.forms import NewLinkForm


def new_link_limit() -> str:
    """Return the configured limit on new-link requests per client address."""
    return current_app.config["NEW_LINK_RATE_LIMIT"]


# This route has its own limit, apart from the link-guessing budget: a request for a new link
# neither uses up an invitee's budget nor escapes a limit, and it never looks up a token.
@bp.route("/new-link", methods=["GET", "POST"])
@limiter.limit(new_link_limit, methods=["POST"])
def new_link():
    """Show the request form; on an address, tell the bloggers and answer the same always."""
    form = NewLinkForm()
    if not form.is_submitted():
        return render_template("respond/new_link.html", form=form)
    if not form.validate():
        return render_template("respond/new_link.html", form=form), 422
    request_new_link(form.email.data)
    db.session.commit()
    flash(tu_vous(_("Si cette adresse correspond à une invitation, l’équipe du blogue "
                    "t’enverra un nouveau lien."),
                  _("Si cette adresse correspond à une invitation, l’équipe du blogue vous "
                    "enverra un nouveau lien.")), "success")
    return redirect(url_for(".new_link"), code=303)

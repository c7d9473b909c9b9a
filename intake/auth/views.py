"""Login, logout, password and language pages."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from intake.auth.forms import LanguageForm, LoginForm, PasswordForm
from intake.extensions import db, limiter
from intake.services.accounts import authenticate

bp = Blueprint("auth", __name__)


def login_limit() -> str:
    """Return the configured login rate limit."""
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    """Show the login form; log the blogger in on a right email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user:
            db.session.commit()
            session.clear()
            login_user(user)
            return redirect(safe_next(request.args.get("next")), code=303)
        flash(_("Adresse courriel ou mot de passe incorrect."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Log out and go back to the login page."""
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"), code=303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Let the blogger replace their password."""
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("Le mot de passe actuel est incorrect."))
        else:
            current_user.set_password(form.new.data)
            db.session.commit()
            flash(_("Mot de passe changé."), "success")
            return redirect(url_for("review.dashboard"), code=303)
    return render_template("auth/password.html", form=form)


@bp.post("/language")
def language():
    """Switch the interface language for this browser (and the blogger's account)."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            current_user.language = form.language.data
            db.session.commit()
    return redirect(safe_next(request.form.get("next")), code=303)


def safe_next(target: str | None) -> str:
    """Return a same-site path to go to after a form, never another host."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("review.dashboard")

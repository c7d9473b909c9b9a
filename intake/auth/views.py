"""Login, logout, password and language pages."""

import re
from urllib.parse import urlsplit

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

from intake.auth.accounts import (
    FIRST_ACCOUNT_EMAIL,
    AccountError,
    authenticate,
    change_password,
    complete_welcome,
    end_sessions,
    normalise_email,
    update_account,
)
from intake.auth.forms import AccountForm, LanguageForm, LoginForm, PasswordForm, WelcomeForm
from intake.extensions import db, limiter
from intake.i18n import blog_timezone

bp = Blueprint("auth", __name__)


def login_limit() -> str:
    """Return the configured login rate limit per client address."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def account_login_limit() -> str:
    """Return the configured limit of failed logins per account."""
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def login_account_key() -> str:
    """Return the rate-limit key of the account a login form names (its normalised email)."""
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


def login_failed(response) -> bool:
    """Say whether a login answer is a refusal (the form shown again), not a way in."""
    return response.status_code == 200


# Every login POST counts against the client address; only refusals count against the account
# named, with a higher limit: one address is stopped by its own limit before it can lock an
# account, and guessing one password from many addresses still meets the account's limit.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@limiter.limit(account_login_limit, methods=["POST"], key_func=login_account_key,
               deduct_when=login_failed)
def login():
    """Show the login form; log the blogger in on a right email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user:
            db.session.commit()
            session.clear()
            login_user(user)
            if user.welcomed_at is None:
                return redirect(url_for("auth.welcome"), code=303)
            return redirect(safe_next(request.args.get("next")), code=303)
        flash(_("Adresse courriel ou mot de passe incorrect."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Log out, ending every session of the account (a copied cookie no longer opens
    anything), and go back to the login page."""
    if current_user.is_authenticated:
        end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"), code=303)


@bp.route("/welcome", methods=["GET", "POST"])
@login_required
def welcome():
    """Finish the first login: name, real email, own password and the blog's time zone."""
    user = current_user._get_current_object()
    form = WelcomeForm(data={"email": "" if user.email == FIRST_ACCOUNT_EMAIL else user.email,
                             "name": user.name, "timezone": blog_timezone()})
    if form.validate_on_submit():
        try:
            complete_welcome(user, name=form.name.data, email=form.email.data,
                             password=form.new.data, timezone=form.timezone.data)
        except AccountError as error:
            db.session.rollback()
            form.populate_errors(error.errors)
        else:
            db.session.commit()
            login_user(user)  # this session carries on; the others ended with the password
            flash(_("Bienvenue! Votre compte est prêt : connectez-vous désormais avec "
                    "%(email)s.", email=user.email), "success")
            return redirect(url_for("review.dashboard"), code=303)
    return render_template("auth/welcome.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Let the blogger change their name, email, language and the blog's time zone."""
    user = current_user._get_current_object()
    form = AccountForm(obj=user, data={"timezone": blog_timezone()})
    if form.validate_on_submit():
        try:
            update_account(user, name=form.name.data, email=form.email.data,
                           language=form.language.data, timezone=form.timezone.data)
        except AccountError as error:
            db.session.rollback()
            form.populate_errors(error.errors)
        else:
            db.session.commit()
            flash(_("Compte enregistré."), "success")
            return redirect(url_for("auth.account"), code=303)
    return render_template("auth/account.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Let the blogger replace their password."""
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("Le mot de passe actuel est incorrect."))
        else:
            user = current_user._get_current_object()
            change_password(user, form.new.data)
            db.session.commit()
            login_user(user)  # this session carries on; the others ended with the password
            flash(_("Mot de passe changé."), "success")
            return redirect(url_for("auth.account"), code=303)
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


# Werkzeug (through urllib) drops TAB, CR and LF while writing `Location`, and browsers also
# drop them, strip other control characters and spaces at the ends, and read `\` as `/`:
# `/<TAB>/evil.example` would arrive as `//evil.example`. A target holding a control character
# or a backslash is refused rather than cleaned (a leading space fails the leading `/`), so what
# is checked is exactly what the browser follows; `///host` is a host to a browser too.
UNSAFE_IN_TARGET = re.compile(r"[\x00-\x1f\x7f\\]")


def safe_next(target: str | None) -> str:
    """Return a path on this site to go to after a form: the target when it is one, else the
    dashboard (never another host, never a header Werkzeug would refuse)."""
    if (target and target.startswith("/") and not target.startswith("//")
            and not UNSAFE_IN_TARGET.search(target)):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/"):
            return target
    return url_for("review.dashboard")

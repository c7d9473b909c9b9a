"""The dashboard: counts per state and the review queue."""

from flask import render_template

from intake.review import bp


@bp.get("/")
def dashboard():
    """Show the counts per state and the review queue."""
    return render_template("review/dashboard.html")

"""The invitee's pages, reached through the tokenised link."""

from flask import Blueprint

bp = Blueprint("respond", __name__, url_prefix="/r")

"""The questionnaire page written once per shape, then filled in for each person.

Most of the page is the same for everybody who shares its shape: the language, typography
and register, the series' title and questions, and the few facts that switch a part on or
off (a note from the blogger, requested changes, which photos are stored, whether it was
saved, the consent box). The person's own values (their link, name, answers, captions,
photo sizes, page version, counts, form token) go into slots.

A page of a new shape is rendered once by Jinja with a marker in every slot (a word between
two copies of a random per-process nonce, which no typed text can guess) and cut at the
markers; each later page of that shape joins the fixed parts with its values, escaped as
Jinja escapes them. Everything the template reads outside a slot is in the shape's key,
taken from the values themselves, so an edit to a question or a note makes a new shape and
nothing needs to be invalidated. A page with messages, a posted form shown again, a pending
flashed message or a signed-in blogger is rendered by Jinja every time.
"""

import re
import secrets
from dataclasses import replace
from typing import NamedTuple

from flask import render_template, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from intake.kept import Kept
from intake.respond.page_fields import PageForm
from intake.respond.page_text import text_key

TEMPLATE = "respond/questionnaire.html"
NONCE = secrets.token_hex(8)
_SLOT = re.compile(f"{NONCE}([a-z0-9_]+?){NONCE}")
_SHAPES = Kept(256)  # about 30 KB each; people of one series share a handful of shapes
UNSLOTTED_FIELDS = ("FileField", "BooleanField")  # no value shown, or one the key holds


class ShownPhoto(NamedTuple):
    """What the page shows of a stored photo: its version in the address, its size."""

    version: str
    width: int
    height: int


def shown_photo(photo) -> ShownPhoto | None:
    """Return what the page shows of a stored photo (None when there is none)."""
    return ShownPhoto(photo.sha256[:12], photo.width, photo.height) if photo else None


def slot(name: str) -> str:
    """Return the marker of a slot in the page written once per shape."""
    return f"{NONCE}{name}{NONCE}"


def questionnaire_html(context: dict) -> str:
    """Return the questionnaire page for a render context; a page of a new shape is written
    once by Jinja and kept (per process), later ones are filled in."""
    key = shape_key(context)
    if key is None:
        return render_template(TEMPLATE, **context)
    pieces = _SHAPES.get(key)
    if pieces is None:
        pieces = _SHAPES.keep(key, _SLOT.split(render_template(TEMPLATE, **probe(context))))
    return fill(pieces, slot_values(context))


def fill(pieces: list[str], values: dict) -> str:
    """Join a shape's fixed parts (even places) with the escaped values of its slots (odd)."""
    filled = pieces.copy()
    for place in range(1, len(filled), 2):
        filled[place] = escape(values[filled[place]])
    return "".join(filled)


def shape_key(context: dict) -> tuple | None:
    """Return everything the page shows outside its slots, or None when it is not kept
    (messages, a posted form, a flashed message, a signed-in blogger)."""
    form, invitation, submission = context["form"], context["invitation"], context["submission"]
    if (not isinstance(form, PageForm) or context["message"] or context["summary_items"]
            or "_flashes" in session or current_user.is_authenticated):
        return None
    lang, series = invitation.language, invitation.questionnaire
    sections = tuple((section.key, section.title, tuple(
        (q.id, q.text(lang), q.help(lang), q.max_length, q.required) for q in section.questions))
        for section in context["sections"])
    return (text_key(), lang, series.title(lang), series.intro(lang), invitation.note,
            str(submission.state), submission.review_message, sections,
            tuple(kind for kind, photo in context["photos"].items() if photo),
            bool(context["saved_label"]), bool(form.consent.data), context["total"])


def field_slot(item) -> str | None:
    """Return the name of the slot a field's value goes into (None: not in a slot)."""
    return None if item.type in UNSLOTTED_FIELDS else f"field_{item.name}"


def slot_values(context: dict) -> dict:
    """Return the value of every slot of a page (see probe)."""
    values = {"token": context["token"], "name": context["person_name"],
              "answered": context["answered"], "saved": context["saved_label"],
              "csrf": generate_csrf()}
    for item in context["form"].fields.values():
        if name := field_slot(item):
            values[name] = "" if item.data is None else item.data
    for kind, photo in context["photos"].items():
        if photo:
            values.update({f"{kind}_{part}": value for part, value in photo._asdict().items()})
    return values


def probe(context: dict) -> dict:
    """Return the render context with a marker in every slot instead of the person's value."""
    form = context["form"]
    fields = [replace(item, data=slot(name)) if (name := field_slot(item)) else item
              for item in form.fields.values()]
    photos = {kind: ShownPhoto(*(slot(f"{kind}_{part}") for part in ShownPhoto._fields))
              if photo else None for kind, photo in context["photos"].items()}
    return {**context, "token": slot("token"), "person_name": slot("name"),
            "answered": slot("answered"), "saved_label": context["saved_label"] and slot("saved"),
            "csrf_token": lambda: slot("csrf"), "form": PageForm(fields), "photos": photos}

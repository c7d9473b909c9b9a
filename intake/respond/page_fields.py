"""The questionnaire page's fields as plain values, and their tags written in one pass.

A person opening their page needs no form: nothing is parsed. Building a WTForms form of ~50
fields and rendering each through its widgets was most of the page's time (profiled with
cProfile: binding the fields, then `html_params` and `Markup.format` per attribute). A GET
shows a PageForm of PageFields instead; a posted form shown again with its messages is the
WTForms form itself. The template reads the same attributes of both (id, name, type,
label.text, description, data, errors) and writes each tag with field_tag().

What a PageField shows besides its value (label, hint, attributes) depends only on the
language, typography, register and question, so its label and its block around the value are
written once per process and kept under that key (issue 19: ~4 ms a page instead of ~12).
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup, escape
from wtforms.fields.core import UnboundField

from intake.kept import Kept
from intake.models import Submission
from intake.questionnaire.handles import NETWORKS
from intake.questionnaire.structure import AskedQuestion, answer_field
from intake.respond.forms import QuestionnaireBase, question_hint, stored_values
from intake.respond.page_text import text_key


@dataclass(frozen=True, slots=True)
class Label:
    """A field's label text (the part of WTForms' Label the page reads)."""

    text: str


@dataclass(slots=True)
class PageField:
    """One field of the page with its stored value and its messages."""

    name: str
    type: str
    label: Label
    description: str = ""
    data: object = None
    errors: list = field(default_factory=list)
    text_key: tuple = ()  # what its label and hint depend on (see page_form)

    @property
    def id(self) -> str:
        """Return the element id (the field's name, as WTForms does)."""
        return self.name


class PageForm:
    """The fields of a person's page by name, as a form shows them (form[name], form.name)."""

    def __init__(self, fields: list[PageField]):
        self.fields = {item.name: item for item in fields}

    def __getitem__(self, name: str) -> PageField:
        return self.fields[name]

    def __contains__(self, name: str) -> bool:
        return name in self.fields

    def __getattr__(self, name: str) -> PageField:
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(name) from None

    def populate_errors(self, errors: dict) -> None:
        """Put each message on the field it names; names the page does not have are ignored."""
        for name, message in errors.items():
            if name in self.fields:
                self.fields[name].errors = [message]


def _base_fields() -> list[tuple[str, str, object, object]]:
    """Return (name, type, label, description) of the page's fixed fields, in their order."""
    unbound = [(name, value) for name, value in vars(QuestionnaireBase).items()
               if isinstance(value, UnboundField)]
    unbound.sort(key=lambda item: item[1].creation_counter)
    return [(name, value.field_class.__name__, value.kwargs.get("label", value.args[0]
                                                                 if value.args else ""),
             value.kwargs.get("description", "")) for name, value in unbound]


BASE_FIELDS = _base_fields()


# The page's labels and hints by text key (page_text.text_key()) and question: lazy strings
# and hints translate once per process, not at every page.
_LABELS = Kept(4096)  # (Label, hint) by key


def page_form(submission: Submission, questions: list[AskedQuestion]) -> PageForm:
    """Return the fields of a person's page filled with what is stored (no request read)."""
    values = stored_values(submission)
    lang = submission.invitation.language
    text = text_key()
    fields = [_page_field(name, kind, (text, name), label, description, values)
              for name, kind, label, description in BASE_FIELDS]
    fields += [_page_field(answer_field(q.id), "TextAreaField",
                           (text, q.id, q.text(lang), q.help(lang), q.max_length),
                           lambda q=q: q.text(lang), lambda q=q: question_hint(q, lang), values)
               for q in questions]
    fields += [_page_field(f"link_{network}", "StringField", (text, network), label, "", values)
               for network, label in NETWORKS.items()]
    return PageForm(fields)


def _page_field(name: str, kind: str, key: tuple, label, description,
                values: dict) -> PageField:
    """Return a PageField with its stored value, its label and hint translated once and kept
    under `key` (text_key() and whatever else they depend on); `label` and `description`
    may be lazy strings or callables."""
    found = _LABELS.get(key)
    if found is None:
        found = _LABELS.keep(key, (Label(str(label() if callable(label) else label)),
                                   str(description() if callable(description) else description)))
    return PageField(name, kind, found[0], found[1], values.get(name), text_key=key)


def _params(attrs: dict) -> str:
    """Return HTML attributes, sorted by name as WTForms writes them (True: a bare name;
    False and None: left out); values escaped."""
    parts = []
    for name in sorted(attrs):
        value = attrs[name]
        if value is True:
            parts.append(name)
        elif value is not False and value is not None:
            parts.append(f'{name}="{escape(value)}"')
    return " ".join(parts)


def field_tag(item, **attrs) -> Markup:
    """Return the <input> or <textarea> of a field (a PageField or a WTForms field)."""
    data = "" if item.data is None else item.data
    return Markup(_tag(item, escape(data), attrs))


def _tag(item, data: str, attrs: dict) -> str:
    """Return a field's tag with `data` (already escaped) as its value."""
    attrs["id"], attrs["name"] = item.id, item.name
    if item.type == "TextAreaField":
        return f"<textarea {_params(attrs)}>\r\n{data}</textarea>"
    if item.type == "FileField":
        attrs["type"] = "file"
    else:
        attrs["type"], attrs["value"] = "text", Markup(data)
    return f"<input {_params(attrs)}>"


def checkbox_tag(item, **attrs) -> Markup:
    """Return the <input type="checkbox"> of a yes/no field, checked when its data is true."""
    attrs.update(id=item.id, name=item.name, type="checkbox", value="y", checked=bool(item.data))
    return Markup(f"<input {_params(attrs)}>")


# A PageField's block around its value, by everything else it shows (its text_key: language,
# convention, register, label and hint; the attributes): the same questions in the same
# language and register write the same blocks, so each is written once per process. Blocks
# with messages, and a posted form's, are not kept.
_BLOCKS = Kept(4096)  # (before, after) the value, by key
_VALUE = "\x00"  # where the value goes; escape() leaves it as it is


def field_block(item, max_length: int | None = None, required: bool = False,
                rows: int | None = None, **attrs) -> Markup:
    """Return a field's whole block: label, hint, a message slot the autosave fills, the tag,
    a counter; written in Python (a Jinja macro per field cost more than the rest), its fixed
    parts kept in a per-process cache."""
    data = "" if item.data is None or item.type == "FileField" else item.data
    if item.errors or not getattr(item, "text_key", None):  # a posted form's field
        return Markup(_block(item, escape(data), max_length, required, rows, attrs))
    key = (item.text_key, max_length, required, rows, *sorted(attrs.items()))
    parts = _BLOCKS.get(key)
    if parts is None:
        before, _value, after = _block(item, _VALUE, max_length, required, rows,
                                       attrs).partition(_VALUE)
        parts = _BLOCKS.keep(key, (before, after))
    return Markup(f"{parts[0]}{escape(data)}{parts[1]}")


def _block(item, data: str, max_length: int | None, required: bool, rows: int | None,
           attrs: dict) -> str:
    """Return a field's block with `data` (already escaped) as its value."""
    field_id = escape(item.id)
    description = str(item.description or "")  # lazy strings translate once, here
    described = (f"{item.id}-hint " if description else "") + f"{item.id}-error"
    if max_length:
        attrs["data-max-length"] = max_length
        described += f" {item.id}-counter"
    attrs["aria-describedby"] = described
    attrs["aria-invalid"] = "true" if item.errors else "false"
    if rows:
        attrs["rows"] = rows
    mark = ""
    if required:
        label = escape(_("(obligatoire)"))  # outside the f-string: pybabel finds it here
        mark = f' <span class="required">{label}</span>'
    hint = (f'<p class="hint" id="{field_id}-hint">{escape(description)}</p>'
            if description else "")
    errors = escape(" ".join(str(message) for message in item.errors))
    counter = f'<p class="counter" id="{field_id}-counter" hidden></p>' if max_length else ""
    return (
        f'<div class="field{" field-error" if item.errors else ""}" data-field="{field_id}">\n'
        f'  <label for="{field_id}">{escape(str(item.label.text))}{mark}</label>\n'
        f"  {hint}\n"
        f'  <p class="error-message" id="{field_id}-error"{"" if item.errors else " hidden"}>'
        f"{errors}</p>\n"
        f"  {_tag(item, data, attrs)}\n  {counter}\n</div>")


def question_blocks(form, questions: list[AskedQuestion]) -> Markup:
    """Return the blocks of a section's answers (short answers get 3 rows, others 6), laid
    out as the template's loop wrote them; one call instead of one per question."""
    blocks = (field_block(form[answer_field(q.id)], q.max_length, q.required,
                          3 if (q.max_length or 3000) <= 300 else 6, **{"data-answer": True})
              for q in questions)
    return Markup("".join(f"\n      \n      {block}\n      " for block in blocks))

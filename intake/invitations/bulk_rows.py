"""One person of a bulk list: the row, its cleaning and its checks (no database)."""

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from intake.invitations.operations import EXTRA_QUESTION_MAX_LENGTH, MAX_EXTRA_QUESTIONS
from intake.mail.addresses import MailError, checked_address, one_line
from intake.text import clean_text

MAX_CELL_LENGTH = 5_000
# The invitation form's limits (intake/review/invitation_forms.py).
NAME_MAX_LENGTH = ORGANISATION_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 2_000
DEFAULT_LANGUAGE = "fr"
LANGUAGE_WORDS = {"fr": "fr", "fra": "fr", "fre": "fr", "francais": "fr", "french": "fr",
                  "francophone": "fr", "en": "en", "eng": "en", "anglais": "en",
                  "english": "en", "anglophone": "en"}
LANGUAGE_TAG = re.compile(r"(fr|en)(?:[-_ ][a-z]{2})?")
QUESTION_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]|\s\|\s")
BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


class RowStatus(StrEnum):
    """What the preview says of a row: ready, or its first problem (in column order)."""

    READY = "ready"
    MISSING_NAME = "missing_name"
    TOO_LONG = "too_long"
    INVALID_ADDRESS = "invalid_address"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    DUPLICATE_OPEN = "duplicate_open"
    UNKNOWN_LANGUAGE = "unknown_language"
    TOO_MANY_QUESTIONS = "too_many_questions"
    QUESTION_TOO_LONG = "question_too_long"

    @property
    def label(self):
        """Return the short label of the status, for the preview table."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    RowStatus.READY: _l("Prête"),
    RowStatus.MISSING_NAME: _l("Nom manquant"),
    RowStatus.TOO_LONG: _l("Trop long"),
    RowStatus.INVALID_ADDRESS: _l("Adresse non valide"),
    RowStatus.DUPLICATE_IN_FILE: _l("En double dans la liste"),
    RowStatus.DUPLICATE_OPEN: _l("Déjà invitée"),
    RowStatus.UNKNOWN_LANGUAGE: _l("Langue inconnue"),
    RowStatus.TOO_MANY_QUESTIONS: _l("Trop de questions"),
    RowStatus.QUESTION_TOO_LONG: _l("Question trop longue"),
}


@dataclass
class BulkRow:
    """One person of the list; `number` is its row in the spreadsheet (the header is row 1).

    `language` is "fr" or "en", or the text typed when it is unknown; `email` is normalised
    when valid. `reasons` says every problem in words; `status` names the first one.
    """

    number: int
    name: str = ""
    email: str = ""
    organisation: str = ""
    language: str = DEFAULT_LANGUAGE
    note: str = ""
    extra_questions: list[str] = field(default_factory=list)
    status: RowStatus = RowStatus.READY
    reasons: list = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """Say whether the row can be sent as it is."""
        return self.status == RowStatus.READY


def check_rows(rows: list[BulkRow], invited: Collection[str] = frozenset()) -> list[BulkRow]:
    """Return every row checked again, in order: an address seen above is a duplicate; pure."""
    earlier: dict[str, int] = {}
    checked = []
    for row in rows:
        row = recheck(row, invited, earlier)
        address = valid_address(row.email)
        if address:
            earlier.setdefault(address_key(address), row.number)
        checked.append(row)
    return checked


def recheck(row: BulkRow, invited: Collection[str] = frozenset(),
            earlier: Mapping[str, int] | None = None) -> BulkRow:
    """Return the row cleaned and checked again, e.g. after the blogger fixed it; pure.

    `invited` holds the address_key() of open invitations; `earlier` maps the keys of the rows
    above to their number (duplicates within the list).
    """
    typed_language = clean_line(row.language)
    language = language_code(typed_language)
    row = replace(row, name=clean_line(row.name), organisation=clean_line(row.organisation),
                  email=clean_line(row.email), note=clean_note(row.note),
                  language=language or typed_language,
                  extra_questions=[q for q in map(clean_line, row.extra_questions) if q])
    problems = []
    if not row.name:
        problems.append((RowStatus.MISSING_NAME, _l("Le nom manque.")))
    elif len(row.name) > NAME_MAX_LENGTH:
        problems.append((RowStatus.TOO_LONG, _l("Le nom dépasse %(limit)s caractères.",
                                                limit=NAME_MAX_LENGTH)))
    address = valid_address(row.email)
    if not row.email:
        problems.append((RowStatus.INVALID_ADDRESS, _l("L’adresse courriel manque.")))
    elif not address:
        problems.append((RowStatus.INVALID_ADDRESS, _l(
            "« %(address)s » n’est pas une adresse courriel valide.", address=row.email)))
    else:
        row.email = address
        first = (earlier or {}).get(address_key(address))
        if first is not None:
            problems.append((RowStatus.DUPLICATE_IN_FILE, _l(
                "Même adresse qu’à la ligne %(row)s : une seule invitation par personne.",
                row=first)))
        if address_key(address) in invited:
            problems.append((RowStatus.DUPLICATE_OPEN, _l(
                "Une invitation est déjà en cours pour cette adresse.")))
    if len(row.organisation) > ORGANISATION_MAX_LENGTH:
        problems.append((RowStatus.TOO_LONG, _l("L’organisation dépasse %(limit)s caractères.",
                                                limit=ORGANISATION_MAX_LENGTH)))
    if not language:
        problems.append((RowStatus.UNKNOWN_LANGUAGE, _l(
            "Langue inconnue : « %(value)s ». Écrivez fr ou en.", value=typed_language)))
    if len(row.note) > NOTE_MAX_LENGTH:
        problems.append((RowStatus.TOO_LONG, _l("Le mot personnel dépasse %(limit)s caractères.",
                                                limit=NOTE_MAX_LENGTH)))
    if len(row.extra_questions) > MAX_EXTRA_QUESTIONS:
        problems.append((RowStatus.TOO_MANY_QUESTIONS, _l(
            "%(count)s questions supplémentaires : %(limit)s au plus.",
            count=len(row.extra_questions), limit=MAX_EXTRA_QUESTIONS)))
    for number, question in enumerate(row.extra_questions, start=1):
        if len(question) > EXTRA_QUESTION_MAX_LENGTH:
            problems.append((RowStatus.QUESTION_TOO_LONG, _l(
                "La question supplémentaire %(number)s compte %(length)s caractères : "
                "%(limit)s au plus.", number=number, length=len(question),
                limit=EXTRA_QUESTION_MAX_LENGTH)))
    status = problems[0][0] if problems else RowStatus.READY
    return replace(row, status=status, reasons=[reason for _, reason in problems])


def address_key(address: str) -> str:
    """Return the key two addresses share when they reach the same person (case ignored)."""
    return address.strip().casefold()


@lru_cache(maxsize=4096)
def valid_address(text: str) -> str | None:
    """Return the normalised address, or None when the text is not an email address."""
    if not text:
        return None
    try:
        return checked_address(text)
    except MailError:
        return None


def language_code(text: str) -> str | None:
    """Return "fr" or "en" for a language as typed (empty means French), else None."""
    if not text:
        return DEFAULT_LANGUAGE
    tag = LANGUAGE_TAG.fullmatch(text.casefold())
    return tag.group(1) if tag else LANGUAGE_WORDS.get(simple_key(text))


def split_questions(text: str) -> list[str]:
    """Return the questions of a cell, one per line or separated by « | », cleaned."""
    return [question for question in map(clean_line, QUESTION_BREAKS.split(text or ""))
            if question]


def clean_line(text: str) -> str:
    """Return a typed cell on one line, cleaned (intake/text.py), without runs of spaces."""
    return one_line(text, MAX_CELL_LENGTH)


def clean_note(text: str) -> str:
    """Return a typed note cleaned (intake/text.py), its lines without trailing blanks."""
    lines = clean_text(text, multiline=True).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def simple_key(text: str) -> str:
    """Return text as unaccented lower-case letters and digits, brackets dropped."""
    decomposed = unicodedata.normalize("NFKD", BRACKETS.sub("", text).casefold())
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())

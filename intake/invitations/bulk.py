"""Bulk invitations: read an uploaded or pasted list of people and check each row (no database).

A list is a CSV file (UTF-8 with or without BOM, or Windows-1252 from Excel) or text pasted
from a spreadsheet, with `;`, `,` or tabs between cells and a header row naming the columns in
French or English. Names, notes and questions stay plain text: templates escape them.
"""

import csv
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from itertools import islice

from flask_babel import lazy_gettext as _l

from intake.invitations.bulk_rows import (
    MAX_CELL_LENGTH,
    BulkRow,
    RowStatus,
    address_key,
    check_rows,
    clean_line,
    recheck,
    simple_key,
    split_questions,
)

__all__ = ["BulkList", "BulkListError", "BulkRow", "RowStatus", "address_key", "read_list",
           "recheck"]

MAX_FILE_BYTES = 1_000_000
MAX_ROWS = 2_000
DELIMITERS = (";", ",", "\t")
SAMPLE_ROWS = 6  # header and five rows: enough to confirm a delimiter

# Header cells, reduced by simple_key(), and the field each one names.
COLUMNS = {
    "name": ("nom", "name", "nomcomplet", "fullname", "nometprenom", "prenometnom", "prenomnom",
             "nomprenom", "personne", "person", "invite", "invitee"),
    "first_name": ("prenom", "firstname", "givenname"),
    "last_name": ("nomdefamille", "lastname", "surname", "familyname"),
    "email": ("courriel", "adressecourriel", "adressedecourriel", "email", "emailaddress",
              "adresseemail", "adressemail", "adresseelectronique", "mail", "mel"),
    "organisation": ("organisation", "organization", "entreprise", "marque", "organisme",
                     "compagnie", "societe", "company", "brand", "employeur", "employer",
                     "affiliation", "organisationoumarque", "organizationorbrand",
                     "organisationorbrand"),
    "language": ("langue", "language", "lang", "langage"),
    "note": ("motpersonnel", "note", "notepersonnelle", "message", "messagepersonnel",
             "personalnote", "personalmessage"),
    "extra_questions": ("questions", "question", "questionssupplementaires",
                        "questionsupplementaire", "extraquestions", "extraquestion",
                        "additionalquestions", "questionsadditionnelles", "autresquestions",
                        "questionspourcettepersonneseulement", "questionsforthispersononly"),
}
FIELD_OF_HEADER = {key: name for name, keys in COLUMNS.items() for key in keys}
SEP_LINE = re.compile(r"\A[ \t]*sep=([;,\t|])[ \t]*(?:\r\n|\r|\n)", re.IGNORECASE)
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx/.ods (zip), .xls (OLE)
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")


class BulkListError(Exception):
    """A list refused as a whole; `.code` says why, `.message` says it in words."""

    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message


@dataclass
class BulkList:
    """A checked list: its rows, notices about the file, the columns it ignored."""

    rows: list[BulkRow]
    notices: list = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    encoding: str | None = None  # "utf-8", "utf-8-sig", "cp1252"; None for pasted text
    delimiter: str = ","

    def ready_rows(self) -> list[BulkRow]:
        """Return the rows that can be sent."""
        return [row for row in self.rows if row.ready]

    def fix(self, row: BulkRow, invited: Collection[str] = frozenset()) -> BulkRow:
        """Put an edited row in place of the one with its number, re-check all rows in place."""
        numbers = [old.number for old in self.rows]
        if row.number not in numbers:
            raise KeyError(row.number)
        self.rows[numbers.index(row.number)] = row
        self.rows = check_rows(self.rows, invited)
        return self.rows[numbers.index(row.number)]

    def drop(self, number: int, invited: Collection[str] = frozenset()) -> None:
        """Remove the row with this number and re-check the others in place."""
        self.rows = check_rows([row for row in self.rows if row.number != number], invited)


def read_list(data: bytes | str, invited: Collection[str] = frozenset()) -> BulkList:
    """Read an uploaded file (bytes) or pasted text and check every row; pure.

    `invited` holds the address_key() of every open invitation. Raises BulkListError, with a
    sentence, when the list cannot be read at all.
    """
    text, encoding = decode(data)
    if not text.strip():
        raise BulkListError("empty", _l("La liste est vide."))
    notices = [_l("Ce fichier était en Windows-1252 (Excel) : il a été lu ainsi; vérifiez "
                  "les accents.")] if encoding == "cp1252" else []
    given = SEP_LINE.match(text)
    if given:
        text, delimiter = text[given.end():], given.group(1)
    else:
        delimiter = detect_delimiter(text)
    try:
        records = enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
        header_number, header = next(((n, cells) for n, cells in records if any_text(cells)),
                                     (0, []))
        columns, unknown, column_notices = map_header(header)
        rows, wide = [], []
        for number, cells in records:
            if not any_text(cells):
                continue
            if len(rows) == MAX_ROWS:
                raise BulkListError("too_many_rows", _l(
                    "Cette liste compte plus de %(limit)s personnes : découpez-la en plusieurs "
                    "fichiers.", limit=MAX_ROWS))
            for index, cell in enumerate(cells):
                if len(cell) > MAX_CELL_LENGTH:
                    column = header[index] if index < len(header) else str(index + 1)
                    raise BulkListError("cell_too_long", _l(
                        "Ligne %(row)s, colonne « %(column)s » : la cellule dépasse "
                        "%(limit)s caractères (un guillemet mal fermé, peut-être).",
                        row=number, column=clean_line(column), limit=MAX_CELL_LENGTH))
            if any_text(cells[len(header):]):
                wide.append(number)
            rows.append(row_from_cells(number, cells, columns))
    except csv.Error as error:
        raise BulkListError("unreadable", _l(
            "Ce fichier n’a pas pu être lu : une cellule est beaucoup trop longue (un guillemet "
            "mal fermé, peut-être).")) from error
    if header_number and not rows:
        raise BulkListError("no_rows", _l("La liste ne contient que la ligne des colonnes."))
    notices += column_notices
    if unknown:
        notices.append(_l("Colonnes ignorées (inconnues) : %(columns)s.",
                          columns=", ".join(f"« {name} »" for name in unknown)))
    if wide:
        shown = ", ".join(map(str, wide[:10])) + (", …" if len(wide) > 10 else "")
        notices.append(_l("Plus de cellules que de colonnes (cellules en trop ignorées), "
                          "lignes : %(rows)s.", rows=shown))
    return BulkList(check_rows(rows, invited), notices, unknown, encoding, delimiter)


def decode(data: bytes | str) -> tuple[str, str | None]:
    """Return the text of an upload and the encoding it was read in; refuse what is not text."""
    if isinstance(data, str):
        if len(data) > MAX_FILE_BYTES:
            raise too_big()
        return data.removeprefix("\ufeff"), None
    if len(data) > MAX_FILE_BYTES:
        raise too_big()
    if data.startswith(WORKBOOK_MAGIC):
        raise BulkListError("workbook", _l(
            "Ceci est un classeur (Excel ou LibreOffice), pas un fichier CSV : enregistrez-le "
            "au format « CSV UTF-8 », puis recommencez."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data.count(b"\x00") * 4 > len(data):
        raise BulkListError("utf16", _l(
            "Ce fichier est en UTF-16 (« Texte Unicode » d’Excel) : enregistrez-le au format "
            "« CSV UTF-8 », puis recommencez."))
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        pass
    if encoding == "utf-8" and not BINARY_BYTES.search(data):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    raise BulkListError("encoding", _l(
        "Ce fichier n’est ni en UTF-8 ni en Windows-1252 : enregistrez-le au format « CSV "
        "UTF-8 », puis recommencez."))


def too_big() -> BulkListError:
    """Return the refusal of a file over the size limit."""
    return BulkListError("too_big", _l(
        "Ce fichier dépasse %(size)s Mo : découpez la liste en plusieurs fichiers.",
        size=MAX_FILE_BYTES // 1_000_000))


def detect_delimiter(text: str) -> str:
    """Return `;`, `,` or tab: counted on the header line, confirmed on the first rows."""
    counts = header_counts(text)
    candidates = [delimiter for delimiter in DELIMITERS if counts[delimiter]]
    if len(candidates) < 2:
        return candidates[0] if candidates else ","

    def score(delimiter: str) -> tuple[int, int, int]:
        sample = [cells for cells in islice(csv.reader(
            io.StringIO(text, newline=""), delimiter=delimiter), SAMPLE_ROWS * 3)
            if any_text(cells)][:SAMPLE_ROWS]
        header = sample[0] if sample else []
        known = sum(simple_key(cell) in FIELD_OF_HEADER for cell in header)
        even = sum(len(cells) == len(header) for cells in sample[1:])
        return known, even, counts[delimiter]

    try:
        return max(candidates, key=score)
    except csv.Error:
        return max(candidates, key=counts.__getitem__)


def header_counts(text: str) -> dict[str, int]:
    """Count each delimiter outside quotes on the first line holding any text."""
    counts, has_text, quoted = dict.fromkeys(DELIMITERS, 0), False, False
    for char in islice(text, MAX_CELL_LENGTH * 4):
        if char == '"':
            quoted, has_text = not quoted, True
        elif quoted:
            continue
        elif char in "\r\n":
            if has_text:
                break
            counts = dict.fromkeys(DELIMITERS, 0)
        elif char in counts:
            counts[char] += 1
        elif not char.isspace():
            has_text = True
    return counts


def map_header(header: list[str]) -> tuple[dict[str, int], list[str], list]:
    """Return field → column index, the unknown column names, and notices on repeated ones."""
    columns: dict[str, int] = {}
    unknown: list[str] = []
    notices = []
    for index, cell in enumerate(header):
        name = clean_line(cell)[:100]
        found = FIELD_OF_HEADER.get(simple_key(cell))
        if found in columns:
            notices.append(_l("La colonne « %(column)s » répète « %(first)s » : seule la "
                              "première est lue.", column=name,
                              first=clean_line(header[columns[found]])))
        elif found:
            columns[found] = index
        elif name:
            unknown.append(name)
    if not columns:
        raise BulkListError("no_header", _l(
            "La première ligne doit nommer les colonnes : Nom et Courriel, et au besoin "
            "Organisation, Langue, Mot personnel, Questions."))
    if not {"name", "first_name", "last_name"} & columns.keys():
        raise BulkListError("no_name_column", _l(
            "La première ligne ne nomme aucune colonne de nom (Nom, ou Prénom et Nom) : "
            "ajoutez-en une."))
    if "email" not in columns:
        raise BulkListError("no_email_column", _l(
            "La première ligne ne nomme aucune colonne d’adresse (Courriel ou Email) : "
            "ajoutez-en une."))
    return columns, unknown, notices


def row_from_cells(number: int, cells: list[str], columns: Mapping[str, int]) -> BulkRow:
    """Return the row of a record, its cells picked by column (checked later)."""
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    name = " ".join(part for part in (clean_line(cell(key)) for key in
                                      ("first_name", "name", "last_name")) if part)
    return BulkRow(number, name=name, email=cell("email"), organisation=cell("organisation"),
                   language=cell("language"), note=cell("note"),
                   extra_questions=split_questions(cell("extra_questions")))


def any_text(cells: list[str]) -> bool:
    """Say whether a record holds anything but blanks."""
    return any(cell.strip() for cell in cells)

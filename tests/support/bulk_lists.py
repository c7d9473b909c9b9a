"""The bulk lists the tests send: real CSV bytes as Excel and people write them."""

import re
from contextlib import contextmanager
from html import unescape
from html.parser import HTMLParser

from sqlalchemy import select

from intake.extensions import db
from intake.models import Invitation

# Excel's « CSV UTF-8 »: a BOM, `;` (French-Canadian Excel), CRLF.
UTF8_BOM = b"\xef\xbb\xbf" + (
    "Nom;Courriel;Organisation;Langue;Mot personnel;Questions\r\n"
    "Hélène Côté;helene@example.org;Ville de Québec;fr;On s’est vues au colloque.;"
    "Ton meilleur coup?\r\n"
    "Ève Lévesque;eve@example.org;;en;;\r\n").encode()
# A plain `;` list without BOM, the columns in English.
SEMICOLONS = ("Name;Email;Organization;Language\n"
              "Zoé Gagnon;zoe@example.org;Coop Nord;français\n"
              "Sam Lee;sam@example.org;Lee & Partners;English\n").encode()
# Excel's plain « CSV » on Windows: Windows-1252, accents included.
CP1252 = ("Nom;Courriel;Organisation\r\n"
          "François Bélanger;francois@example.org;Café Crème\r\n"
          "Noémie Pâquet;noemie@example.org;Théâtre Œil\r\n").encode("cp1252")
# Five kinds of bad row around two good ones (row 6 repeats an open invitation's address).
BAD_ROWS = ("Nom,Courriel,Langue\n"
            "Prête Un,pret1@example.org,fr\n"            # 2 ready
            ",sans-nom@example.org,fr\n"                 # 3 missing name
            "Adresse Brisée,pas-une-adresse,fr\n"         # 4 invalid address
            "Prête Un Bis,PRET1@example.org,fr\n"         # 5 duplicate within the file
            "Déjà Là,deja@example.org,fr\n"               # 6 duplicate of an open invitation
            "Langue Inconnue,langue@example.org,klingon\n"  # 7 unknown language
            "Prête Deux,pret2@example.org,en\n").encode()  # 8 ready

READY_ADDRESSES = {
    "utf8-bom.csv": {"helene@example.org", "eve@example.org"},
    "semicolons.csv": {"zoe@example.org", "sam@example.org"},
    "cp1252.csv": {"francois@example.org", "noemie@example.org"},
    "bad-rows.csv": {"pret1@example.org", "pret2@example.org"},
}
FILES = {"utf8-bom.csv": UTF8_BOM, "semicolons.csv": SEMICOLONS, "cp1252.csv": CP1252,
         "bad-rows.csv": BAD_ROWS}


def invited_addresses(series=None) -> set[str]:
    """Return the addresses invited (to one series when given)."""
    query = select(Invitation.email)
    if series is not None:
        query = query.where(Invitation.questionnaire_id == series.id)
    db.session.expire_all()
    return set(db.session.scalars(query))


@contextmanager
def refusing_inserts_for(address: str):
    """Make the database itself refuse any invitation to one address (a real failure in the
    middle of a list), on SQLite or PostgreSQL, for the block; commits."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(db.text(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON invitations "
            f"WHEN NEW.email = '{address}' BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    else:
        db.session.execute(db.text(
            "CREATE OR REPLACE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF NEW.email = '{address}' THEN RAISE EXCEPTION 'refused'; END IF; "
            "RETURN NEW; END $$"))
        db.session.execute(db.text(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON invitations "
            "FOR EACH ROW EXECUTE FUNCTION refuse_one()"))
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        if db.engine.dialect.name == "sqlite":
            db.session.execute(db.text("DROP TRIGGER IF EXISTS refuse_one"))
        else:
            db.session.execute(db.text("DROP TRIGGER IF EXISTS refuse_one ON invitations"))
            db.session.execute(db.text("DROP FUNCTION IF EXISTS refuse_one()"))
        db.session.commit()


class _FormFields(HTMLParser):
    """Collect what a browser would send from a page's forms: inputs and text areas."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") not in (
                "submit", "file", "checkbox", "radio"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str) -> dict[str, str]:
    """Return the named inputs and text areas of a page with their values (one each)."""
    parser = _FormFields()
    parser.feed(html)
    fields = parser.fields
    for name, value in fields.items():  # a browser drops the newline after <textarea>
        fields[name] = value[1:] if value.startswith("\n") else value
    return fields


def row_statuses(html: str) -> list[tuple[int, str, str]]:
    """Return each previewed row as (number, status label, reasons in words)."""
    found = []
    for number, body in re.findall(r'<tr id="row-(\d+)"[^>]*>(.*?)</tr>', html, re.S):
        label = re.search(r'<span class="badge[^"]*">(.*?)</span>', body, re.S).group(1)
        reasons = re.findall(r"<li>(.*?)</li>", body.split("</td>")[0], re.S)
        found.append((int(number), unescape(label), " ".join(unescape(r) for r in reasons)))
    return found

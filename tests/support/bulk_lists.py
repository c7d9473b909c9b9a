"""The bulk lists the tests send: real CSV bytes as Excel and people write them."""

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


def refuse_inserts_for(address: str) -> None:
    """Make the database itself refuse any invitation to one address (a real failure in the
    middle of a list), on SQLite or PostgreSQL; commits."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(db.text(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON invitations "
            f"WHEN NEW.email = '{address}' BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    else:
        db.session.execute(db.text(
            "CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.email = '{address}' THEN RAISE EXCEPTION 'refused'; END IF; "
            "RETURN NEW; END $$"))
        db.session.execute(db.text(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON invitations "
            "FOR EACH ROW EXECUTE FUNCTION refuse_one()"))
    db.session.commit()

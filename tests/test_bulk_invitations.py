"""The blogger's bulk invitation pages: upload or paste, preview every row with its reason,
fix or drop rows, one message per language, send every ready row (one transaction each)."""

import io

import pytest

from intake.enums import MailKind
from intake.questionnaire.series import create_series
from tests.support.bulk_lists import (
    FILES,
    READY_ADDRESSES,
    form_fields,
    invited_addresses,
    refusing_inserts_for,
    row_statuses,
)
from tests.support.factories import as_sent, invite, outbox_rows

N = "\u00a0"
BAD_ROW_STATUSES = [
    (2, "Prête", ""),
    (3, "Nom manquant", "Le nom manque."),
    (4, "Adresse non valide", f"«{N}pas-une-adresse{N}» n’est pas une adresse courriel valide."),
    (5, "En double dans la liste",
     f"Même adresse qu’à la ligne 2{N}: une seule invitation par personne."),
    (6, "Déjà invitée", "Une invitation est déjà en cours pour cette adresse."),
    (7, "Langue inconnue", f"Langue inconnue{N}: «{N}klingon{N}». Écrivez fr ou en."),
    (8, "Prête", ""),
]


@pytest.fixture
def volunteers(app):
    """A second series, with an open invitation to deja@example.org."""
    series = create_series("Portrait de bénévole", "benevoles")
    invite("Déjà Là", "deja@example.org", series=series)
    return series


def upload(client, data: bytes, name: str = "liste.csv", series: str = "benevoles"):
    """Post a file to the bulk page; return the response."""
    return client.post("/admin/invitations/bulk", content_type="multipart/form-data",
                       data={"series": series, "upload": (io.BytesIO(data), name)})


def step(client, page: str, **values):
    """Post the preview form as a browser would, with some buttons or fields changed."""
    return client.post("/admin/invitations/bulk/rows", data={**form_fields(page), **values})


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_list_previews_right_and_sends_exactly_the_ready_rows(blogger_client, volunteers,
                                                                   name):
    preview = upload(blogger_client, FILES[name], name)
    page = preview.get_data(as_text=True)

    assert preview.status_code == 200
    statuses = row_statuses(page)
    ready = {n for n, label, _reasons in statuses if label == "Prête"}
    assert len(ready) == len(READY_ADDRESSES[name])
    if name == "bad-rows.csv":
        assert statuses == BAD_ROW_STATUSES
    if name == "cp1252.csv":
        assert "Ce fichier était en Windows-1252" in page
        assert "François Bélanger" in page and "Théâtre Œil" in page

    report = step(blogger_client, page, action="send")

    assert report.status_code == 200
    assert invited_addresses(volunteers) == READY_ADDRESSES[name] | {"deja@example.org"}
    assert {m.to_addr for m in outbox_rows(MailKind.INVITATION)} == (
        READY_ADDRESSES[name] | {"deja@example.org"})


def test_fix_a_row_and_drop_another_then_send(blogger_client, volunteers):
    page = upload(blogger_client, FILES["bad-rows.csv"]).get_data(as_text=True)

    editing = step(blogger_client, page, edit="4").get_data(as_text=True)
    fields = form_fields(editing)
    assert (fields["fixed"], fields["row-email"]) == ("4", "pas-une-adresse")
    fixed = step(blogger_client, editing, action="check",
                 **{"row-email": "adresse@example.org"}).get_data(as_text=True)
    dropped = step(blogger_client, fixed, drop="7").get_data(as_text=True)

    assert [(n, label) for n, label, _ in row_statuses(dropped)] == [
        (2, "Prête"), (3, "Nom manquant"), (4, "Prête"), (5, "En double dans la liste"),
        (6, "Déjà invitée"), (8, "Prête")]
    step(blogger_client, dropped, action="send")
    assert invited_addresses(volunteers) == {
        "pret1@example.org", "pret2@example.org", "adresse@example.org", "deja@example.org"}


def test_one_message_per_language_with_placeholders_reaches_each_person(blogger_client,
                                                                        volunteers):
    page = upload(blogger_client, FILES["utf8-bom.csv"]).get_data(as_text=True)
    fields = form_fields(page)
    assert "{mot_personnel}" in fields["body-fr"] and "{note}" in fields["body-en"]

    wrong = step(blogger_client, page, action="send", **{"body-fr": "Bonjour {nom} {prenom}"})
    assert wrong.status_code == 422
    assert "Champ inconnu, impossible à remplir" in wrong.get_data(as_text=True)
    assert invited_addresses(volunteers) == {"deja@example.org"}
    step(blogger_client, page, action="send",
         **{"subject-fr": "Un portrait pour {nom}?",
            "body-fr": "Bonjour {nom},\n\n{mot_personnel}\n\nTon lien : {lien}"})

    helene = next(m for m in outbox_rows(MailKind.INVITATION)
                  if m.to_addr == "helene@example.org")
    eve = next(m for m in outbox_rows(MailKind.INVITATION) if m.to_addr == "eve@example.org")
    assert helene.subject == "Un portrait pour Hélène Côté?"
    slot = f"[[lien:questionnaire:{helene.submission.invitation.id}]]"  # no working link stored
    assert helene.text_body == ("Bonjour Hélène Côté,\n\nOn s’est vues au colloque.\n\n"
                                f"Ton lien : {slot}")
    assert as_sent(helene)[0].startswith("Bonjour Hélène Côté,\n\nOn s’est vues au colloque.\n\n"
                                         "Ton lien : https://portraits.example.org/r/")
    assert as_sent(eve)[0].startswith("Hello Ève Lévesque,")
    assert "\n\n\n" not in eve.text_body  # no note: no gap where it would be


def test_a_failing_row_keeps_the_others_and_the_report_says_why(blogger_client, volunteers):
    page = upload(blogger_client, FILES["bad-rows.csv"]).get_data(as_text=True)

    with refusing_inserts_for("pret1@example.org"):
        report = step(blogger_client, page, action="send").get_data(as_text=True)

    assert invited_addresses(volunteers) == {"pret2@example.org", "deja@example.org"}
    assert "1 invitation créée" in report and "1 ligne en échec" in report
    assert ("Ligne 2 — Prête Un &lt;pret1@example.org&gt; : La base de données a refusé "
            "cette ligne") in report.replace(N, " ")


def test_pasted_cells_and_an_unreadable_file_are_said_in_words(blogger_client, volunteers):
    pasted = blogger_client.post("/admin/invitations/bulk", data={
        "series": "benevoles",
        "pasted": "Nom\tCourriel\nAline Tab\taline@example.org\n"}).get_data(as_text=True)
    workbook = upload(blogger_client, b"PK\x03\x04 not a csv", "liste.xlsx")

    assert row_statuses(pasted) == [(2, "Prête", "")]
    assert workbook.status_code == 422
    assert "Ceci est un classeur (Excel ou LibreOffice), pas un fichier CSV" in (
        workbook.get_data(as_text=True))


def test_hostile_cells_are_shown_as_text_and_kept_as_typed(blogger_client, volunteers):
    name = '<script>alert(1)</script> "Zoé"'
    note = '"><img src=x onerror=alert(2)></textarea>{lien}'
    data = ('Nom;Courriel;Mot personnel\n'
            f'"{name.replace(chr(34), chr(34) * 2)}";zoe@example.org;'
            f'"{note.replace(chr(34), chr(34) * 2)}"\n').encode()

    page = upload(blogger_client, data).get_data(as_text=True)

    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert row_statuses(page) == [(2, "Prête", "")]
    step(blogger_client, page, action="send")
    invitation = next(m for m in outbox_rows(MailKind.INVITATION)
                      if m.to_addr == "zoe@example.org").submission.invitation
    assert (invitation.name, invitation.note) == (name, note)

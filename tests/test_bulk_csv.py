"""Bulk invitations: reading real CSV files and pastes, and the check of every row."""

import pytest
from flask_babel import force_locale

from bench.bulk_csv import invited_keys, people_csv, preview
from intake.invitations.bulk import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    BulkListError,
    BulkRow,
    RowStatus,
    address_key,
    read_list,
    recheck,
)
from intake.invitations.bulk_rows import MAX_CELL_LENGTH

READY = RowStatus.READY
CP1252_NOTICE = ("Ce fichier était en Windows-1252 (Excel) : il a été lu ainsi; vérifiez "
                 "les accents.")


def values(bulk) -> list[tuple]:
    """Return each row as (number, name, email, organisation, language, note, questions)."""
    return [(row.number, row.name, row.email, row.organisation, row.language, row.note,
             row.extra_questions) for row in bulk.rows]


def verdicts(bulk) -> list[tuple]:
    """Return each row as (number, status, reasons in words)."""
    return [(row.number, row.status, [str(reason) for reason in row.reasons])
            for row in bulk.rows]


def refusal(data) -> tuple[str, str]:
    """Return the code and sentence of the refusal of a list."""
    with pytest.raises(BulkListError) as caught:
        read_list(data)
    return caught.value.code, str(caught.value.message)


def test_read_list_utf8_with_bom_from_excel_reads_first_column_and_accents():
    data = b"\xef\xbb\xbf" + ("Nom;Courriel;Organisation;Langue\r\n"
                              "Hélène Côté;helene@example.org;Ville de Québec;fr\r\n"
                              "Ève Lévesque;eve@example.org;;EN\r\n").encode()

    bulk = read_list(data)

    assert (bulk.encoding, bulk.delimiter, bulk.notices, bulk.unknown_columns) == (
        "utf-8-sig", ";", [], [])
    assert values(bulk) == [
        (2, "Hélène Côté", "helene@example.org", "Ville de Québec", "fr", "", []),
        (3, "Ève Lévesque", "eve@example.org", "", "en", "", []),
    ]
    assert [row.status for row in bulk.rows] == [READY, READY]


def test_read_list_semicolons_with_french_headers_maps_every_field():
    data = ("Nom complet;Adresse courriel;Entreprise;LANGUE;Mot personnel;"
            "Questions supplémentaires\r\n"
            "Camille Roy;camille@example.org;Atelier Nord, coop;français;"
            "\"On s’est croisées au colloque.\r\nÀ bientôt!\";"
            "\"Votre meilleur coup?\r\nEt la télé?\"\r\n"
            "Alex Smith;alex@example.org;;anglais;;Why? | How?\r\n").encode()

    bulk = read_list(data)

    assert (bulk.encoding, bulk.delimiter) == ("utf-8", ";")
    assert values(bulk) == [
        (2, "Camille Roy", "camille@example.org", "Atelier Nord, coop", "fr",
         "On s’est croisées au colloque.\nÀ bientôt!", ["Votre meilleur coup?", "Et la télé?"]),
        (3, "Alex Smith", "alex@example.org", "", "en", "", ["Why?", "How?"]),
    ]
    assert [row.status for row in bulk.rows] == [READY, READY]


def test_read_list_commas_with_english_headers_maps_every_field():
    data = ("Name,E-mail,Organization,Language,Note,Extra questions\n"
            "Sam Lee,sam@example.org,\"Lee; Partners\",English,\"Hi, Sam\",What next?\n"
            "Léa Roy,lea@example.org,,fr-CA,,\n"
            "Jo Tremblay,jo@example.org,,French,,\n").encode()

    bulk = read_list(data)

    assert bulk.delimiter == ","
    assert values(bulk) == [
        (2, "Sam Lee", "sam@example.org", "Lee; Partners", "en", "Hi, Sam", ["What next?"]),
        (3, "Léa Roy", "lea@example.org", "", "fr", "", []),
        (4, "Jo Tremblay", "jo@example.org", "", "fr", "", []),
    ]


def test_read_list_tab_paste_from_spreadsheet_joins_first_and_last_name():
    pasted = ("Prénom\tNom\tCourriel\tOrganisation\n"
              "Camille\tRoy\tcamille@example.org\tRoy, Côté; associés\n"
              "Marc\tGagnon\tmarc@example.org\t\n")

    bulk = read_list(pasted)

    assert (bulk.encoding, bulk.delimiter) == (None, "\t")
    assert values(bulk) == [
        (2, "Camille Roy", "camille@example.org", "Roy, Côté; associés", "fr", "", []),
        (3, "Marc Gagnon", "marc@example.org", "", "fr", "", []),
    ]


def test_read_list_windows_1252_decodes_accents_and_says_so():
    data = ("Nom;Courriel;Organisation;Mot personnel\r\n"
            "Hélène Côté;helene@example.org;Québec;« Merci » – à bientôt…\r\n").encode("cp1252")

    bulk = read_list(data)

    assert bulk.encoding == "cp1252"
    assert [str(notice) for notice in bulk.notices] == [CP1252_NOTICE]
    assert values(bulk) == [(2, "Hélène Côté", "helene@example.org", "Québec", "fr",
                             "« Merci » – à bientôt…", [])]


def test_read_list_five_kinds_of_bad_rows_each_marked_with_its_reason():
    data = ("Nom;Courriel;Langue\r\n"
            "Camille Roy;camille@example.org;fr\r\n"
            "Alex Tremblay;alex@@example;fr\r\n"
            "Camille R.;CAMILLE@Example.org;en\r\n"
            "Jo Gagnon;jo@example.org;fr\r\n"
            "Sam Côté;sam@example.org;espagnol\r\n"
            ";nom@example.org;fr\r\n").encode()

    bulk = read_list(data, invited={address_key("Jo@example.org")})

    assert verdicts(bulk) == [
        (2, READY, []),
        (3, RowStatus.INVALID_ADDRESS,
         ["« alex@@example » n’est pas une adresse courriel valide."]),
        (4, RowStatus.DUPLICATE_IN_FILE,
         ["Même adresse qu’à la ligne 2 : une seule invitation par personne."]),
        (5, RowStatus.DUPLICATE_OPEN, ["Une invitation est déjà en cours pour cette adresse."]),
        (6, RowStatus.UNKNOWN_LANGUAGE, ["Langue inconnue : « espagnol ». Écrivez fr ou en."]),
        (7, RowStatus.MISSING_NAME, ["Le nom manque."]),
    ]
    assert [row.number for row in bulk.ready_rows()] == [2]


def test_read_list_row_with_several_problems_gives_every_reason_first_status():
    data = b"Nom;Courriel;Langue\n;;xx\n"

    bulk = read_list(data)

    assert verdicts(bulk) == [(2, RowStatus.MISSING_NAME, [
        "Le nom manque.", "L’adresse courriel manque.",
        "Langue inconnue : « xx ». Écrivez fr ou en."])]


def test_read_list_extra_questions_over_the_app_limits_are_refused():
    long_question = "Pourquoi " + "x" * 492  # 501 characters
    data = ("Nom;Courriel;Questions\n"
            "A B;a@example.org;Q1 | Q2 | Q3 | Q4 | Q5 | Q6\n"
            f"C D;c@example.org;Q1 | {long_question}\n"
            "E F;e@example.org;Q1 | Q2 | Q3 | Q4 | Q5\n").encode()

    bulk = read_list(data)

    assert verdicts(bulk) == [
        (2, RowStatus.TOO_MANY_QUESTIONS, ["6 questions supplémentaires : 5 au plus."]),
        (3, RowStatus.QUESTION_TOO_LONG,
         ["La question supplémentaire 2 compte 501 caractères : 500 au plus."]),
        (4, READY, []),
    ]


def test_read_list_cells_over_the_invitation_form_limits_are_refused():
    data = "Nom;Courriel;Organisation;Mot personnel\n{};a@example.org;{};{}\n".format(
        "N" * 201, "O" * 201, "M" * 2001).encode()

    bulk = read_list(data)

    assert verdicts(bulk) == [(2, RowStatus.TOO_LONG, [
        "Le nom dépasse 200 caractères.", "L’organisation dépasse 200 caractères.",
        "Le mot personnel dépasse 2000 caractères."])]


def test_read_list_hostile_cells_become_clean_plain_text():
    data = ("Nom;Courriel;Organisation;Mot personnel;Questions\r\n"
            "\"<script>alert('x')</script>\r\nBcc: evil@example.org\u202eRoy\x00\";"
            "hostile@example.org;\"Acme\x07\tinc.\u2066\";"
            "\"<b>Gras</b>\x00\r\n\u202eLigne 2\x1b\";\"<img src=x onerror=1>\r\n\u202eQ2\"\r\n"
            ).encode()

    bulk = read_list(data)

    assert values(bulk) == [(
        2, "<script>alert('x')</script> Bcc: evil@example.orgRoy", "hostile@example.org",
        "Acme inc.", "fr", "<b>Gras</b>\nLigne 2", ["<img src=x onerror=1>", "Q2"])]
    assert bulk.rows[0].status == READY


def test_read_list_quoted_cells_keep_semicolons_and_line_breaks_and_row_numbers():
    data = ("Nom;Courriel;Mot personnel\r\n"
            "\"Roy; Camille\";\"camille@example.org\";\"Bonjour;\r\ndeuxième ligne\"\r\n"
            ";;\r\n"
            "Alex;alex@example.org;\"a\"\"b\"\r\n").encode()

    bulk = read_list(data)

    assert values(bulk) == [
        (2, "Roy; Camille", "camille@example.org", "", "fr", "Bonjour;\ndeuxième ligne", []),
        (4, "Alex", "alex@example.org", "", "fr", "a\"b", []),
    ]


def test_read_list_header_with_more_commas_than_semicolons_is_confirmed_on_its_names():
    data = ("Nom, prénom;Courriel;Remarques, commentaires, etc.\n"
            "Roy, Camille;camille@example.org;Vue au colloque, à relancer\n").encode()

    bulk = read_list(data)

    assert (bulk.delimiter, bulk.unknown_columns) == (";", ["Remarques, commentaires, etc."])
    assert values(bulk) == [(2, "Roy, Camille", "camille@example.org", "", "fr", "", [])]


def test_read_list_excel_sep_line_sets_the_delimiter():
    data = b"sep=;\r\nNom;Courriel\r\nA, B;a@example.org\r\n"

    bulk = read_list(data)

    assert (bulk.delimiter, values(bulk)) == (
        ";", [(2, "A, B", "a@example.org", "", "fr", "", [])])


def test_read_list_unknown_repeated_and_extra_columns_are_reported():
    data = ("Nom;Courriel;Téléphone;E-mail;\n"
            "A B;a@example.org;555;b@example.org;\n"
            "C D;c@example.org;;;;surplus\n").encode()

    bulk = read_list(data)

    assert bulk.unknown_columns == ["Téléphone"]
    assert [str(notice) for notice in bulk.notices] == [
        "La colonne « E-mail » répète « Courriel » : seule la première est lue.",
        "Colonnes ignorées (inconnues) : « Téléphone ».",
        "Plus de cellules que de colonnes (cellules en trop ignorées), lignes : 3.",
    ]
    assert [row.email for row in bulk.rows] == ["a@example.org", "c@example.org"]


def test_read_list_without_header_is_refused_naming_the_columns():
    assert refusal(b"Camille Roy;camille@example.org\n") == (
        "no_header", "La première ligne doit nommer les colonnes : Nom et Courriel, et au "
        "besoin Organisation, Langue, Mot personnel, Questions.")


def test_read_list_header_without_email_or_name_column_is_refused():
    assert refusal("Nom;Téléphone\nA;555\n") == (
        "no_email_column", "La première ligne ne nomme aucune colonne d’adresse (Courriel "
        "ou Email) : ajoutez-en une.")
    assert refusal("Courriel;Langue\na@example.org;fr\n") == (
        "no_name_column", "La première ligne ne nomme aucune colonne de nom (Nom, ou Prénom "
        "et Nom) : ajoutez-en une.")


def test_read_list_over_the_size_limit_is_refused():
    data = b"Nom;Courriel\n" + b"x" * MAX_FILE_BYTES

    assert refusal(data) == (
        "too_big", "Ce fichier dépasse 1 Mo : découpez la liste en plusieurs fichiers.")


def test_read_list_row_limit_counts_people_not_lines():
    header = "Nom;Courriel\n"
    people = "".join(f"P{n};p{n}@example.org\n\n" for n in range(MAX_ROWS))

    assert len(read_list(header + people).rows) == MAX_ROWS
    assert refusal(header + people + "Un de trop;trop@example.org\n") == (
        "too_many_rows", "Cette liste compte plus de 2000 personnes : découpez-la en plusieurs "
        "fichiers.")


def test_read_list_cell_over_the_length_limit_is_refused_with_its_place():
    data = "Nom;Courriel;Mot personnel\nA;a@example.org;ok\nB;b@example.org;{}\n".format(
        "x" * (MAX_CELL_LENGTH + 1))

    assert refusal(data) == (
        "cell_too_long", "Ligne 3, colonne « Mot personnel » : la cellule dépasse 5000 "
        "caractères (un guillemet mal fermé, peut-être).")


def test_read_list_unclosed_quote_past_the_csv_field_limit_is_refused():
    data = "Nom;Courriel\nA;\"a@example.org\n" + "x" * 200_000

    assert refusal(data) == (
        "unreadable", "Ce fichier n’a pas pu être lu : une cellule est beaucoup trop longue "
        "(un guillemet mal fermé, peut-être).")


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b" \r\n", "empty"),
    ("Nom;Courriel\nÉ;e@example.org\n".encode("utf-16"), "utf16"),
    (b"PK\x03\x04\x14\x00\x06\x00", "workbook"),
    (b"Nom;Courriel\n\x81\x8d;a@example.org\n", "encoding"),
    (b"Nom;Courriel\n\xe9\x00\x01;a@example.org\n", "encoding"),
    (b"Nom;Courriel\n", "no_rows"),
])
def test_read_list_unreadable_input_is_refused_with_a_sentence(data, code):
    assert refusal(data)[0] == code


def test_read_list_other_encoding_sentence_says_what_to_do():
    assert refusal(b"Nom;Courriel\n\x81;a@example.org\n")[1] == (
        "Ce fichier n’est ni en UTF-8 ni en Windows-1252 : enregistrez-le au format « CSV "
        "UTF-8 », puis recommencez.")


def test_recheck_fixed_row_is_ready_with_normalised_address():
    row = BulkRow(7, name=" Camille\nRoy ", email=" Camille@EXAMPLE.org ", language="Français",
                  status=RowStatus.INVALID_ADDRESS, reasons=["old"])

    checked = recheck(row, invited=set())

    assert (checked.number, checked.name, checked.email, checked.language, checked.status,
            checked.reasons) == (7, "Camille Roy", "Camille@example.org", "fr", READY, [])
    assert recheck(row, invited={"camille@example.org"}).status == RowStatus.DUPLICATE_OPEN


def test_bulk_list_fix_and_drop_check_every_row_again():
    bulk = read_list("Nom;Courriel\nA;a@example.org\nB;bad\nC;a@example.org\n")
    broken = bulk.rows[1]

    fixed = bulk.fix(BulkRow(broken.number, name="B", email="b@example.org"))
    bulk.drop(2)

    assert (fixed.number, fixed.status) == (3, READY)
    assert verdicts(bulk) == [(3, READY, []), (4, READY, [])]


def test_reasons_and_notices_are_translated_to_english(app):
    data = "Nom;Courriel;Langue\nÉve;eve@example.org;fr\nÈve;EVE@example.org;es\n"
    bulk = read_list(data.encode("cp1252"))

    with force_locale("en"):
        assert [str(notice) for notice in bulk.notices] == [
            "This file was in Windows-1252 (Excel): it was read as such; check the accents."]
        assert [str(reason) for reason in bulk.rows[1].reasons] == [
            "Same address as row 2: one invitation per person.",
            "Unknown language: “es”. Write fr or en."]
        assert str(bulk.rows[1].status.label) == "Duplicate in the list"


def test_bench_list_reads_back_as_the_benchmark_describes_it():
    for encoding in ("utf-8-sig", "cp1252"):
        bulk = preview(people_csv(100, encoding), invited_keys(100))
        statuses = [row.status for row in bulk.rows]

        assert (bulk.encoding, bulk.delimiter, len(statuses)) == (encoding, ";", 100)
        assert {status: statuses.count(status) for status in set(statuses)} == {
            READY: 88, RowStatus.DUPLICATE_OPEN: 10, RowStatus.DUPLICATE_IN_FILE: 1,
            RowStatus.INVALID_ADDRESS: 1}
        assert values(bulk)[1] == (3, "Camille Côté 1", "personne1@exemple.qc.ca",
                                   "Organisme n° 1", "en", "Vue au colloque 1;\nà relancer en mai.",
                                   [])

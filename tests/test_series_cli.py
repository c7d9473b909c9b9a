"""The commands: `series list|create|copy`, `invite --series`, `invite-csv`."""

import pytest

from intake.enums import MailKind
from intake.extensions import db
from intake.questionnaire.series import create_series, default_series, find_series
from tests.support.bulk_lists import (
    FILES,
    READY_ADDRESSES,
    invited_addresses,
    refusing_inserts_for,
)
from tests.support.factories import invite, outbox_rows


def test_series_create_copy_and_list(runner):
    created = runner.invoke(args=["series", "create", "Portrait de bénévole"])
    copied = runner.invoke(args=["series", "copy", "portrait-de-benevole", "Portrait d’élu",
                                 "--slug", "elus"])
    listed = runner.invoke(args=["series", "list"])

    count = len(default_series().questions)
    assert created.output == f"Created portrait-de-benevole with {count} questions.\n"
    assert copied.output == (
        f"Created elus, a copy of portrait-de-benevole, with {count} questions.\n")
    assert listed.output.splitlines() == [
        f"{default_series().slug}\t0 invitations\tfr,en\t{default_series().title_fr} (default)",
        "portrait-de-benevole\t0 invitations\tfr,en\tPortrait de bénévole",
        "elus\t0 invitations\tfr,en\tPortrait d’élu",
    ]


def test_series_commands_refuse_a_taken_slug_and_an_unknown_source(runner):
    runner.invoke(args=["series", "create", "Bénévoles", "--slug", "benevoles"])

    taken = runner.invoke(args=["series", "create", "Autre", "--slug", "benevoles"])
    unknown = runner.invoke(args=["series", "copy", "inconnue", "Autre"])

    assert taken.exit_code == unknown.exit_code == 1
    assert "Another series already has this address (slug)" in taken.output
    assert "No series has this address (slug)." in unknown.output


def test_invite_takes_a_series_and_defaults_to_the_default_one(runner):
    create_series("Bénévoles", "benevoles")

    runner.invoke(args=["invite", "ana@example.org", "--name", "Ana"])
    theirs = runner.invoke(args=["invite", "bea@example.org", "--name", "Béa",
                                 "--series", "benevoles"])
    unknown = runner.invoke(args=["invite", "cle@example.org", "--name", "Clé",
                                  "--series", "inconnue"])

    assert theirs.exit_code == 0, theirs.output
    assert invited_addresses(default_series()) == {"ana@example.org"}
    assert invited_addresses(find_series("benevoles")) == {"bea@example.org"}
    assert unknown.exit_code == 1
    assert "No series has this address (slug)." in unknown.output


@pytest.mark.parametrize("name", sorted(FILES))
def test_invite_csv_creates_exactly_the_ready_rows(runner, tmp_path, name):
    create_series("Bénévoles", "benevoles")
    invite("Déjà Là", "deja@example.org", series=find_series("benevoles"))
    path = tmp_path / name
    path.write_bytes(FILES[name])

    dry = runner.invoke(args=["invite-csv", str(path), "--series", "benevoles", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert invited_addresses() == {"deja@example.org"}
    sent = runner.invoke(args=["invite-csv", str(path), "--series", "benevoles"])

    assert sent.exit_code == 0, sent.output
    assert dry.output.endswith("Dry run: nobody was invited.\n")
    assert invited_addresses(find_series("benevoles")) == (
        READY_ADDRESSES[name] | {"deja@example.org"})
    assert {m.to_addr for m in outbox_rows(MailKind.INVITATION)} == (
        READY_ADDRESSES[name] | {"deja@example.org"})


def test_invite_csv_reports_each_bad_row_with_its_reason(runner, tmp_path):
    create_series("Bénévoles", "benevoles")
    invite("Déjà Là", "deja@example.org", series=find_series("benevoles"))
    path = tmp_path / "bad-rows.csv"
    path.write_bytes(FILES["bad-rows.csv"])

    result = runner.invoke(args=["invite-csv", str(path), "--series", "benevoles", "--dry-run"])

    assert result.output.splitlines() == [
        "Row 2\tReady\tPrête Un <pret1@example.org>",
        "Row 3\tMissing name\t? <sans-nom@example.org>\tThe name is missing.",
        "Row 4\tInvalid address\tAdresse Brisée <pas-une-adresse>\t“pas-une-adresse” is not "
        "a valid email address.",
        "Row 5\tDuplicate in the list\tPrête Un Bis <PRET1@example.org>\tSame address as row "
        "2: one invitation per person.",
        "Row 6\tAlready invited\tDéjà Là <deja@example.org>\tAn invitation is already open "
        "for this address.",
        "Row 7\tUnknown language\tLangue Inconnue <langue@example.org>\tUnknown language: "
        "“klingon”. Write fr or en.",
        "Row 8\tReady\tPrête Deux <pret2@example.org>",
        "2 ready, 5 refused (benevoles).",
        "Dry run: nobody was invited.",
    ]


def test_invite_csv_cp1252_says_how_it_was_read(runner, tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes(FILES["cp1252.csv"])

    result = runner.invoke(args=["invite-csv", str(path), "--dry-run"])

    assert result.output.splitlines()[:3] == [
        "Note: This file was in Windows-1252 (Excel): it was read as such; check the accents.",
        "Row 2\tReady\tFrançois Bélanger <francois@example.org>",
        "Row 3\tReady\tNoémie Pâquet <noemie@example.org>",
    ]


def test_a_failing_row_keeps_the_rows_before_it_and_is_reported(runner, tmp_path):
    lines = ["Nom,Courriel"] + [f"Personne {n},p{n}@example.org" for n in range(2, 42)]
    path = tmp_path / "forty.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with refusing_inserts_for("p37@example.org"):
        result = runner.invoke(args=["invite-csv", str(path)])

    assert result.exit_code == 1
    assert invited_addresses() == {f"p{n}@example.org" for n in range(2, 42) if n != 37}
    assert "Row 37 failed: The database refused this row; nothing was created for it." in (
        result.output)
    assert result.output.endswith("Invited 39, failed 1, not sent 0.\n")


def test_a_series_in_french_only_refuses_english_invitations(runner, tmp_path):
    french = create_series("Bénévoles", "benevoles")
    french.languages = ["fr"]
    db.session.commit()
    path = tmp_path / "list.csv"
    path.write_bytes(FILES["utf8-bom.csv"])

    single = runner.invoke(args=["invite", "sam@example.org", "--name", "Sam", "--lang", "en",
                                 "--series", "benevoles"])
    listed = runner.invoke(args=["invite-csv", str(path), "--series", "benevoles"])

    assert single.exit_code == 1
    assert "This series does not offer this language" in single.output
    assert ("Row 3\tUnknown language\tÈve Lévesque <eve@example.org>\tThe series “Bénévoles” "
            "does not invite in English.") in listed.output.splitlines()
    assert invited_addresses() == {"helene@example.org"}

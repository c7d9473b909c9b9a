"""Bulk list: read_list (decode, delimiter, header, every row checked) on 1,000 people."""

import csv
import io
import tempfile
from contextlib import contextmanager
from pathlib import Path

from bench.report import Row, Table, interleaved, median, ms
from intake.invitations.bulk import read_list
from intake.invitations.bulk_rows import valid_address

ROWS = 1_000
TARGET = 2.0  # seconds: the "1,000 rows preview in under 2 s"
FIRST = ("Hélène", "Camille", "Marc-André", "Ève", "Jean", "Zoé", "François", "Léa")
LAST = ("Côté", "Tremblay", "Gagnon", "Roy", "Bouchard", "Lévesque", "O’Neil", "Bélanger")
HEADER = "Nom;Courriel;Organisation;Langue;Mot personnel;Questions supplémentaires"


def people_csv(count: int = ROWS, encoding: str = "utf-8-sig") -> bytes:
    """Return Excel's `;` CSV of `count` people: every 50th a repeat, every 100th a bad address.

    Notes hold a quoted line break and a `;`, one row in three has two extra questions.
    """
    lines = [HEADER]
    for n in range(count):
        name = f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST) % len(LAST)]} {n}"
        email = f"personne{n}@exemple.qc.ca"
        if n % 50 == 49:
            email = f"personne{n - 1}@exemple.qc.ca"
        if n % 100 == 99:
            email = f"personne{n}@exemple"
        note = f"\"Vue au colloque {n};\r\nà relancer en mai.\"" if n % 2 else ""
        questions = "Votre meilleur coup? | Et la télé?" if n % 3 == 0 else ""
        language = ("fr", "en", "français", "EN")[n % 4]
        lines.append(f"{name};{email};Organisme n° {n % 40};{language};{note};{questions}")
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def invited_keys(count: int = ROWS) -> set[str]:
    """Return the keys of open invitations: one person in ten of the list, and as many others."""
    return ({f"personne{n}@exemple.qc.ca" for n in range(0, count, 10)}
            | {f"autre{n}@exemple.qc.ca" for n in range(count // 10)})


def preview(data: bytes, invited: set[str]):
    """Read and check the list as a first upload would: no address checked before."""
    valid_address.cache_clear()
    return read_list(data, invited)


def csv_only(data: bytes, encoding: str):
    """Parse the same bytes with the csv module alone (decode included): the baseline."""
    return list(csv.reader(io.StringIO(data.decode(encoding), newline=""), delimiter=";"))


@contextmanager
def preview_page():
    """Yield a function that posts a list to the bulk page of an app on SQLite, logged in,
    with one open invitation in the default series for one person in ten of the list."""
    from bench import fixtures
    from intake.enums import State
    from intake.extensions import db
    from intake.models import Submission

    with tempfile.TemporaryDirectory() as folder:
        app = fixtures.make_app(Path(folder), fixtures.sqlite_uri(Path(folder)),
                                WTF_CSRF_ENABLED=False)
        with app.app_context():
            for n in range(0, ROWS, 10):
                item, _token = fixtures.invitation(f"Personne {n}", f"personne{n}@exemple.qc.ca")
                db.session.add(Submission(invitation=item, state=State.INVITED.value))
            db.session.commit()
        client = app.test_client()
        client.post("/login", data={"email": fixtures.BLOGGER_EMAIL,
                                    "password": fixtures.BLOGGER_PASSWORD})

        def post(data: bytes) -> None:
            valid_address.cache_clear()
            response = client.post("/admin/invitations/bulk", data={
                "series": "", "upload": (io.BytesIO(data), "liste.csv")})
            assert response.status_code == 200, response.status_code

        yield post


def run(quick: bool = False) -> Table:
    """Run the bulk list benchmark and return its table."""
    repeat = 5 if quick else 21
    invited = invited_keys()
    utf8, cp1252 = people_csv(), people_csv(encoding="cp1252")
    largest = people_csv(2_000)
    with preview_page() as post:
        page_times = interleaved({"page": lambda: post(utf8),
                                  "page csv": lambda: csv_only(utf8, "utf-8-sig")},
                                 repeat, collect=True)
    times = interleaved({
        "ours": lambda: preview(utf8, invited),
        "csv": lambda: csv_only(utf8, "utf-8-sig"),
        "cp1252": lambda: preview(cp1252, invited),
        "cp1252 csv": lambda: csv_only(cp1252, "cp1252"),
        "2000": lambda: preview(largest, invited),
        "2000 csv": lambda: csv_only(largest, "utf-8-sig"),
    }, repeat, collect=True)
    t = {name: median(values) for name, values in {**times, **page_times}.items()}
    statuses: dict[str, int] = {}
    for row in preview(utf8, invited).rows:
        statuses[row.status] = statuses.get(row.status, 0) + 1
    rows = [
        Row(f"read_list, {ROWS:,} rows (UTF-8 with BOM, `;`, {len(utf8) // 1024} KB)",
            ms(t["ours"]), ms(t["csv"]), t["ours"] / t["csv"], "< 2 s",
            t["ours"] < TARGET),
        Row(f"the preview page, {ROWS:,} rows (upload, checks against the series, HTML table)",
            ms(t["page"]), ms(t["page csv"]), t["page"] / t["page csv"], "< 2 s",
            t["page"] < TARGET),
        Row(f"read_list, {ROWS:,} rows in Windows-1252 (info)", ms(t["cp1252"]),
            ms(t["cp1252 csv"]), t["cp1252"] / t["cp1252 csv"]),
        Row("read_list, 2,000 rows (the limit; info)", ms(t["2000"]), ms(t["2000 csv"]),
            t["2000"] / t["2000 csv"]),
    ]
    notes = [f"{repeat} interleaved runs after one warm-up each, garbage collected before "
             "each; medians. Baseline: csv.reader over the same bytes decoded (bytes.decode "
             "+ io.StringIO + list), with the delimiter given.",
             "read_list also detects the encoding and the delimiter, maps the header, cleans "
             "every cell and checks every address with email-validator (its cache of checked "
             "addresses is emptied before each run, as for a first upload).",
             "The preview page: POST /admin/invitations/bulk through the app's test client "
             "(SQLite, logged in): the upload read, every row checked against the default "
             "series' open invitations (one person in ten) and languages, the table, the hidden "
             "list and the two messages rendered.",
             "Rows of the 1,000: " + ", ".join(f"{status} {count}" for status, count
                                               in sorted(statuses.items())) + "."]
    return Table("6. Bulk list (CSV)", rows, notes)

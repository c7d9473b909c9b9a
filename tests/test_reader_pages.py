"""Readers' pages at any size: bounded lists, pages and feeds, stored post pages, ETag and 304.

Queries are counted with an SQLAlchemy event listener on the engine: the count of a page must
not move when portraits are added.
"""

import re
import xml.etree.ElementTree as ET
from datetime import date

from sqlalchemy import func, select

from intake.database import statements_sent
from intake.enums import State
from intake.extensions import db
from intake.models import Rendition
from intake.publishing.listing import OTHERS_SIZE, PAGE_SIZE
from intake.publishing.pages import render_stale_pages
from intake.publishing.renditions import PAGE, queue_render, render_pdf
from intake.questionnaire.series import create_series, default_series
from intake.submissions import decisions, editing
from intake.submissions.erasure import erase_person
from tests.support.documents import html_text, parse_html
from tests.support.factories import make_portrait, make_submission

BASE = "https://portraits.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
TRANSACTION = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


def counted():
    """Count the SQL statements run inside the block (list: one entry per statement)."""
    return statements_sent(keep=lambda statement:
                           statement.split(None, 1)[0].upper() not in TRANSACTION)


def add_portraits(count: int, start: int = 0) -> list:
    """Publish `count` small portraits, the later ones newer; commits."""
    return [make_portrait(f"Personne {n:05d}", f"personne-{n:05d}", [("Q?", f"Réponse {n}.")],
                          published_days_ago=10_000 - n, photo=n % 2 == 0,
                          role_title="" if n % 3 else f"Rôle {n}")
            for n in range(start, start + count)]


def store_files(submission) -> None:
    """Store a portrait's page and PDF, as publishing (the page) and the worker (the PDF) do."""
    queue_render(submission)
    render_pdf(submission)


def series_path(tail: str = "") -> str:
    """Return the address of the default series' index, or of a file under it."""
    return f"/series/{default_series().slug}/{tail}"


def queries(client, path: str, **headers) -> tuple[int, int]:
    """Return (status, statements run) of one GET."""
    with counted() as statements:
        status = client.get(path, headers=headers).status_code
    return status, len(statements)


def test_reader_pages_run_the_same_queries_at_3_and_at_60_portraits(client):
    first = add_portraits(3)[0]
    store_files(first)
    db.session.commit()
    paths = ["/", series_path("feed.atom"), f"/portraits/{first.slug}",
             f"/portraits/{first.slug}.pdf"]
    small = [queries(client, path) for path in paths]
    add_portraits(57, start=3)

    large = [queries(client, path) for path in paths]

    assert small == large
    assert large[2:] == [(200, 1), (200, 1)]  # a stored post page, a stored PDF: one query


def test_index_and_feed_show_20_a_page_with_next_and_previous_links(client):
    add_portraits(PAGE_SIZE * 2 + 5)

    pages = [parse_html(client.get(path).get_data(as_text=True)) for path in
             ("/", "/?page=2", "/?page=3")]
    heads = [re.findall(r'<link rel="(prev|next)" href="([^"]+)">', client.get(path).get_data(
        as_text=True)) for path in ("/", "/?page=2", "/?page=3")]

    posts = [[u for u in page.urls if re.fullmatch(r"/portraits/personne-\d+", u)]
             for page in pages]
    assert [len(p) for p in posts] == [20, 20, 5]
    assert (posts[0][0], posts[2][-1]) == ("/portraits/personne-00044",
                                           "/portraits/personne-00000")
    assert len(set(posts[0] + posts[1] + posts[2])) == 45
    assert heads == [[("next", "/?page=2")], [("prev", "/"), ("next", "/?page=3")],
                     [("prev", "/?page=2")]]
    assert client.get("/?page=4").status_code == 404
    assert client.get("/?page=0").status_code == 404


def test_feed_pages_carry_rfc5005_first_next_previous_links(client):
    add_portraits(PAGE_SIZE + 3)

    def links(path):
        root = ET.fromstring(client.get(path).data)
        return ({link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")},
                len(root.findall(f"{ATOM}entry")))

    feed, index = BASE + series_path("feed.atom"), BASE + series_path()
    first, second = links(series_path("feed.atom")), links(series_path("feed.atom?page=2"))

    assert first == ({"self": feed, "first": feed, "next": f"{feed}?page=2",
                      "alternate": index}, 20)
    assert second == ({"self": f"{feed}?page=2", "first": feed, "previous": feed,
                       "alternate": f"{index}?page=2"}, 3)
    assert client.get(series_path("feed.atom?page=3")).status_code == 404


def test_other_portraits_are_the_10_newest_and_a_link_to_the_index(client):
    add_portraits(15)

    page = client.get("/portraits/personne-00014").get_data(as_text=True)

    others = [u.removeprefix(f"{BASE}/portraits/") for u in parse_html(page).urls
              if re.fullmatch(rf"{BASE}/portraits/personne-\d+", u)
              and not u.endswith("personne-00014")]
    assert others == [f"personne-{n:05d}" for n in range(13, 13 - OTHERS_SIZE, -1)]
    assert BASE + series_path() in parse_html(page).urls and "Tous les portraits" in html_text(page)


def test_post_page_answers_304_to_its_etag_and_a_new_etag_after_an_edit(client, blogger):
    submission = add_portraits(1)[0]
    store_files(submission)
    db.session.commit()

    first = client.get(f"/portraits/{submission.slug}")
    again = client.get(f"/portraits/{submission.slug}",
                       headers={"If-None-Match": first.headers["ETag"]})
    editing.save_settings(submission, blogger, title="Un titre revu", slug=submission.slug,
                          editor_intro="Une introduction neuve.",
                          publication_date=submission.publication_date, proof_requested=False)
    db.session.commit()
    edited = client.get(f"/portraits/{submission.slug}",
                        headers={"If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200 and first.headers["Cache-Control"] == "public, max-age=60"
    assert (again.status_code, again.data) == (304, b"")
    assert edited.status_code == 200 and edited.headers["ETag"] != first.headers["ETag"]
    text = html_text(edited.get_data(as_text=True))
    assert "Un titre revu" in text and "Une introduction neuve." in text


def test_pdf_answers_304_to_its_etag_in_one_query(client):
    submission = add_portraits(1)[0]
    store_files(submission)
    db.session.commit()
    etag = client.get(f"/portraits/{submission.slug}.pdf").headers["ETag"]

    status, count = queries(client, f"/portraits/{submission.slug}.pdf", **{"If-None-Match": etag})

    assert (status, count) == (304, 1)


def test_stored_files_carry_their_date_and_are_public_whoever_asks(blogger_client):
    submission = add_portraits(1)[0]
    store_files(submission)
    db.session.commit()
    rendered = {row.kind: row.rendered_at for row in db.session.scalars(
        select(Rendition).where(Rendition.submission_id == submission.id))}

    page = blogger_client.get(f"/portraits/{submission.slug}")  # signed in: the same bytes
    pdf = blogger_client.get(f"/portraits/{submission.slug}.pdf")

    assert page.last_modified == rendered[PAGE].replace(microsecond=0)
    assert pdf.last_modified == rendered["pdf"].replace(microsecond=0)
    assert page.headers["Cache-Control"] == "public, max-age=60"
    assert "Se déconnecter" not in page.get_data(as_text=True)


def test_stored_pages_follow_a_new_portrait_once_re_rendered(client, blogger):
    older = add_portraits(2)
    for submission in older:
        store_files(submission)
    db.session.commit()
    before = client.get(f"/portraits/{older[0].slug}").get_data(as_text=True)
    newcomer = make_submission(State.APPROVED, name="Zoé Nouvelle", email="zoe@example.org")

    decisions.publish(newcomer, blogger, newcomer.version)
    db.session.commit()
    stale = client.get(f"/portraits/{older[0].slug}").get_data(as_text=True)
    assert render_stale_pages(limit=1) == 1  # a worker's bounded turn
    assert render_stale_pages() == 1
    db.session.commit()
    after = client.get(f"/portraits/{older[0].slug}").get_data(as_text=True)

    assert stale == before and "Zoé Nouvelle" not in before
    assert f"{BASE}/portraits/{newcomer.slug}" in parse_html(after).urls
    assert render_stale_pages() == 0


def test_an_old_portrait_published_late_leaves_the_others_pages_alone(client, blogger):
    for submission in add_portraits(OTHERS_SIZE + 2, start=100):
        store_files(submission)
    late = make_submission(State.APPROVED, name="Ancien Portrait", email="ancien@example.org")
    late.publication_date = date(1990, 1, 1)  # older than every other
    db.session.commit()

    decisions.publish(late, blogger, late.version)
    db.session.commit()

    assert render_stale_pages() == 0


def test_series_settings_mark_every_stored_page_stale(blogger_client):
    submission = add_portraits(1)[0]
    store_files(submission)
    db.session.commit()
    before = client_text(blogger_client, f"/portraits/{submission.slug}")

    response = blogger_client.post("/admin/questionnaire/settings", data={
        "title_fr": "Une série renommée", "title_en": "", "intro_fr": "Bonjour.",
        "intro_en": "", "reading_list": "", "reminder_days": "7", "max_reminders": "1"})
    assert response.status_code == 303
    assert render_stale_pages() == 1
    db.session.commit()

    assert "Une série renommée" not in before
    assert "Une série renommée" in client_text(blogger_client, f"/portraits/{submission.slug}")


def client_text(client, path: str) -> str:
    """Return the visible text of a page."""
    return html_text(client.get(path).get_data(as_text=True))


def test_page_stored_during_a_blogger_request_has_no_blogger_menu(blogger_client):
    submission = make_submission(State.APPROVED, name="Rita Publiée", email="rita@example.org")
    submission_id = submission.id

    done = blogger_client.post(f"/admin/submissions/{submission_id}/decide/publish",
                               data={"version": submission.version}, follow_redirects=True)
    blogger_client.post("/logout")
    slug = db.session.get(type(submission), submission_id).slug
    page = blogger_client.get(f"/portraits/{slug}").get_data(as_text=True)

    assert "Rita Publiée" in page
    assert "csrf" not in page and "Se déconnecter" not in page and "Tableau de bord" not in page
    assert 'class="flash' in done.get_data(as_text=True)  # the blogger's message still shows


def test_erasing_a_listed_person_re_renders_the_others_without_them(client, blogger):
    kept, erased = add_portraits(2)
    for submission in (kept, erased):
        store_files(submission)
    db.session.commit()
    before = client.get(f"/portraits/{kept.slug}").get_data(as_text=True)

    erase_person(erased, blogger)
    db.session.commit()
    assert render_stale_pages() == 1
    db.session.commit()
    after = client.get(f"/portraits/{kept.slug}").get_data(as_text=True)

    assert "Personne 00001" in before and "Personne 00001" not in after
    assert client.get("/portraits/personne-00001").status_code == 404


def test_a_page_never_stored_is_rendered_for_the_reader_and_stored_by_the_worker(
        client, runner):
    submission = add_portraits(1)[0]
    slug, submission_id = submission.slug, submission.id

    with counted() as statements:
        first = client.get(f"/portraits/{slug}")
    stored_before = db.session.scalar(select(func.count()).select_from(Rendition).where(
        Rendition.submission_id == submission_id, Rendition.kind == PAGE))
    output = runner.invoke(args=["worker", "--once"]).output
    second = client.get(f"/portraits/{slug}")

    assert first.status_code == 200 and "Personne 00000" in html_text(first.get_data(as_text=True))
    assert not [s for s in statements if s.split(None, 1)[0].upper() in {"INSERT", "UPDATE"}]
    assert stored_before == 0  # a reader's request never writes
    assert "pages: 1" in output
    assert second.data == first.data  # the same page, now stored
    assert db.session.scalar(select(Rendition.status).where(
        Rendition.submission_id == submission_id, Rendition.kind == PAGE)) == "ready"


def test_series_settings_mark_only_that_series_pages_stale(blogger_client):
    kept = add_portraits(1)[0]
    other_series = create_series("Autre série", actor=None)
    moved = make_portrait("Dans l’autre", "dans-l-autre", [("Q?", "R.")], series=other_series)
    store_files(kept)
    store_files(moved)
    db.session.commit()

    response = blogger_client.post(f"/admin/series/{other_series.slug}/questionnaire/settings",
                                   data={"title_fr": "Autre série renommée", "title_en": "",
                                         "intro_fr": "", "intro_en": "", "reading_list": "",
                                         "reminder_days": "7", "max_reminders": "1"})

    assert response.status_code == 303
    statuses = dict(db.session.execute(select(Rendition.submission_id, Rendition.status)
                                       .where(Rendition.kind == PAGE)).all())
    assert statuses == {kept.id: "ready", moved.id: "pending"}
    assert render_stale_pages() == 1
    assert "Autre série renommée" in client_text(blogger_client, "/portraits/dans-l-autre")


def test_a_stored_page_follows_its_own_series_typography(client):
    france = create_series("Série de France", actor=None)
    france.typography = "france"
    submission = make_portrait("Léa Typo", "lea-typo", [("Ton site ?", "Classique ! Oui.")],
                               series=france)
    store_files(submission)
    db.session.commit()

    page = client.get("/portraits/lea-typo")

    assert page.headers["ETag"]  # the stored page
    assert "Ton site\u202f?" in page.get_data(as_text=True)
    assert "Classique\u202f! Oui." in page.get_data(as_text=True)

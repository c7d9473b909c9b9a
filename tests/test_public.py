"""The reader's pages over HTTP: index, post, PDF download, photos and the Atom feed."""

import io
import xml.etree.ElementTree as ET

from PIL import Image

from intake.enums import State
from intake.extensions import db
from intake.publishing import renditions
from intake.publishing.pages import render_stale_pages
from intake.publishing.renditions import queue_render, render_pdf
from intake.publishing.text import line_text
from intake.publishing.view import blocks, kept_answers, typeset
from intake.submissions import decisions
from tests.support.documents import html_text, norm, parse_html
from tests.support.factories import add_photo, make_portrait, make_submission
from tests.support.seeds import HOSTILE_ANSWERS, carl, hostile, jean_luc

BASE = "https://portraits.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_index_lists_published_portraits_newest_first_with_thumb_and_line(client):
    carl()
    jean_luc()
    make_portrait("Pas Encore", "pas-encore", [("Q?", "R.")], state=State.APPROVED)

    page = client.get("/").get_data(as_text=True)
    parsed = parse_html(page)

    links = [u for u in parsed.urls if u.startswith("/portraits/")]
    assert links == [
        "/portraits/jean-luc-sanscartier/photo/thumb.jpg", "/portraits/jean-luc-sanscartier",
        "/portraits/carl-olivier-perras-beaulieu/photo/thumb.jpg",
        "/portraits/carl-olivier-perras-beaulieu",
    ]
    text = html_text(page)
    assert "Agent d’information (web et médias sociaux), École de technologie supérieure" in text
    assert "Pas Encore" not in text


def test_post_has_every_kept_answer_in_order_and_no_hidden_one(client):
    submission = carl(hidden={2, 5}, edited={1: "Réponse revue : en relations publiques."})
    answers = {a.position: a for a in submission.answers}
    answers[0].position, answers[3].position = 3, 0
    db.session.commit()

    text = html_text(client.get("/portraits/carl-olivier-perras-beaulieu").get_data(as_text=True))

    kept = kept_answers(submission)
    positions = [text.index(norm(typeset(a.question_text, "fr"))) for a in kept]
    assert positions == sorted(positions)
    for answer in kept:
        for block in blocks(answer.published_body, "fr"):
            assert all(norm(line_text(line)) in text for line in block.lines)
    for hidden in (answers[2], answers[5]):
        assert norm(typeset(hidden.body, "fr")) not in text
        assert norm(typeset(hidden.question_text, "fr")) not in text
    assert "Réponse revue : en relations publiques." in text
    assert "sciences administratives" not in text


def test_post_has_the_seed_shape(client):
    carl()
    jean_luc()

    page = client.get("/portraits/jean-luc-sanscartier").get_data(as_text=True)
    text = html_text(page)

    for part in ("Portrait de gestionnaire de communauté : Jean-Luc Sanscartier",
                 "Nouveau et méconnu, le métier", "Pour suivre Jean-Luc Sanscartier",
                 "Autres portraits", "Lecture",
                 "Démystifier le métier de gestionnaire de communauté au Québec",
                 "Photo : Studio Exemple", "etc… 🙂"):
        assert part in text
    urls = parse_html(page).urls
    assert "https://www.linkedin.com/in/jeanlucsanscartier" in urls
    assert "https://x.com/jeanlucs" in urls
    assert f"{BASE}/portraits/carl-olivier-perras-beaulieu" in urls
    assert "/portraits/jean-luc-sanscartier.pdf" in urls


def test_post_quebec_typography_before_marks_but_not_inside_urls(client):
    make_portrait("Léa Typo", "lea-typo",
                  [("Ton site ?", "Voir https://exemple.com/page?x=1 : bien !")])

    page = client.get("/portraits/lea-typo").get_data(as_text=True)

    assert "Ton site?</h2>" in page
    assert ('Voir <a href="https://exemple.com/page?x=1" rel="nofollow ugc noopener">'
            'https://exemple.com/page?x=1</a>\u00a0: bien!') in page
    assert "\u202f" not in page


def test_post_shows_hostile_answers_as_text(client):
    hostile()

    page = client.get("/portraits/mallory-test").get_data(as_text=True)

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "<img src=\"file:" not in page and "<base " not in page and "<style>" not in page
    assert not any(url.startswith("file:") for url in parse_html(page).urls)
    text = html_text(page)
    for payload in HOSTILE_ANSWERS:
        assert norm(typeset(payload, "fr")) in text


def test_post_open_graph_and_twitter_tags_are_absolute(client):
    jean_luc()

    page = client.get("/portraits/jean-luc-sanscartier").get_data(as_text=True)
    meta = {attrs.get("property") or attrs.get("name"): attrs.get("content")
            for tag, attrs in parse_html(page).tags if tag == "meta"}

    assert meta["og:title"] == "Portrait de gestionnaire de communauté\u00a0: Jean-Luc Sanscartier"
    assert meta["og:url"] == f"{BASE}/portraits/jean-luc-sanscartier"
    assert meta["og:image"] == f"{BASE}/portraits/jean-luc-sanscartier/photo/portrait.jpg"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]


def test_others_section_follows_publish_and_unpublish(client, blogger):
    carl()
    second = jean_luc()

    def others():
        page = client.get("/portraits/carl-olivier-perras-beaulieu").get_data(as_text=True)
        return [u.removeprefix(BASE) for u in parse_html(page).urls
                if u.startswith(f"{BASE}/portraits/") and u.count("/") == 4
                and u != f"{BASE}/portraits/carl-olivier-perras-beaulieu"]

    assert others() == ["/portraits/jean-luc-sanscartier"]  # rendered, not stored by a reader
    assert render_stale_pages() == 2  # the worker stores both pages
    decisions.unpublish(second, blogger, second.version)
    db.session.commit()
    assert others() == ["/portraits/jean-luc-sanscartier"]  # stored, until re-rendered
    assert render_stale_pages() == 1
    db.session.commit()
    assert others() == []
    third = make_submission(State.APPROVED, name="Troisième Personne", email="t@example.org")
    decisions.publish(third, blogger, third.version)
    db.session.commit()
    assert render_stale_pages() == 1
    assert others() == [f"/portraits/{third.slug}"]


def test_pdf_download_has_etag_304_and_file_name(client):
    submission = jean_luc()
    row = render_pdf(submission)
    db.session.commit()

    response = client.get("/portraits/jean-luc-sanscartier.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == row.data
    assert response.headers["ETag"] == f'"{row.sha256}"'
    assert response.headers["Content-Disposition"] == (
        'attachment; filename=portrait-jean-luc-sanscartier.pdf')
    again = client.get("/portraits/jean-luc-sanscartier.pdf",
                       headers={"If-None-Match": f'"{row.sha256}"'})
    assert (again.status_code, again.data) == (304, b"")


def test_pdf_missing_is_in_preparation_until_the_worker_renders_it(app, client, runner):
    carl()

    pending = client.get("/portraits/carl-olivier-perras-beaulieu.pdf")
    assert pending.status_code == 503
    assert "PDF en préparation" in pending.get_data(as_text=True)
    assert runner.invoke(args=["worker", "--once"]).output.startswith("mail: 0, pdf: 1, ")
    response = client.get("/portraits/carl-olivier-perras-beaulieu.pdf")

    assert response.status_code == 200
    assert response.data.startswith(b"%PDF-")


def test_stored_pdf_is_served_while_its_new_render_waits(client):
    submission = jean_luc()
    row = render_pdf(submission)
    stored = row.data
    queue_render(submission)  # an edit after publication asked for a new one
    db.session.commit()

    response = client.get("/portraits/jean-luc-sanscartier.pdf")

    assert (response.status_code, response.data) == (200, stored)
    assert renditions.rendition(submission).status == "pending"


def test_pdf_failing_render_answers_503_page(app, client, tmp_path):
    jean_luc()
    app.static_folder = str(tmp_path)

    response = client.get("/portraits/jean-luc-sanscartier.pdf")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "120"
    assert "PDF en préparation" in response.get_data(as_text=True)


def test_unpublished_portrait_is_404_everywhere(client):
    submission = jean_luc()
    render_pdf(submission)
    submission.state = State.APPROVED.value
    db.session.commit()

    for url in ("/portraits/jean-luc-sanscartier", "/portraits/jean-luc-sanscartier.pdf",
                "/portraits/jean-luc-sanscartier/photo/portrait.jpg",
                "/portraits/jean-luc-sanscartier/photo/thumb.jpg", "/portraits/inconnu"):
        assert client.get(url).status_code == 404


def test_photo_is_jpeg_nosniff_cached_and_square_when_cropped(client):
    submission = jean_luc(photo=False)
    add_photo(submission, crop={"x": 0.1, "y": 0.0, "size": 0.5}, size=(800, 600))
    add_photo(submission, kind="workspace", caption="Le bureau", size=(800, 600))
    db.session.commit()

    portrait = client.get("/portraits/jean-luc-sanscartier/photo/portrait.jpg")
    workspace = client.get("/portraits/jean-luc-sanscartier/photo/workspace.jpg")
    thumb = client.get("/portraits/jean-luc-sanscartier/photo/thumb.jpg")

    assert portrait.mimetype == "image/jpeg"
    assert portrait.headers["X-Content-Type-Options"] == "nosniff"
    assert portrait.headers["Cache-Control"] == "public, max-age=3600"
    assert Image.open(io.BytesIO(portrait.data)).size == (300, 300)
    assert Image.open(io.BytesIO(workspace.data)).size == (800, 600)
    assert Image.open(io.BytesIO(thumb.data)).size == (400, 400)
    etag = portrait.headers["ETag"]
    again = client.get("/portraits/jean-luc-sanscartier/photo/portrait.jpg",
                       headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/portraits/jean-luc-sanscartier/photo/passwd.jpg").status_code == 404


def test_missing_photo_kind_is_404(client):
    jean_luc()
    assert client.get("/portraits/jean-luc-sanscartier/photo/workspace.jpg").status_code == 404


def test_feed_is_valid_atom_with_escaped_text_and_absolute_links(client):
    jean_luc()
    hostile(published_days_ago=1)

    response = client.get("/feed.atom", follow_redirects=True)
    feed = ET.fromstring(response.data)

    assert response.mimetype == "application/atom+xml"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        f"{BASE}/portraits/mallory-test", f"{BASE}/portraits/jean-luc-sanscartier"]
    assert entries[0].find(f"{ATOM}summary").text == typeset(HOSTILE_ANSWERS[0], "fr")
    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert hrefs and all(href.startswith(BASE + "/") for href in hrefs)


def test_reader_pages_set_no_cookie_and_are_cacheable(app, client):
    from intake.enums import State
    from tests.support.factories import make_submission

    submission = make_submission(State.PUBLISHED)
    for path in ("/", f"/portraits/{submission.slug}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
        assert response.headers["Cache-Control"] == "public, max-age=60", path

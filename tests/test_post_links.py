"""Links: typed addresses become links in the post, the PDF and the exports (http and https
only, rel="nofollow ugc noopener"); the blogger's Markdown-style links; « Autres portraits »
in every PDF; exports that agree with the post."""

import markdown

from intake.enums import State
from intake.extensions import db
from intake.publishing.exports import blog_exports
from intake.publishing.pdf import render_portrait_pdf
from intake.publishing.renditions import rendition
from intake.questionnaire.series import current_questionnaire
from intake.submissions import decisions
from tests.support.documents import html_text, pdf_text
from tests.support.factories import make_portrait, make_submission
from tests.support.publishing import article, pdf_links, render_queued_pdfs
from tests.support.seeds import jean_luc

BASE = "https://portraits.example.org"
MUSEUM = "https://www.museejoliette.org/fr/"
ANSWER = (f"Mon musée préféré : {MUSEUM}. Voir aussi www.exemple.ca/page, "
          "performance.Je, moi@exemple.ca, ftp://exemple.ca/x, javascript:alert(1) "
          "et [texte](https://piege.example/) !")
UGC = "nofollow ugc noopener"


def links_of(client, slug: str) -> list[dict]:
    """Return the attributes of every link inside the post's article."""
    return article(client.get(f"/portraits/{slug}").get_data(as_text=True)).links


def test_typed_addresses_become_links_in_the_post_and_nothing_else(client):
    make_portrait("Léa Liens", "lea-liens", [("Un lien?", ANSWER)])

    links = [(a["href"], a.get("rel")) for a in links_of(client, "lea-liens")
             if a["href"].startswith("http") and "portraits.example.org" not in a["href"]]

    assert links == [(MUSEUM, UGC), ("https://www.exemple.ca/page", UGC),
                     ("https://piege.example/", UGC)]
    page = client.get("/portraits/lea-liens").get_data(as_text=True)
    assert (f'Mon musée préféré\u00a0: <a href="{MUSEUM}" rel="{UGC}">{MUSEUM}</a>. '
            in page)
    assert "[texte](" in page  # an invitee's Markdown stays text, only the address links
    assert "javascript :alert(1)" in html_text(page)  # text, typeset like any other


def test_typed_address_is_a_uri_annotation_in_the_pdf(app):
    submission = make_portrait("Léa Liens", "lea-liens", [("Un lien?", ANSWER)])

    uris = pdf_links(render_portrait_pdf(submission))

    assert MUSEUM in uris and "https://www.exemple.ca/page" in uris
    assert f"{BASE}/portraits/lea-liens" in uris  # the web post's address
    assert not [u for u in uris if not u.startswith(("https://", "http://"))]


def test_bloggers_markdown_links_are_links_with_escaped_text(client):
    current_questionnaire().intro_fr = (
        "Le métier évolue. [Lire cet article](https://exemple.ca/article) pour mieux "
        "comprendre.\n\n[<b>gras</b>](https://exemple.ca/b) et [clic](javascript:alert(1))")
    db.session.commit()
    make_portrait("Léa Liens", "lea-liens", [("Q?", "R.")],
                  editor_intro="Je vous présente [Léa](https://lea.example/) !")

    links = [(a["href"], a["rel"]) for a in links_of(client, "lea-liens") if "rel" in a]
    page = client.get("/portraits/lea-liens").get_data(as_text=True)

    assert ("https://exemple.ca/article", "noopener") in links
    assert ("https://lea.example/", "noopener") in links
    assert '<a href="https://exemple.ca/article" rel="noopener">Lire cet article</a>' in page
    assert '<a href="https://exemple.ca/b" rel="noopener">&lt;b&gt;gras&lt;/b&gt;</a>' in page
    assert "[clic](javascript :alert(1))" in html_text(page)
    assert not [href for href, _ in links if href.startswith("javascript")]


def test_each_pdf_lists_the_other_portraits_with_their_addresses(app):
    first = make_portrait("Ana Première", "ana-premiere", [("Q?", "R.")], published_days_ago=2)
    second = make_portrait("Bo Second", "bo-second", [("Q?", "R.")], published_days_ago=1)

    for portrait, other, slug in ((first, "Bo Second", "bo-second"),
                                  (second, "Ana Première", "ana-premiere")):
        data = render_portrait_pdf(portrait)
        text = pdf_text(data)
        assert (f"Autres portraits Portrait de gestionnaire de communauté : {other} "
                f"{BASE}/portraits/{slug}") in text
        assert f"{BASE}/portraits/{slug}" in pdf_links(data)


def test_exports_carry_the_links_and_agree_with_each_other(app):
    submission = make_portrait("Léa Liens", "lea-liens", [("Un lien?", ANSWER)])

    exported = blog_exports(submission)
    rendered = markdown.markdown(exported["markdown"])

    assert f'<a href="{MUSEUM}" rel="{UGC}">{MUSEUM}</a>' in exported["html"]
    assert f'<a href="{MUSEUM}">{MUSEUM}</a>' in rendered
    title = html_text(markdown.markdown(exported["markdown"].split("\n", 1)[0]))
    assert html_text(rendered) == f"{title} {html_text(exported['html'])}"


def test_markdown_of_a_seed_reads_as_its_html_and_escapes_only_what_it_must(app):
    exported = blog_exports(jean_luc())

    rendered = markdown.markdown(exported["markdown"])

    title = html_text(markdown.markdown(exported["markdown"].split("\n", 1)[0]))
    assert html_text(rendered) == f"{title} {html_text(exported['html'])}"
    for running in ("Facebook! C’est magique", "(Astral)", "#jeudiconfession", "Google+?"):
        assert running in exported["markdown"]
    assert "\\" not in exported["markdown"]


def test_wordpress_html_has_no_blank_lines(app):
    html = blog_exports(jean_luc())["html"]

    assert "\n\n" not in html
    assert html.count("\n") > 60


def test_publishing_a_portrait_refreshes_the_others_pdf(client, blogger):
    first = make_portrait("Ana Première", "ana-premiere", [("Q?", "R.")], published_days_ago=2)
    assert render_queued_pdfs() == 1
    assert "Bo Second" not in pdf_text(client.get("/portraits/ana-premiere.pdf").data)
    second = make_submission(State.APPROVED, name="Bo Second", email="bo@example.org")

    decisions.publish(second, blogger, second.version)
    db.session.commit()

    assert rendition(first).status == "pending"
    assert "Bo Second" not in pdf_text(client.get("/portraits/ana-premiere.pdf").data)
    assert render_queued_pdfs() == 2  # Bo Second's own PDF and Ana Première's new one
    text = pdf_text(client.get("/portraits/ana-premiere.pdf").data)
    assert f"Portrait de gestionnaire de communauté : Bo Second {BASE}/portraits/bo-second" in text
    decisions.unpublish(second, blogger, second.version)
    db.session.commit()
    assert render_queued_pdfs() == 1
    assert "Bo Second" not in pdf_text(client.get("/portraits/ana-premiere.pdf").data)

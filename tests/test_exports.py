"""The blog exports: WordPress HTML with absolute URLs only, and escaped Markdown."""

import html
import re

import markdown
import pytest

from intake.enums import State
from intake.publishing.exports import blog_exports, escape_markdown, markdown_url
from intake.publishing.view import typeset
from tests.support.documents import norm, parse_html
from tests.support.factories import add_photo, make_portrait
from tests.support.seeds import HOSTILE_ANSWERS, carl, hostile, jean_luc

BASE = "https://portraits.example.org"


def test_wordpress_export_has_only_absolute_urls(app):
    carl()
    submission = jean_luc(photo=False)
    add_photo(submission, caption="Jean-Luc")
    add_photo(submission, kind="workspace", caption="L’environnement de travail de Jean-Luc")

    parsed = parse_html(blog_exports(submission)["html"])

    assert len(parsed.urls) == 6
    assert all(url.startswith((BASE + "/", "http://", "https://")) for url in parsed.urls)
    assert f"{BASE}/portraits/jean-luc-sanscartier/photo/portrait.jpg" in parsed.urls
    assert f"{BASE}/portraits/jean-luc-sanscartier/photo/workspace.jpg" in parsed.urls
    assert f"{BASE}/portraits/jean-luc-sanscartier.pdf" in parsed.urls
    assert f"{BASE}/portraits/carl-olivier-perras-beaulieu" in parsed.urls


def test_wordpress_export_is_clean_semantic_html(app):
    exported = blog_exports(carl())["html"]
    tags = parse_html(exported).tags

    assert {tag for tag, _ in tags} == {"p", "h2", "ul", "li", "a", "figure", "img",
                                        "figcaption"}
    assert not any(name in ("class", "style", "id") or name.startswith("on")
                   for _, attrs in tags for name in attrs)
    assert "<h2>Quel est le plus grand défi pour ta marque?</h2>" in exported
    assert "<li>Garder la communauté intéressée.</li>" in exported


def test_wordpress_export_escapes_hostile_answers(app):
    exported = blog_exports(hostile())["html"]

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in exported
    assert not any(url.startswith("file:") for url in parse_html(exported).urls)
    text = norm(" ".join(parse_html(exported).text))
    for payload in HOSTILE_ANSWERS:
        assert norm(typeset(payload, "fr")) in text


@pytest.mark.parametrize("text", [
    "*gras* et _italique_ et **fort**",
    "[clic](javascript:alert(1)) ![img](file:///etc/passwd)",
    "<script>alert(1)</script> &amp; &copy; a|b ~~barré~~",
    "1. pas une liste\n2) non plus\n- ni ça\n+ ni ça\n# pas un titre\n> pas une citation",
    "Titre\n===\nsous-titre\n---",
    "`code` et \\ barre oblique inverse {accolades}",
    "Heure : 12:30, 50 % de 3 * 4 = 12 #jeudiconfession @handle",
])
def test_escape_markdown_shows_text_exactly(text):
    rendered = markdown.markdown(escape_markdown(text))

    assert not re.search(r"<(?!/?(?:p|br)\b)", rendered)
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == text


def test_markdown_url_cannot_close_the_link():
    assert markdown_url("https://exemple.com/a_(b) c") == "https://exemple.com/a_%28b%29%20c"


def test_markdown_export_has_absolute_links_and_escaped_answers(app):
    carl()
    submission = make_portrait(
        "Émilie *Étoile*", "emilie-etoile",
        [("Ton _truc_?", "Voici [un lien](javascript:alert(1)) et <b>gras</b>.\n- un\n- deux")],
        links={"x": "@emilie"},
    )

    exported = blog_exports(submission)["markdown"]
    rendered = markdown.markdown(exported)
    parsed = parse_html(rendered)

    title = "# Portrait de gestionnaire de communauté\u00a0: Émilie \\*Étoile\\*\n"
    assert exported.startswith(title)
    assert all(url.startswith((BASE + "/", "https://")) for url in parsed.urls)
    assert f"{BASE}/portraits/emilie-etoile/photo/portrait.jpg" in parsed.urls
    assert f"{BASE}/portraits/carl-olivier-perras-beaulieu" in parsed.urls
    assert "https://x.com/emilie" in parsed.urls
    assert "javascript:alert(1)" not in parsed.urls
    assert "Voici [un lien](javascript\u00a0:alert(1)) et &lt;b&gt;gras&lt;/b&gt;." in rendered
    assert "<li>X (Twitter)\u00a0: <a href=\"https://x.com/emilie\">@emilie</a></li>" in rendered
    assert "<li>un</li>" in rendered


def test_export_page_needs_login(client):
    submission = jean_luc()

    response = client.get(f"/admin/submissions/{submission.id}/export")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_export_page_shows_readonly_html_and_markdown(blogger_client):
    submission = jean_luc()

    page = blogger_client.get(f"/admin/submissions/{submission.id}/export").get_data(as_text=True)
    tags = parse_html(page).tags

    areas = [attrs for tag, attrs in tags if tag == "textarea"]
    assert [(a["id"], "readonly" in a) for a in areas] == [("export-html", True),
                                                           ("export-md", True)]
    assert "&lt;h2&gt;En quelle année as-tu créé" in page
    assert "/static/js/copy.js" in parse_html(page).urls
    assert "n’est pas encore publié" not in page


def test_export_page_warns_when_not_published(blogger_client):
    submission = make_portrait("Ana Brouillon", "ana-brouillon", [("Q?", "R.")],
                               state=State.APPROVED)

    page = blogger_client.get(f"/admin/submissions/{submission.id}/export").get_data(as_text=True)

    assert "Ce portrait n’est pas encore publié" in page
    assert blogger_client.get("/admin/submissions/9999/export").status_code == 404

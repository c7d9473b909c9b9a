"""The two seed portraits, taken through the whole path, come out in the seeds' shape: the
post and the PDF hold the series introduction, the blogger's introduction, every question and
answer in the seed's order, « Pour suivre », « Autres portraits » and « Lecture »."""

import re

import pytest

from intake.extensions import db
from intake.i18n import set_typography_convention
from intake.publishing.pages import render_stale_pages
from intake.publishing.pdf import render_portrait_pdf
from intake.publishing.stored import mark_stale
from intake.publishing.text import line_text
from intake.publishing.view import blocks, typeset
from intake.questionnaire.series import current_questionnaire
from tests.support.documents import norm, pdf_text, squash
from tests.support.factories import make_portrait
from tests.support.publishing import CARL, JEAN_LUC, article, pdf_pages_text, publish_seed

SERIES = "Portrait de gestionnaire de communauté"
READING_FIRST = "Démystifier le métier de gestionnaire de communauté au Québec"


def expected_blocks(submission, seed, others: list[str]) -> list[tuple[str, str]]:
    """Return the (tag, text) blocks the post must show, in the seeds' order."""
    def paragraphs(text: str, tag_of=lambda block: "p") -> list[tuple[str, str]]:
        out = []
        for block in blocks(text, "fr"):
            if block.kind == "ul":
                out += [("li", norm(line_text(line))) for line in block.lines]
            else:
                out.append(("p", norm(" ".join(line_text(line) for line in block.lines))))
        return out

    series = current_questionnaire()
    wanted = [("h1", norm(f"{SERIES} : {seed.name}"))]
    wanted += paragraphs(series.intro_fr) + paragraphs(seed.editor_intro)
    wanted.append(("figcaption", norm(f"{seed.name} au bureau · Photo : Anne")))
    answers = sorted(submission.answers, key=lambda a: a.position)
    for answer, (_question, body) in zip(answers, seed.pairs, strict=False):
        wanted.append(("h2", norm(typeset(answer.question_text, "fr"))))
        wanted += paragraphs(body)
    wanted.append(("h2", norm(f"Pour suivre {seed.name}")))
    wanted += [("li", norm(f"{label} : {handle}")) for label, handle in seed.follow]
    wanted.append(("h2", "Autres portraits"))
    wanted += [("li", norm(title)) for title in others]
    wanted.append(("p", "Tous les portraits"))
    wanted.append(("h2", "Lecture"))
    return wanted


def post_blocks(client, slug: str) -> list[tuple[str, str]]:
    """Return the post's blocks up to « Lecture », without the header's date and download
    button and the workspace photo's caption (its place is checked elsewhere)."""
    page = client.get(f"/portraits/{slug}").get_data(as_text=True)
    found = [(tag, norm(text)) for tag, text in article(page).blocks]
    header = {found[1], ("p", "Télécharger le PDF")}
    assert re.fullmatch(r"\d{1,2} \w+ \d{4}", found[1][1])  # the publication date
    found = [b for b in found if b not in header
             and not b[1].startswith("L’environnement de travail")]
    return found[: found.index(("h2", "Lecture")) + 1]


@pytest.fixture
def seeds(app):
    """Publish Carl-Olivier's portrait, then Jean-Luc's, through the whole path."""
    carl, carl_seed = publish_seed(CARL)
    jean_luc, jean_luc_seed = publish_seed(JEAN_LUC)
    render_stale_pages()  # the worker's turn: Carl's page now lists Jean-Luc
    db.session.commit()
    carl_seed.follow = [("Facebook", "carlolivier"), ("X (Twitter)", "@perrasc19"),
                        ("LinkedIn", "carlolivierperrasbeaulieu")]
    # The seed lists LinkedIn first; the app keeps its networks' order (X before LinkedIn).
    jean_luc_seed.follow = [("X (Twitter)", "@jeanlucs"), ("LinkedIn", "jeanlucsanscartier")]
    return {"carl": (carl, carl_seed), "jean_luc": (jean_luc, jean_luc_seed)}


@pytest.mark.parametrize(("who", "other"), [("carl", "jean_luc"), ("jean_luc", "carl")])
def test_seed_post_holds_the_seeds_sections_in_order(client, seeds, who, other):
    submission, seed = seeds[who]
    other_title = f"{SERIES} : {seeds[other][1].name}"

    found = post_blocks(client, submission.slug)

    wanted = expected_blocks(submission, seed, [other_title])
    assert found == wanted


@pytest.mark.parametrize(("who", "other"), [("carl", "jean_luc"), ("jean_luc", "carl")])
def test_seed_pdf_holds_the_seeds_sections_in_order(seeds, who, other):
    submission, seed = seeds[who]
    text = squash(pdf_text(render_portrait_pdf(submission)))

    wanted = [text for _tag, text in expected_blocks(
        submission, seed, [f"{SERIES} : {seeds[other][1].name}"])]
    wanted += ["Démystifier le métier de gestionnaire de communauté au Québec",
               "Caracteristics of a community manager"]
    positions = [text.find(squash(part)) for part in wanted]
    assert [part for part, at in zip(wanted, positions, strict=True) if at < 0] == []
    assert positions == sorted(positions)


def test_seed_typography_stays_as_typed_under_quebec_rules(client, seeds):
    page = client.get(f"/portraits/{seeds['carl'][0].slug}").get_data(as_text=True)
    pdf = pdf_text(render_portrait_pdf(seeds["carl"][0]))

    for typed in ("En quoi as-tu étudié?", "Quel outil fabuleux!", "c’est une première!",
                  "Que penses-tu de Google+?"):
        assert typed in page
        assert typed in pdf
    assert "\u202f" not in page


def test_seed_typography_follows_a_france_blog(client, seeds):
    set_typography_convention("france")
    mark_stale()  # as the settings page does; then the worker's turn
    db.session.commit()
    render_stale_pages()

    page = client.get(f"/portraits/{seeds['carl'][0].slug}").get_data(as_text=True)

    assert "En quoi as-tu étudié\u202f?" in page
    assert "Quel outil fabuleux\u202f!" in page
    assert "En quoi as-tu étudié?" not in page


def test_public_pages_carry_the_series_name_as_site_title(client, seeds):
    post = client.get(f"/portraits/{seeds['carl'][0].slug}").get_data(as_text=True)
    index = client.get("/").get_data(as_text=True)

    brand = f'<a class="brand" href="/">{SERIES}</a>'
    assert brand in post and brand in index
    assert f"<title>{SERIES}\u00a0: Carl-Olivier Perras-Beaulieu · {SERIES}</title>" in post
    assert article(post).blocks[0] == ("h1", f"{SERIES} : Carl-Olivier Perras-Beaulieu")
    assert ">Portraits<" not in post


@pytest.mark.parametrize("who", ["carl", "jean_luc"])
def test_seed_pdf_never_ends_a_page_on_a_question_nor_leaves_lecture_alone(seeds, who):
    submission, _seed = seeds[who]
    pages = pdf_pages_text(render_portrait_pdf(submission))
    questions = [norm(typeset(a.question_text, "fr")) for a in submission.answers]

    def last_line(page: str) -> str:
        lines = [norm(line) for line in page.splitlines() if line.strip()]
        return [line for line in lines if not re.fullmatch(r"\d+ / \d+", line)][-1]

    assert len(pages) > 3
    ends = [last_line(page) for page in pages[:-1]]
    assert [end for end in ends if any(q.endswith(end) for q in questions)] == []
    last = norm(pages[-1])
    assert "Lecture" in last and "Autres portraits" in last and "Pour suivre" in last


@pytest.mark.parametrize("step", [4, 5, 6])
def test_lecture_is_never_alone_on_the_last_page(app, step):
    # Answer lengths that, without the page-break rules, leave « Lecture » alone on page 3.
    sentence = "Je gère la communauté avec soin et beaucoup de plaisir chaque jour de la semaine"
    words = sentence.split()
    answers = [(f"Question numéro {i} pour tester les sauts de page?",
                " ".join((words * 20)[: 20 + (i * step) % 90])) for i in range(12)]
    submission = make_portrait(f"Test {step}", f"test-{step}", answers, photo=False)

    last = norm(pdf_pages_text(render_portrait_pdf(submission))[-1])

    assert "Lecture" in last
    assert norm(answers[-1][1][-40:]) in last  # the end of the last answer keeps it company

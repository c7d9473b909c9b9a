"""The two seed portraits read section by section, and taken through the whole path
(invitation → answers → review → publish) with the domain functions the pages call."""

import io
import json
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources

from pypdf import PdfReader

from intake.auth.accounts import create_user
from intake.extensions import db
from intake.invitations import operations
from intake.models import Submission, User
from intake.publishing import renditions
from intake.questionnaire import drafts, structure
from intake.questionnaire import submit as submitting
from intake.questionnaire.drafts import Draft, PhotoDraft
from intake.submissions import decisions, editing
from tests.support.images import jpeg
from tests.support.seeds import CARL, JEAN_LUC, SEEDS

NAMES = {CARL: "Carl-Olivier Perras-Beaulieu", JEAN_LUC: "Jean-Luc Sanscartier"}
HANDLES = {
    CARL: {"facebook": "www.facebook.com/carlolivier", "x": "@perrasc19",
           "linkedin": "www.linkedin.com/in/carlolivierperrasbeaulieu"},
    JEAN_LUC: {"linkedin": "http://ca.linkedin.com/in/jeanlucsanscartier", "x": "@jeanlucs"},
}
WORKSPACE_CAPTION = re.compile(r"^L'environnement de travail de .*$", re.M)


@dataclass
class Seed:
    """A seed post cut into its sections, as the blogger published it."""

    name: str
    editor_intro: str
    pairs: list[tuple[str, str]]  # (question as published, answer)
    workspace_caption: str = ""
    handles: dict = field(default_factory=dict)


def read_seed(filename: str) -> Seed:
    """Cut a seed post into the blogger's introduction, the questions and answers, in order."""
    text = (SEEDS / filename).read_text(encoding="utf-8")
    caption = WORKSPACE_CAPTION.search(text)
    body = text[text.index("que je suis tous les jours."):text.index("Pour suivre")]
    if caption:
        body = body.replace(caption.group(0), "")
    chunks = [c.strip() for c in re.split(r"\n\s*\n", body) if c.strip()][1:]
    intro, pairs, known = chunks[0], [], seed_question_keys()
    for chunk in chunks[1:]:
        if "\n" not in chunk and (chunk.endswith("?") and len(chunk) < 200
                                  or wording_key(chunk) in known):
            pairs.append((chunk, []))
        elif pairs:
            pairs[-1][1].append(chunk)
    return Seed(NAMES[filename], " ".join(intro.split()),
                [(q, "\n\n".join(a)) for q, a in pairs if a],
                caption.group(0).strip() if caption else "", HANDLES[filename])


def seed_question_keys() -> dict[str, str]:
    """Return the question key of every wording the seed posts used (the data file's
    seed_variants), by normalised wording."""
    data = json.loads(resources.files("intake.data").joinpath("questionnaire.json")
                      .read_text(encoding="utf-8"))
    return {wording_key(variant): question["key"]
            for section in data["sections"] for question in section["questions"]
            for variant in question.get("seed_variants", [])}


def wording_key(text: str) -> str:
    """Return a question's wording reduced to lower-case words (for matching)."""
    return " ".join(re.findall(r"\w+", text.replace("’", "'").lower()))


def blogger_account() -> User:
    """Return the blogger who invites and publishes (created once)."""
    user = db.session.scalar(db.select(User).where(User.email == "seeds@example.org"))
    return user or create_user("seeds@example.org", "correct horse battery", name="Marie")


def publish_seed(filename: str, *, language: str = "fr", intro: str | None = None,
                 answers: dict[str, str] | None = None) -> tuple[Submission, Seed]:
    """Take a seed portrait through the whole path and publish it; commits.

    The blogger invites (the questions the series lacks become the person's own), the person
    types every seed answer, photos and handles and sends them, the blogger writes the
    introduction, puts the answers in the seed's order, approves and publishes.
    `answers` replaces some answers by seed question.
    """
    seed = read_seed(filename)
    keys = seed_question_keys()
    extra = [q for q, _ in seed.pairs if wording_key(q) not in keys]
    blogger = blogger_account()
    invitation, _token = operations.create_invitation(
        name=seed.name, email=re.sub(r"[^a-z]", "", seed.name.lower()) + "@example.org",
        language=language, extra_questions=extra, created_by=blogger)
    submission = invitation.submission
    questions = structure.all_questions(submission)
    by_key = {q.key: q for q in questions if not q.invitation_id}
    by_text = {wording_key(q.text_fr): q for q in questions if q.invitation_id}
    typed = {**dict(seed.pairs), **(answers or {})}
    chosen = {}
    for question, _answer in seed.pairs:
        key = keys.get(wording_key(question))
        target = by_key[key] if key else by_text[wording_key(question)]
        chosen[question] = target
    photos = {"portrait": PhotoDraft(jpeg((640, 800)), f"{seed.name} au bureau", "Photo : Anne")}
    if seed.workspace_caption:
        photos["workspace"] = PhotoDraft(jpeg((800, 500), (40, 90, 160)), seed.workspace_caption)
    errors = drafts.save_draft(submission, Draft(
        answers={chosen[q].id: typed[q] for q in chosen}, handles=seed.handles, photos=photos,
        identity={"display_name": seed.name}))
    assert errors == {}, errors
    submitting.submit(submission, submission.version, consent=True)
    editing.save_settings(submission, blogger, title="", slug="",
                          editor_intro=seed.editor_intro if intro is None else intro,
                          publication_date=None, proof_requested=False)
    order = {chosen[q].id: position for position, (q, _) in enumerate(seed.pairs)}
    editing.save_answer_edits(submission, blogger, [
        editing.AnswerEdit(a.id, a.published_body, a.question_id not in order,
                           order.get(a.question_id, 999))
        for a in submission.answers])
    decisions.approve(submission, blogger, submission.version)
    decisions.publish(submission, blogger, submission.version)
    db.session.commit()
    return submission, seed


class _Article(HTMLParser):
    """Collect an article's blocks in order: (tag, text) of headings, paragraphs, items,
    captions, with every link (href, rel) met."""

    BLOCKS = {"h1", "h2", "p", "li", "figcaption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.blocks: list[tuple[str, str]] = []
        self.links: list[dict] = []
        self.current: list[str] | None = None
        self.tag = ""

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if tag in self.BLOCKS:
            self.current, self.tag = [], tag
        if tag == "a":
            self.links.append(dict(attrs))

    def handle_endtag(self, tag):
        if self.depth and tag == self.tag and self.current is not None:
            self.blocks.append((tag, " ".join("".join(self.current).split())))
            self.current = None
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and self.current is not None:
            self.current.append(data)


def article(html: str) -> _Article:
    """Return the blocks and links of the page's <article>."""
    parser = _Article()
    parser.feed(html)
    parser.close()
    return parser


def article_html(html: str) -> str:
    """Return the <article> element of a page, its white space normalised."""
    start = html.index("<article")
    return " ".join(html[start:html.index("</article>", start) + 10].split())


def pdf_links(data: bytes) -> list[str]:
    """Return the /URI of every link annotation of a PDF, page by page, read with pypdf."""
    uris = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/URI"):
                uris.append(str(action["/URI"]))
    return uris


def pdf_pages_text(data: bytes) -> list[str]:
    """Return the text of each page of a PDF read back by pdftotext."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        out = subprocess.run(["pdftotext", "-layout", file.name, "-"], capture_output=True,
                             check=True, timeout=60).stdout.decode("utf-8")
    return [page for page in out.split("\f") if page.strip()]


def render_queued_pdfs() -> int:
    """Do the worker's PDF job until no PDF is asked for; commits; returns how many it rendered."""
    db.session.commit()
    done = 0
    while renditions.render_queued():
        done += 1
    return done


def wait_for_pdf(submission_id: int, timeout: float = 60) -> None:
    """Wait until a worker process has stored a portrait's PDF; commits (ends each read)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        row = renditions.rendition(db.session.get(Submission, submission_id))
        if row is not None and row.status == "ready":
            return
        time.sleep(0.1)
    raise AssertionError(f"no PDF rendered for submission {submission_id} in {timeout} s")

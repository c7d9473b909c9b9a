"""Published portraits built directly with the models, from the seed posts' real answers."""

import io
import re
import subprocess
import tempfile
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image, ImageDraw

from intake.enums import State
from intake.extensions import db
from intake.links import issue_token
from intake.models import Answer, Invitation, Photo, SocialLink, Submission
from intake.photos.pipeline import process_photo
from intake.questionnaire.handles import normalise_handle
from intake.questionnaire.series import current_questionnaire

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"
CARL = "000_b199f0117ce747f9.txt"
JEAN_LUC = "004_a602d5d009bc632c.txt"

HOSTILE_ANSWERS = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<style>@import url("file:///etc/passwd")</style>',
    '<base href="file:///etc/"><img src="shadow">',
    "<style>@font-face { font-family: X; src: url(file:///dev/urandom) } "
    "p { font-family: X }</style>",
    "<script>alert(1)</script>",
]
HOSTILE_URLS = ["file:///etc/passwd", "file:///dev/urandom", "file:///etc/shadow"]


def seed_answers(filename: str) -> list[tuple[str, str]]:
    """Return (question, answer) pairs of a seed post, in order, answers keeping their lines."""
    text = (SEEDS / filename).read_text(encoding="utf-8")
    start = text.index("\n\n", text.index("que je suis tous les jours."))
    body = text[start:text.index("Pour suivre")]
    chunks = [c.strip() for c in re.split(r"\n\s*\n", body) if c.strip()]
    chunks = chunks[1:]  # the blogger's introduction of the person
    pairs: list[tuple[str, list[str]]] = []
    for chunk in chunks:
        if chunk.rstrip().endswith("?") and "\n" not in chunk:
            pairs.append((chunk, []))
        elif pairs:
            pairs[-1][1].append(chunk)
    return [(q, "\n\n".join(a)) for q, a in pairs if a]


def jpeg(width: int = 640, height: int = 480, colour=(180, 60, 90)) -> bytes:
    """Return a JPEG drawn with Pillow."""
    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).ellipse((width // 4, height // 4, width // 2, height // 2),
                                  fill=(250, 220, 120))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def add_photo(submission: Submission, kind: str = "portrait", caption: str = "",
              credit: str = "", crop: dict | None = None, **size) -> Photo:
    """Attach a processed Pillow-made photo to a submission."""
    processed = process_photo(jpeg(**size))
    photo = Photo(submission=submission, kind=kind, caption=caption, credit=credit,
                  data=processed.data, sha256=processed.sha256, mime=processed.mime,
                  width=processed.width, height=processed.height, crop=crop)
    db.session.add(photo)
    return photo


def make_portrait(name: str, slug: str, answers: list[tuple[str, str]], *,
                  language: str = "fr", state: State = State.PUBLISHED,
                  published_days_ago: int = 0, links: dict[str, str] | None = None,
                  hidden: set[int] = frozenset(), edited: dict[int, str] | None = None,
                  photo: bool = True, role_title: str = "", organisation: str = "",
                  editor_intro: str = "", title: str = "") -> Submission:
    """Create an invitation and a submission with answers, links and a photo; commits."""
    questionnaire = current_questionnaire()
    invitation = Invitation(
        questionnaire_id=questionnaire.id, name=name,
        email=re.sub(r"[^a-z]", "", name.lower()) + "@example.org", language=language,
        token_nonce="", token_sha256="", expires_at=datetime.now(UTC) + timedelta(days=30),
    )
    db.session.add(invitation)
    issue_token(invitation)
    published_at = datetime.now(UTC) - timedelta(days=published_days_ago)
    submission = Submission(
        invitation=invitation, state=state.value, slug=slug, display_name=name,
        role_title=role_title, organisation=organisation, editor_intro=editor_intro,
        title=title,
        publication_date=(date.today() - timedelta(days=published_days_ago)
                          if state == State.PUBLISHED else None),
        published_at=published_at if state == State.PUBLISHED else None,
    )
    db.session.add(submission)
    for position, (question, body) in enumerate(answers):
        db.session.add(Answer(
            submission=submission, question_text=question, body=body, position=position,
            hidden=position in hidden, edited_body=(edited or {}).get(position),
        ))
    for position, (network, raw) in enumerate((links or {}).items()):
        handle = normalise_handle(network, raw)
        db.session.add(SocialLink(submission=submission, network=handle.network,
                                  handle=handle.handle, url=handle.url, position=position))
    if photo:
        add_photo(submission, caption=f"{name} au travail", credit="Studio Exemple")
    db.session.commit()
    return submission


def carl(**overrides) -> Submission:
    """Publish Carl-Olivier's seed portrait (every answer of the seed post)."""
    options = {
        "links": {"facebook": "www.facebook.com/carlolivier", "x": "@perrasc19",
                  "linkedin": "www.linkedin.com/in/carlolivierperrasbeaulieu"},
        "role_title": "Agent d’information (web et médias sociaux)",
        "organisation": "École de technologie supérieure",
        "editor_intro": "Cette semaine, je vous présente Carl-Olivier Perras-Beaulieu, qui gère "
                        "le compte de l’ÉTS.",
        "published_days_ago": 10,
    }
    options.update(overrides)
    return make_portrait("Carl-Olivier Perras-Beaulieu", "carl-olivier-perras-beaulieu",
                         seed_answers(CARL), **options)


def jean_luc(**overrides) -> Submission:
    """Publish Jean-Luc's seed portrait (every answer of the seed post, with its emoji)."""
    options = {
        "links": {"linkedin": "http://ca.linkedin.com/in/jeanlucsanscartier",
                  "x": "@jeanlucs"},
        "published_days_ago": 3,
    }
    options.update(overrides)
    return make_portrait("Jean-Luc Sanscartier", "jean-luc-sanscartier",
                         seed_answers(JEAN_LUC), **options)


def hostile(**overrides) -> Submission:
    """Publish a portrait whose answers try to make the renderers fetch local files."""
    answers = [(f"Question piège {n} ?", payload) for n, payload in enumerate(HOSTILE_ANSWERS)]
    return make_portrait("Mallory Test", "mallory-test", answers, **overrides)


def norm(text: str) -> str:
    """Collapse every run of white space (no-break and thin spaces too) into one space."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def squash(text: str) -> str:
    """Remove every white space, so text wrapped at any point compares equal."""
    return "".join(norm(text).split())


class _TextAndLinks(HTMLParser):
    """Collect the text and every href/src of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.urls: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]

    def handle_data(self, data):
        self.text.append(data)


def parse_html(html: str) -> _TextAndLinks:
    """Parse HTML and return its text, links and tags."""
    parser = _TextAndLinks()
    parser.feed(html)
    parser.close()
    return parser


def html_text(html: str) -> str:
    """Return the normalised visible text of an HTML page."""
    return norm(" ".join(parse_html(html).text))


def pdf_text(data: bytes, series: str = "Portrait de gestionnaire de communauté") -> str:
    """Return a PDF's text read back by pdftotext, without running headers and page numbers."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        out = subprocess.run(["pdftotext", "-layout", file.name, "-"], capture_output=True,
                             check=True, timeout=60).stdout.decode("utf-8")
    out = re.sub("\u2010[ \\t]*\n[ \\t]*", "", out)  # a word hyphenated at a line end, joined
    lines = [line for line in out.replace("\f", "\n").split("\n")
             if line.strip() != series and not re.fullmatch(r"\s*\d+\s*/\s*\d+\s*", line)]
    return norm("\n".join(lines))

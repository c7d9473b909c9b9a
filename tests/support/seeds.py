"""The two published seed portraits (Carl-Olivier's and Jean-Luc's) and a hostile one, as data.

The seed posts are tests/data/seeds/*.txt, copies of the real published portraits.
"""

import re
from pathlib import Path

from intake.models import Submission
from tests.support.factories import make_portrait

SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"
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

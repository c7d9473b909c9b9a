"""The text of a post as data: paragraphs and lists of runs (plain text or links), typeset.

Nothing a person typed ever becomes HTML. A line is a tuple of Runs — text, or a link with its
address and rel — that templates render with autoescape and the Markdown export escapes.

- Addresses in answers (http:// and https://, and www.…) are found by linkify-it-py, a port of
  the linkifier markdown-it uses (its address grammar follows the URL standard and knows
  punctuation around links, brackets and trailing dots); bare domain names such as
  « Hootsuite.com » or « performance.Je » stay text.
- The blogger's own texts (series and personal introductions) may also carry Markdown-style
  links, « [texte](https://…) »: only http(s) addresses; the link text is typeset and escaped.

Typography is applied to the whole line with each link hidden behind one placeholder, so the
rules see the words around a link as they are (« voir <lien> : » gets its no-break space).
"""

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from urllib.parse import urlsplit

from linkify_it import LinkifyIt

from intake.i18n import typography_convention
from intake.typography import french_typography, typographic_english

UGC_REL = "nofollow ugc noopener"  # what invitees typed
OWN_REL = "noopener"  # the blogger's own links
CACHE_SIZE = 4096  # lines and titles, typeset once per process

_BULLET = re.compile(r"^\s*(?:[-*]\s+|[–—•]\s*)(?=\S)")
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")
_MARKDOWN_LINK = re.compile(
    r"\[([^\[\]\n]+)\]\((https?://[^\s()<>\"]+(?:\([^\s()<>\"]*\)[^\s()<>\"]*)*)\)", re.I)
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f<>\"\\`]")
_local = threading.local()


@dataclass(frozen=True)
class Run:
    """A piece of a line: plain text, or a link (its address and rel) showing text."""

    text: str
    url: str = ""
    rel: str = ""


@dataclass
class Block:
    """A paragraph (its lines, shown with line breaks) or a bulleted list (its items)."""

    kind: str  # "p" or "ul"
    lines: list[tuple[Run, ...]]


def line_text(line: tuple[Run, ...]) -> str:
    """Return what a line reads as, links included as their text."""
    return "".join(run.text for run in line)


def typeset(text: str, language: str) -> str:
    """Return plain text with the typography of its language (French: the blog's convention)."""
    if not text:
        return ""
    return _typeset(text, language, typography_convention() if language == "fr" else "")


@lru_cache(maxsize=CACHE_SIZE)
def _typeset(text: str, language: str, convention: str) -> str:
    """Typeset text once: every reader of a post asks for the same lines (pure function)."""
    return french_typography(text, convention) if language == "fr" else typographic_english(text)


def safe_url(url: str) -> str:
    """Return an http(s) address fit for an href, or "" for anything else."""
    url = url.strip()
    if _UNSAFE_IN_URL.search(url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def _linkifier() -> LinkifyIt:
    """Return this thread's linkifier (LinkifyIt keeps state between calls)."""
    if not hasattr(_local, "linkify"):
        _local.linkify = LinkifyIt()
    return _local.linkify


def _found_links(text: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """Return (start, end, text, address) of the http(s) and www. links in text[start:end]."""
    found = []
    for match in _linkifier().match(text[start:end]) or []:
        typed = match.text
        if match.schema.lower() in ("http:", "https:"):
            url = safe_url(match.url)
        elif match.schema == "" and typed.lower().startswith("www."):
            url = safe_url("https://" + typed)
        else:
            continue  # e-mail addresses, ftp:, //host, bare domain names stay text
        if url:
            found.append((start + match.index, start + match.last_index, typed, url))
    return found


def _spans(line: str, own: bool) -> list[tuple[int, int, str, str, bool]]:
    """Return the links of a line: (start, end, shown text, address, text is typed as is)."""
    spans, cursor = [], 0
    markdown = list(_MARKDOWN_LINK.finditer(line)) if own else []
    for match in markdown:
        spans += [(*link, True) for link in _found_links(line, cursor, match.start())]
        url = safe_url(match.group(2))
        if url:
            spans.append((match.start(), match.end(), match.group(1), url, False))
        cursor = match.end() if url else match.start()
    spans += [(*link, True) for link in _found_links(line, cursor, len(line))]
    return sorted(spans)


def runs(line: str, language: str, *, own: bool = False) -> tuple[Run, ...]:
    """Return a line as typeset runs, its addresses (and, for the blogger's own texts, its
    Markdown-style links) turned into links."""
    if not line:
        return ()
    return _runs(line, language, typography_convention() if language == "fr" else "", own)


@lru_cache(maxsize=CACHE_SIZE)
def _runs(line: str, language: str, convention: str, own: bool) -> tuple[Run, ...]:
    """Split and typeset a line once (pure function of its arguments)."""
    spans = _spans(line, own)
    if not spans:
        return (Run(_typeset(line, language, convention)),)
    taken = set(line)
    free = (chr(c) for c in chain(range(0xE000, 0xF900), range(0xF0000, 0xFFFFE))
            if chr(c) not in taken)
    links, hidden, cursor = {}, [], 0
    rel = OWN_REL if own else UGC_REL
    for start, end, shown, url, as_typed in spans:
        placeholder = next(free)
        text = shown if as_typed else _typeset(shown, language, convention)
        links[placeholder] = Run(text, url, rel)
        hidden += [line[cursor:start], placeholder]
        cursor = end
    hidden.append(line[cursor:])
    typeset_line = _typeset("".join(hidden), language, convention)
    pieces = re.split("([" + "".join(links) + "])", typeset_line)
    return tuple(links[piece] if piece in links else Run(piece) for piece in pieces if piece)


def blocks(text: str, language: str, *, own: bool = False) -> list[Block]:
    """Split text into paragraphs and lists of runs: blank lines part blocks, bullet lines
    make lists."""
    result: list[Block] = []
    normalised = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    for chunk in _BLANK_LINES.split(normalised):
        chunk_blocks: list[Block] = []
        for line in (line.strip() for line in chunk.split("\n")):
            if not line:
                continue
            bullet = _BULLET.match(line)
            kind = "ul" if bullet else "p"
            content = runs(line[bullet.end():] if bullet else line, language, own=own)
            if chunk_blocks and chunk_blocks[-1].kind == kind:
                chunk_blocks[-1].lines.append(content)
            else:
                chunk_blocks.append(Block(kind, [content]))
        result.extend(chunk_blocks)
    return result

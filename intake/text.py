"""Typed text, cleaned once where it enters: every form field (intake/forms.py) and every
domain function that stores what a person typed (answers, names, notes, the bulk list, CLI
arguments) pass it through `clean_text`.

What goes, and why:
- control characters (C0 but TAB and LF in multi-line text, DEL, C1): invalid in XML (the Atom
  feed), invisible everywhere else; CR, CRLF, NEL, VT, FF, U+2028 and U+2029 become LF first;
- bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they
  reorder what is shown ("Alice ‮gnp.exe‬" reads as "Alice exe.png"). The marks LRM, RLM and
  ALM stay: they cannot reverse a run, and right-to-left names need them;
- zero-width and invisible format characters (U+200B, U+200C, U+2060, U+FEFF, U+180E,
  U+2061–U+2064, U+206A–U+206F, U+FFF9–U+FFFB) and Hangul fillers (U+3164, U+FFA0) that make
  a name look empty or like another;
- U+200D ZERO WIDTH JOINER, except between two emoji (👩‍💻, 🏳️‍🌈, 👨🏽‍💻 keep theirs):
  after an emoji, its VS16 or a skin tone, and before an emoji;
- tag characters (U+E0000–U+E007F: hidden ASCII), except in an emoji tag sequence (the flags
  of England, Scotland, Wales: U+1F3F4, tags, U+E007F);
- surrogates and the noncharacters U+FDD0–U+FDEF, U+FFFE, U+FFFF.
Then the text is put in Unicode NFC (é typed as e + U+0301 becomes one character), and the
ends are trimmed. Single-line text has its TABs and line breaks turned into spaces.
Cleaning twice gives the same text as cleaning once.
"""

import re
import unicodedata

LINE_BREAKS = re.compile("\r\n|[\r\x85\v\f\u2028\u2029]")
DROPPED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # controls (TAB and LF are handled apart)
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides, isolates
    "\u200b\u200c\u2060\ufeff\u180e\u2061-\u2064\u206a-\u206f\ufff9-\ufffb"  # invisible
    "\u3164\uffa0"  # Hangul fillers
    "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"  # surrogates, noncharacters
)
# Emoji tag sequences (subdivision flags) are kept whole; any other tag character goes.
TAGS = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f)|[\U000e0000-\U000e007f]")
# Pictographic code points, as Unicode's Extended_Pictographic property (approximated by
# blocks): what may stand on both sides of a joiner in an emoji ZWJ sequence.
PICTOGRAPHS = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u2388"
    "\u23cf\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe"
    "\u2600-\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001faff\U0001fc00-\U0001fffd"
)
# The joiner stays only after an emoji (or its VS16, a skin tone, a tag sequence's end) and
# before another emoji.
STRAY_JOINER = re.compile(
    f"(?<![{PICTOGRAPHS}\ufe0f\U000e007f])\u200d|\u200d(?![{PICTOGRAPHS}])"
)
SINGLE_LINE_BREAKS = re.compile("[\t\n]")


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Return typed text without control, bidi-override and invisible characters, in NFC,
    trimmed; TABs and line breaks (unified to LF) are kept only in multi-line text."""
    text = LINE_BREAKS.sub("\n", value or "")
    text = DROPPED.sub("", text)
    text = TAGS.sub(lambda match: match.group(1) or "", text)
    text = STRAY_JOINER.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if not multiline:
        text = SINGLE_LINE_BREAKS.sub(" ", text)
    return text.strip()


def clean_line(value: str | None) -> str:
    """Return typed single-line text cleaned, with every run of blanks made one space."""
    return " ".join(clean_text(value).split())


def slugify(text: str) -> str:
    """Return a URL slug: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100]

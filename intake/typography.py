"""Typography for published plain text (escaping is left to the templates).

French text follows the blog's typographic convention (a blog setting, Québec by default):

- Québec (Office québécois de la langue française, the default): NO space before ``?``, ``!``
  and ``;`` — a space a person typed there is removed (« étudié ? » → « étudié? »), as the
  seed portraits and the OQLF's Banque de dépannage linguistique write for Québec usage;
- France: U+202F NARROW NO-BREAK SPACE before ``;``, ``!`` and ``?`` (a run such as ``?!``
  gets one), plain or no-break spaces there replaced, missing ones added.

Both conventions:

- U+00A0 NO-BREAK SPACE before the colon;
- U+00A0 inside « » guillemets; straight ``"x"`` and English ``“x”`` pairs become « x »,
  except inside guillemets, where they become the second-level quotes “x”;
- straight apostrophes become ’ between letters and after elided words (l’, d’, qu’, jusqu’…);
- ``...`` becomes the ellipsis character ….

A mark at the very start of a line, or right after an opening bracket or quote, is left as it is.

Never touched: URLs (``http://…``, ``www.…``, ``mailto:``, a bare ``https://``), e-mail
addresses, @handles, #hashtags, times and ratios (``12:30``), emoticons (``:)``, ``;-)``,
``:D``…), ``:shortcodes:``, character entities typed as text (``&amp;``), emoji, and every
letter, accented or not (including the ``J`` that Outlook's Wingdings smiley turns into).
The functions are idempotent.
"""

import re
from collections.abc import Callable
from itertools import chain

NBSP = "\u00a0"
NNBSP = "\u202f"
QUEBEC = "quebec"
FRANCE = "france"
CONVENTIONS = (QUEBEC, FRANCE)

_SPACE = "[ \t\u00a0\u202f\u2009\u2007]"  # horizontal spaces we may replace
_LETTER = r"[^\W\d_]"

_PROTECTED = re.compile(
    "|".join(
        [
            r"(?:https?://|ftp://|mailto:|www\.)[^\s<>\"«»“”]*[^\s<>\"«»“”.,;:!?)\]’']",
            r"\b(?:https?|ftp)://",  # a scheme named alone: « http:// ou https:// »
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail address
            r"(?<![\w@])@\w+",  # @handle
            r"(?<![\w#&])#\w+",  # #hashtag
            r"&#?\w+;",  # character entity typed as text
            r"\d+(?::\d+)+",  # time or ratio: 12:30, 16:9
            r":[a-z0-9_+-]+:",  # :emoji_shortcode:
            r"[:;=][-']?[)(DPpOo/\\|\]\[*](?=$|[\s.,!?…])",  # emoticon
        ]
    )
)

_ELLIPSIS = re.compile(r"\.{3,}")
_APOSTROPHE_BETWEEN_LETTERS = re.compile(rf"(?<={_LETTER})'(?={_LETTER})")
_ELISION = re.compile(r"\b(c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)'(?=\S)", re.I)
_QUOTE_PAIR = re.compile(rf"(?<!\w)[\"“]{_SPACE}*([^\"“”\n]+?){_SPACE}*[\"”](?!\w)")
_AFTER_OPENING_GUILLEMET = re.compile(rf"«{_SPACE}*(?=\S)")
_BEFORE_CLOSING_GUILLEMET = re.compile(rf"(?<=\S){_SPACE}*»")
_OPENERS = r"\s(\[{«“‘"
_BEFORE_HIGH_MARK = re.compile(rf"(?<=[^{_OPENERS}]){_SPACE}*([;!?]+)")
_BEFORE_COLON = re.compile(rf"(?<=[^{_OPENERS}]){_SPACE}*:")

_EN_APOSTROPHE = re.compile(r"(?<=\w)'|'(?=\d\ds\b)")
_EN_OPENING_SINGLE = re.compile(r"(?:^|(?<=[\s(\[{—–-]))'(?=\S)", re.M)
_EN_QUOTE_PAIR = re.compile(r"\"(?=\S)([^\"\n]*?)(?<=\S)\"")
_EN_OPENING_DOUBLE = re.compile(r"(?:^|(?<=[\s(\[{—–-]))\"(?=\S)", re.M)
_EN_CLOSING_DOUBLE = re.compile(r"(?<=\S)\"")


def french_typography(text: str, convention: str = QUEBEC) -> str:
    """Return plain French text with the convention's spaces, guillemets, apostrophes and
    ellipses (Québec unless told "france")."""
    high_mark_space = NNBSP if convention == FRANCE else ""
    return _with_protected_tokens(text, lambda hidden: _french_rules(hidden, high_mark_space))


def typographic_english(text: str) -> str:
    """Return plain English text with curly apostrophes and quotes, adding no spaces."""
    return _with_protected_tokens(text, _english_rules)


def _french_rules(text: str, high_mark_space: str) -> str:
    """Apply the French rules to text whose protected tokens are already hidden; the space
    before ; ! ? is U+202F (France) or nothing (Québec)."""
    text = _ELLIPSIS.sub("…", text)
    text = _APOSTROPHE_BETWEEN_LETTERS.sub("’", text)
    text = _ELISION.sub(r"\1’", text)
    text = _QUOTE_PAIR.sub(_french_quote_pair, text)
    text = _AFTER_OPENING_GUILLEMET.sub("«" + NBSP, text)
    text = _BEFORE_CLOSING_GUILLEMET.sub(NBSP + "»", text)
    text = _BEFORE_HIGH_MARK.sub(lambda m: high_mark_space + m.group(1), text)
    return _BEFORE_COLON.sub(NBSP + ":", text)


def _french_quote_pair(match: re.Match) -> str:
    """Return « inner », or “inner” when the pair already sits inside guillemets."""
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    before = match.string[line_start : match.start()]
    inner = match.group(1)
    if before.count("«") > before.count("»"):
        return f"“{inner}”"
    return f"«{NBSP}{inner}{NBSP}»"


def _english_rules(text: str) -> str:
    """Apply the English rules to text whose protected tokens are already hidden."""
    text = _EN_APOSTROPHE.sub("’", text)
    text = _EN_OPENING_SINGLE.sub("‘", text)
    text = text.replace("'", "’")
    text = _EN_QUOTE_PAIR.sub(r"“\1”", text)
    text = _EN_OPENING_DOUBLE.sub("“", text)
    return _EN_CLOSING_DOUBLE.sub("”", text)


def _with_protected_tokens(text: str, rules: Callable[[str], str]) -> str:
    """Hide URLs, handles, times and emoticons behind placeholders, apply rules, restore them."""
    taken = set(text)
    # Lazy: the private-use code points are only walked as far as placeholders are needed.
    free = (
        char
        for char in map(chr, chain(range(0xE000, 0xF900), range(0xF0000, 0xFFFFE)))
        if char not in taken
    )
    saved: dict[int, str] = {}

    def hide(match: re.Match) -> str:
        placeholder = next(free)
        saved[ord(placeholder)] = match.group(0)
        return placeholder

    result = rules(_PROTECTED.sub(hide, text))
    return result.translate(saved) if saved else result

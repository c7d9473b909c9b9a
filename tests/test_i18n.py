"""The English catalogue is complete: every French string in code and templates is translated."""

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "intake" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
METHODS = [("intake/**.py", "python"), ("templates/**.html", "jinja2"),
           ("templates/**.txt", "jinja2")]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def source_messages() -> set[str]:
    """Return every msgid marked for translation in the code and templates."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    return found


def located_messages() -> list[tuple[str, str]]:
    """Return (msgid, file) of every message (each plural form) in the code and templates."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = []
    for file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=keywords):
        forms = [message] if isinstance(message, str) else [m for m in message if m]
        found += [(form, file) for form in forms]
    return found


def catalogue():
    """Return the parsed English catalogue."""
    with CATALOGUE.open("rb") as file:
        return read_po(file, locale="en")


def forms(string) -> list[str]:
    """Return a translation's forms: one for a message, each plural form for a plural."""
    return list(string) if isinstance(string, (tuple, list)) else [string]


def test_every_source_string_has_an_english_translation():
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue() if m.id}
    missing = sorted(s for s in source_messages()
                     if s not in translated or not all(forms(translated[s].string))
                     or "fuzzy" in translated[s].flags)
    assert missing == []


def test_translations_keep_the_placeholders():
    wrong = [m.id for m in catalogue() if m.id and isinstance(m.id, str)
             and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))]
    assert wrong == []


def test_english_page_is_in_english(client):
    client.post("/language", data={"language": "en", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Email address" in page
    assert "Adresse courriel" not in page


# Québec typography (OQLF): nothing before ? ! ;, a no-break space before : and inside « ».
# Addresses (http://…), times (12:30) and placeholders are not French text.
NOT_TEXT = re.compile(r"https?://\S*|\d+:\d+|%\(\w+\)[sd]")
SPACE_BEFORE_HIGH_MARK = re.compile(r"[ \u00a0\u202f\u2009][?!;]")
COLON_WITHOUT_NBSP = re.compile(r"(?:^|[^\u00a0\x00]):")
GUILLEMET_WITHOUT_NBSP = re.compile(r"«(?!\u00a0)|(?<!\u00a0)»")
# Part B of issue 16 rewrites every string of these (the invitee's register, the emails) in
# Québec typography; the integrator empties this tuple when both parts are merged.
REWRITTEN_BY_ISSUE_16B = ()


def quebec_typography_problems(message: str) -> list[str]:
    """Return what breaks Québec typography in one French string (empty: none)."""
    text = NOT_TEXT.sub(lambda m: "\x00" * len(m.group(0)), message)
    problems = []
    if SPACE_BEFORE_HIGH_MARK.search(text):
        problems.append("space before ? ! ;")
    if COLON_WITHOUT_NBSP.search(text):
        problems.append("colon without a no-break space before it")
    if GUILLEMET_WITHOUT_NBSP.search(text):
        problems.append("guillemet without a no-break space inside")
    return problems


def test_quebec_typography_check_finds_each_rule():
    assert quebec_typography_problems("Merci ! Vraiment\u202f? Oui ; non") == [
        "space before ? ! ;"]
    assert quebec_typography_problems("Note : voir") == [
        "colon without a no-break space before it"]
    assert quebec_typography_problems("« oui »") == ["guillemet without a no-break space inside"]
    assert quebec_typography_problems(
        "Merci! Note\u00a0: «\u00a0oui\u00a0» à 12:30, https://exemple.ca/a:b") == []


def test_every_french_string_follows_quebec_typography():
    wrong = sorted({(file, message) for message, file in located_messages()
                    if not file.startswith(REWRITTEN_BY_ISSUE_16B)
                    and quebec_typography_problems(message)})
    assert wrong == []

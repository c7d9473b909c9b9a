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

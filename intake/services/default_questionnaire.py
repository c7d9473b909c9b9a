"""The default questionnaire shipped with the package as intake/data/questionnaire.json.

The data file holds the series (title, intro paragraphs, reading list), the general questions
grouped in sections, and examples of person-specific questions. Each question keeps the exact
wording it had in the published seed portraits (``seed_variants``) so tests can prove that no
question of the series was lost. Pure functions: no Flask, no database.
"""

import json
from collections.abc import Iterator
from importlib import resources

DATA_PACKAGE = "intake.data"
DATA_FILE = "questionnaire.json"


def load_default_questionnaire() -> dict:
    """Read the default questionnaire from the package data and return a fresh dict."""
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def iter_questions(data: dict) -> Iterator[tuple[int, str, dict]]:
    """Yield (position, section_key, question) for every question in order, counting from 1."""
    position = 0
    for section in data["sections"]:
        for question in section["questions"]:
            position += 1
            yield position, section["key"], question

"""The series as a post shows it: its name, introduction and reading list, in the post's
language when the blogger wrote them in English (« Réglages de la série »), else in French.
"""


from dataclasses import dataclass

from intake.models import Series
from intake.publishing.text import Block, blocks, safe_url, typeset
from intake.questionnaire.series import default_series

LANGUAGES = ("fr", "en")



@dataclass
class SeriesText:
    """The series' name and introduction as one post shows them, each with its language."""

    title: str
    title_language: str
    intro: list[Block]
    intro_language: str
    reading: list[dict]
    slug: str = ""


def has_english_series(questionnaire: Series | None) -> bool:
    """Say whether the blogger wrote the series in English: a title, and an introduction
    when the French series has one."""
    if questionnaire is None:
        return False
    return bool((questionnaire.title_en or "").strip()) and (
        bool((questionnaire.intro_en or "").strip())
        or not (questionnaire.intro_fr or "").strip())


def series_language(questionnaire: Series | None, language: str) -> str:
    """Return the language the series text is shown in for a post in `language`."""
    return "en" if language == "en" and has_english_series(questionnaire) else "fr"


def english_series_missing(language: str, series: Series | None = None) -> bool:
    """Say whether a post in `language` would fall back to the French series text."""
    return language == "en" and not has_english_series(series or default_series())


def series_titles(series: Series | None = None) -> dict[str, str]:
    """Return a series' name (the default one's when none is given) for a post in each
    language (French when no English one)."""
    questionnaire = series or default_series()
    return {language: _title(questionnaire, series_language(questionnaire, language))
            for language in LANGUAGES}


def _title(questionnaire: Series | None, language: str) -> str:
    """Return the series' name in a language, typeset."""
    if questionnaire is None:
        return ""
    title = questionnaire.title_en if language == "en" else questionnaire.title_fr
    return typeset((title or "").strip(), language)


def reading_list(questionnaire: Series | None) -> list[dict]:
    """Return the series reading list; only http(s) addresses become links."""
    items = []
    for item in (questionnaire.reading_list or []) if questionnaire else []:
        if not isinstance(item, dict) or not str(item.get("title", "")).strip():
            continue
        items.append({"title": str(item["title"]).strip(),
                      "url": safe_url(str(item.get("url") or ""))})
    return items


def series_text(language: str, series: Series | None = None) -> SeriesText:
    """Return a series' text (the default one's when none is given) for a post in `language`
    (French text when none in English)."""
    questionnaire = series or default_series()
    shown = series_language(questionnaire, language)
    intro = ""
    if questionnaire is not None:
        intro = questionnaire.intro_en if shown == "en" else questionnaire.intro_fr
    return SeriesText(title=_title(questionnaire, shown), title_language=shown,
                      intro=blocks(intro or "", shown, own=True), intro_language=shown,
                      reading=reading_list(questionnaire),
                      slug=questionnaire.slug if questionnaire is not None else "")

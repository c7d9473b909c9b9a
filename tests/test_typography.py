"""French (Québec and France conventions) and English typography of published plain text."""

import re
from pathlib import Path

import pytest

from intake.typography import (
    FRANCE,
    NNBSP,
    QUEBEC,
    french_typography,
    typographic_english,
)

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"

# France: a narrow no-break space (U+202F) before ? ! ; — and the rules both conventions share.
FRANCE_CASES = [
    # seed sentences
    (
        "Quel est ton meilleur coup? Celui dont tu es fier?",
        "Quel est ton meilleur coup\u202f? Celui dont tu es fier\u202f?",
    ),
    (
        "Question #jeudiconfession : quels comptes Twitter ou pages FB serais-tu gêné d’avouer "
        "suivre?",
        "Question #jeudiconfession\u00a0: quels comptes Twitter ou pages FB serais-tu gêné "
        "d’avouer suivre\u202f?",
    ),
    (
        "Car “poster” sur Facebook et Twitter, ce n’est pas suffisant",
        "Car «\u00a0poster\u00a0» sur Facebook et Twitter, ce n’est pas suffisant",
    ),
    ("Car «\u00a0poster\u00a0» sur Facebook", "Car «\u00a0poster\u00a0» sur Facebook"),
    ("Car «poster» sur Facebook", "Car «\u00a0poster\u00a0» sur Facebook"),
    ('Car "poster" sur Facebook', "Car «\u00a0poster\u00a0» sur Facebook"),
    (
        'L\'environnement de travail de Jean-Luc "Captain Kirk" Sanscartier',
        "L’environnement de travail de Jean-Luc «\u00a0Captain Kirk\u00a0» Sanscartier",
    ),
    ("L’ÉTS bien sûr! Mais à part ça", "L’ÉTS bien sûr\u202f! Mais à part ça"),
    (
        "Une seule réponse à cette question : un concours",
        "Une seule réponse à cette question\u00a0: un concours",
    ),
    ("(exemple: 50 000 serveurs en panne… )", "(exemple\u00a0: 50 000 serveurs en panne… )"),
    # the Wingdings smiley that Outlook turns into a J, and a real emoji
    (
        "Je n’ai que cela des #jeudiconfession J",
        "Je n’ai que cela des #jeudiconfession J",
    ),
    ("aller au Starbucks, etc… 🙂", "aller au Starbucks, etc… 🙂"),
    ("Trop drôle 😂!", "Trop drôle 😂\u202f!"),
    ("Super :) et ;-) et :D", "Super :) et ;-) et :D"),
    # URLs, handles, times
    (
        "Facebook : www.facebook.com/carlolivier",
        "Facebook\u00a0: www.facebook.com/carlolivier",
    ),
    (
        "LinkedIn: http://ca.linkedin.com/in/jeanlucsanscartier",
        "LinkedIn\u00a0: http://ca.linkedin.com/in/jeanlucsanscartier",
    ),
    (
        "Va voir https://exemple.ca/page?a=1&b=2... ou pas?",
        "Va voir https://exemple.ca/page?a=1&b=2… ou pas\u202f?",
    ),
    ("Twitter: @jeanlucs", "Twitter\u00a0: @jeanlucs"),
    ("Je dirais @Guglielminetti, @KimAuclair!", "Je dirais @Guglielminetti, @KimAuclair\u202f!"),
    ("Écris-moi: jean'luc@exemple.ca", "Écris-moi\u00a0: jean'luc@exemple.ca"),
    (
        "La réunion est à 12:30; on finit à 14:00.",
        "La réunion est à 12:30\u202f; on finit à 14:00.",
    ),
    ("Format 16:9 ou 4:3?", "Format 16:9 ou 4:3\u202f?"),
    # spaces: replaced, added, never at a line start or after an opening bracket
    ("Quoi ?!", "Quoi\u202f?!"),
    ("Vraiment  ?", "Vraiment\u202f?"),
    ("Note :", "Note\u00a0:"),
    ("(!) et\n? en début de ligne", "(!) et\n? en début de ligne"),
    ("Bref... c'est tout", "Bref… c’est tout"),
    (
        "aujourd'hui, qu'il, jusqu'à, l'« objet »",
        "aujourd’hui, qu’il, jusqu’à, l’«\u00a0objet\u00a0»",
    ),
    # quotes inside guillemets become second-level quotes
    (
        'Il a dit « il faut "le feeler" » hier.',
        "Il a dit «\u00a0il faut “le feeler”\u00a0» hier.",
    ),
    # an unpaired quote is left alone
    ("2 responses to “Portrait de gestionnaire", "2 responses to “Portrait de gestionnaire"),
    # hostile-looking text: typography only, escaping is the template's job
    ("<script>alert('x');</script>", "<script>alert('x')\u202f;</script>"),
    (
        '<img src=x onerror="alert(1)">',
        "<img src=x onerror=«\u00a0alert(1)\u00a0»>",
    ),
    ("javascript:alert(1)", "javascript\u00a0:alert(1)"),
    ("&amp; &lt;b&gt;", "&amp; &lt;b&gt;"),
    ("", ""),
]

# Québec (OQLF, the default): the same, without any space before ? ! ; (a typed one goes).
QUEBEC_CASES = [(text, expected.replace(NNBSP, "")) for text, expected in FRANCE_CASES] + [
    ("En quoi as-tu étudié?", "En quoi as-tu étudié?"),
    ("En quoi as-tu étudié ?", "En quoi as-tu étudié?"),
    ("Classique\u00a0! Vraiment\u202f?! Oui ; non", "Classique! Vraiment?! Oui; non"),
    ("Merci : « Bravo ! »", "Merci\u00a0: «\u00a0Bravo!\u00a0»"),
    ("Lien http:// ou https:// : voilà", "Lien http:// ou https://\u00a0: voilà"),
]

ENGLISH_CASES = [
    ('Don\'t say "hello".', "Don’t say “hello”."),
    ("the students' work", "the students’ work"),
    ("'quoted' and back in the '90s", "‘quoted’ and back in the ’90s"),
    ("What does it take? A lot!", "What does it take? A lot!"),
    ("See http://example.com/it's and @it's_me", "See http://example.com/it's and @it’s_me"),
    ("Time: 12:30 :)", "Time: 12:30 :)"),
    ('<b>"bold"</b>', "<b>“bold”</b>"),
    ('He said "yes" and "no".', "He said “yes” and “no”."),
    ('a 5" screen', "a 5” screen"),
    ("Jean-Luc “Captain Kirk” 🙂", "Jean-Luc “Captain Kirk” 🙂"),
]


@pytest.mark.parametrize(("text", "expected"), QUEBEC_CASES)
def test_french_typography_quebec(text, expected):
    assert french_typography(text) == expected
    assert french_typography(text, QUEBEC) == expected


@pytest.mark.parametrize(("text", "expected"), QUEBEC_CASES)
def test_french_typography_quebec_is_idempotent(text, expected):
    assert french_typography(expected) == expected


@pytest.mark.parametrize(("text", "expected"), FRANCE_CASES)
def test_french_typography_france(text, expected):
    assert french_typography(text, FRANCE) == expected


@pytest.mark.parametrize(("text", "expected"), FRANCE_CASES)
def test_french_typography_france_is_idempotent(text, expected):
    assert french_typography(expected, FRANCE) == expected


def test_conventions_convert_into_each_other():
    france = "Quoi\u202f?! Bien\u202f; très bien\u00a0: «\u00a0oui\u00a0»\u202f!"
    quebec = "Quoi?! Bien; très bien\u00a0: «\u00a0oui\u00a0»!"
    assert french_typography(france, QUEBEC) == quebec
    assert french_typography(quebec, FRANCE) == france


@pytest.mark.parametrize(("text", "expected"), ENGLISH_CASES)
def test_typographic_english(text, expected):
    assert typographic_english(text) == expected


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_french_typography_of_a_seed_keeps_every_letter_digit_and_emoji(name):
    text = (SEEDS / name).read_text(encoding="utf-8")
    result = french_typography(text)

    def kept(s: str) -> str:
        return re.sub(r"[\s'’\"“”«».…;:!?]", "", s)

    assert kept(result) == kept(text)
    assert result.count("\n") == text.count("\n")
    assert " ?" not in result and " :" not in result and NNBSP not in result
    assert "En quoi as-tu étudié?" in result
    assert french_typography(result) == result


def test_french_typography_leaves_urls_of_a_seed_intact():
    text = (SEEDS / "004_a602d5d009bc632c.txt").read_text(encoding="utf-8")
    urls = re.findall(r"https?://\S+|www\.\S+", text)
    result = french_typography(text)
    assert urls and [u for u in urls if u not in result] == []

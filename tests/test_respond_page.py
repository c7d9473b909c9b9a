"""The questionnaire page's fast path (issue 19): the same HTML from cold and warm per-process
caches in every language, register and typography, and the same queries however much is
answered."""

import re

from intake.addressing import set_blog_register
from intake.extensions import db
from intake.i18n import set_typography_convention
from intake.models import Answer, SocialLink
from intake.questionnaire.structure import all_questions
from intake.respond import page_fields, page_shapes, page_text
from intake.typography import FRANCE, QUEBEC
from tests.support.databases import count_queries
from tests.support.factories import add_photo, make_invitation

HOSTILE = "<script>alert(\"x\")</script> & 'q' %(name)s %% {{ 7 * 7 }}"
SHOWN = ("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39; %(name)s %% "
         "{{ 7 * 7 }}")
SETTINGS = [("tu", QUEBEC), ("vous", QUEBEC), ("vous", FRANCE), ("tu", FRANCE)]


def without_csrf(html: str) -> str:
    """Drop the per-session form tokens so two renders can be compared."""
    return re.sub(r'(name="csrf[-_]token"[^>]*?(?:content|value)=)"[^"]*"', r'\1""', html)


def answered_invitation(language: str, answers: int, extra: int = 0) -> str:
    """Create an invitation in a language with `answers` hostile answers, `extra` questions of
    its own, a link, a portrait and a hostile typed name; return its token."""
    invitation, token = make_invitation(
        name="<b>Camille</b> & co", email=f"{language}{answers}@example.org", language=language,
        note=HOSTILE, extra=[f"Question {number} <i>à toi</i>?" for number in range(extra)])
    submission = invitation.submission
    for position, question in enumerate(all_questions(submission)[:answers]):
        db.session.add(Answer(submission=submission, question_id=question.id,
                              question_text=question.text_fr, body=f"{position} {HOSTILE}",
                              position=position))
    db.session.add(SocialLink(submission=submission, network="x", handle="camille",
                              url="https://x.com/camille?a=1&b=<2>", position=0))
    add_photo(submission, caption=HOSTILE, credit="Studio « Nord »")
    submission.display_name = HOSTILE
    db.session.commit()
    return token


def use_settings(register: str, convention: str) -> None:
    set_blog_register(register)
    set_typography_convention(convention)
    db.session.commit()


def clear_caches() -> None:
    page_fields._BLOCKS.clear()
    page_fields._LABELS.clear()
    page_text._TEXTS.clear()
    page_shapes._SHAPES.clear()


def test_pages_from_warm_caches_are_the_pages_rendered_cold(client):
    tokens = [answered_invitation("fr", 30, extra=2), answered_invitation("en", 3)]
    cold = {}
    for register, convention in SETTINGS:
        use_settings(register, convention)
        for token in tokens:
            clear_caches()
            cold[register, convention, token] = without_csrf(
                client.get(f"/r/{token}").get_data(as_text=True))
    for register, convention in reversed(SETTINGS):  # every cache warm with the others
        use_settings(register, convention)
        for token in tokens:
            html = without_csrf(client.get(f"/r/{token}").get_data(as_text=True))
            assert html == cold[register, convention, token]
    french = cold["tu", QUEBEC, tokens[0]]
    assert "Ton nom, tel qu’il doit paraître" in french
    assert "Votre nom, tel qu’il doit paraître" in cold["vous", QUEBEC, tokens[0]]
    assert "Questions répondues\u00a0: 30 sur 30" in french
    assert "Tu ne souhaites plus participer\u202f?" in cold["tu", FRANCE, tokens[0]]
    assert "Vous ne souhaitez plus participer\u202f?" in cold["vous", FRANCE, tokens[0]]
    assert "Your name, as it should appear" in cold["tu", QUEBEC, tokens[1]]
    assert "Questions answered: 3 of 28" in cold["vous", FRANCE, tokens[1]]
    assert f"\r\n0 {SHOWN}</textarea>" in french
    assert f'id="display_name" name="display_name" type="text" value="{SHOWN}"' in french
    assert 'value="https://x.com/camille?a=1&amp;b=&lt;2&gt;"' in french
    assert "Bonjour &lt;b&gt;Camille&lt;/b&gt; &amp; co," in french
    assert "<script>" not in french and "{{" not in french.replace(SHOWN, "")


def test_a_page_with_messages_is_written_as_before_and_not_kept(client):
    token = answered_invitation("fr", 2)
    page = client.post(f"/r/{token}/submit",
                       data={"display_name": HOSTILE, "link_x": "@@ <mauvais>"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert re.search(r'<div class="field field-error" data-field="link_x">', html)
    assert re.search(r'<p class="error-message" id="link_x-error">[^<]+</p>', html)
    assert '<input aria-describedby="link_x-error" aria-invalid="true"' in html
    assert 'value="@@ &lt;mauvais&gt;"' in html
    assert not [parts for parts in page_fields._BLOCKS.values() if "field-error" in parts[0]]
    again = without_csrf(client.get(f"/r/{token}").get_data(as_text=True))
    assert 'aria-invalid="true"' not in again and "field-error" not in again


def test_questionnaire_reads_the_same_queries_for_5_and_50_answers(client):
    shapes = {}
    for answers, extra in [(5, 0), (50, 22)]:
        token = answered_invitation("fr", answers, extra)
        client.get(f"/r/{token}")  # what the first request of a process reads once
        with count_queries() as statements:
            html = client.get(f"/r/{token}").get_data(as_text=True)
        assert html.count(SHOWN) == answers + 3  # the answers, note, name and caption
        shapes[answers] = [re.sub(r"\s+", " ", statement) for statement in statements]
    assert shapes[5] == shapes[50]
    # the link with its submission, series and photos, then the stored values in one (the
    # series carries the typography, the register and the stamp under which its questions are
    # kept once read; SQLite sends a BEGIN too)
    assert len([shape for shape in shapes[5] if shape != "BEGIN"]) == 2, shapes[5]

"""Steps the browser tests share: logging in, mail, filling the questionnaire, checks."""

import re
import time
from difflib import SequenceMatcher
from email.message import EmailMessage
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.support.factories import BLOGGER_EMAIL, BLOGGER_PASSWORD
from tests.support.images import jpeg

SAVED = re.compile(r"^Enregistré à \d{2}:\d{2}$")


def log_in(page: Page, base: str) -> None:
    """Log the blogger in through the login page and land on the review queue."""
    page.goto(f"{base}/login")
    page.fill("#email", BLOGGER_EMAIL)
    page.fill("#password", BLOGGER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{base}/admin/")


def text_part(message: EmailMessage) -> str:
    """Return the plain-text part of an email."""
    return message.get_body(preferencelist=("plain",)).get_content()


def wait_for_mail(smtp, to: str, contains: str, seen: int = 0, timeout: float = 10.0):
    """Wait for a message to `to`, after the first `seen` ones, whose text has `contains`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in list(smtp.messages)[seen:]:
            if to in str(message["To"]) and contains in text_part(message):
                return message
        time.sleep(0.1)
    subjects = [(str(m["To"]), str(m["Subject"])) for m in smtp.messages]
    raise AssertionError(f"no email to {to} containing {contains!r} in {timeout} s: {subjects}")


def link_in(message: EmailMessage, base: str) -> str:
    """Return the invitation link found in an email's text part."""
    found = re.findall(re.escape(base) + r"/r/[A-Za-z0-9_\-.~]+", text_part(message))
    assert found, text_part(message)
    return found[0]


def photo_file(tmp_path: Path, name: str = "portrait.jpg") -> Path:
    """Write a real JPEG drawn with Pillow and return its path."""
    path = tmp_path / name
    path.write_bytes(jpeg((800, 600), (180, 60, 90), mark=True, quality=90))
    return path


def simplify(text: str) -> str:
    """Return lower-case words only, for matching question wordings that drifted."""
    text = text.replace("(obligatoire)", "").replace("’", "'").lower()
    return " ".join(re.findall(r"\w+", text))


def answer_fields(page: Page) -> list[tuple[str, str]]:
    """Return (field id, label text) of every answer box of the questionnaire."""
    return page.eval_on_selector_all(
        "textarea[name^='q']",
        "boxes => boxes.map(b => [b.id, document.querySelector(`label[for='${b.id}']`)"
        ".textContent.trim()])")


def match_answers(fields: list[tuple[str, str]], pairs: list[tuple[str, str]]) -> dict:
    """Map each field id to the seed answer whose question reads most alike (ratio ≥ 0.6)."""
    matched = {}
    for field_id, label in fields:
        scored = [(SequenceMatcher(None, simplify(label), simplify(q)).ratio(), a)
                  for q, a in pairs]
        score, answer = max(scored)
        if score >= 0.6:
            matched[field_id] = answer
    return matched


def required_ids(page: Page) -> set[str]:
    """Return the ids of the answer boxes marked required."""
    return set(page.eval_on_selector_all(
        "textarea[name^='q']",
        "boxes => boxes.filter(b => document.querySelector(`label[for='${b.id}'] .required`))"
        ".map(b => b.id)"))


def fill_answers(page: Page, pairs: list[tuple[str, str]]) -> dict:
    """Type the seed answers into the matching boxes (a stand-in for required leftovers)."""
    fields = answer_fields(page)
    values = match_answers(fields, pairs)
    for field_id in required_ids(page) - set(values):
        values[field_id] = "Réponse écrite pour le test du parcours."
    for field_id, text in values.items():
        page.fill(f"#{field_id}", text)
    return values


def wait_until_saved(page: Page) -> None:
    """Wait for the autosave to report success, and stay so (no save queued behind it)."""
    for _ in range(2):
        page.wait_for_function(
            "() => { const s = document.getElementById('save-status');"
            " return s.classList.contains('save-status-ok')"
            " && s.textContent.startsWith('Enregistré à '); }", timeout=15000)
        page.wait_for_timeout(400)
    assert SAVED.match(page.text_content("#save-status").strip())


def upload_portrait(page: Page, path: Path, caption: str = "", credit: str = "") -> None:
    """Choose the portrait photo and post it with the upload button (the page comes back)."""
    page.set_input_files("#photo_portrait", str(path))
    if caption:
        page.fill("#caption_portrait", caption)
    if credit:
        page.fill("#credit_portrait", credit)
    page.locator("#photos-portrait button[type=submit]").click()
    expect(page.locator("#photos-portrait figure.photo-preview img")).to_be_visible()


def fits_width(page: Page) -> bool:
    """Say whether the page is no wider than the viewport.

    Compared with the viewport's own width: on a mobile context Chromium widens the layout
    viewport (window.innerWidth) to whatever overflows, which would hide the problem.
    """
    return page.evaluate(f"document.documentElement.scrollWidth <= {page.viewport_size['width']}")


def overflowing(page: Page) -> list[str]:
    """Return the elements and words that stick out past the viewport (for messages)."""
    return page.evaluate(
        """width => {
          const out = [];
          const SKIP = '.visually-hidden, .table-scroll';
          for (const e of document.querySelectorAll('body *')) {
            if (!e.closest(SKIP) && e.getBoundingClientRect().right > width + 1) {
              out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                       + (typeof e.className === 'string' && e.className
                          ? '.' + e.className.trim().split(/\\s+/).join('.') : ''));
            }
          }
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            if (node.parentElement.closest(SKIP)) {
              continue;
            }
            for (const m of node.textContent.matchAll(/\\S+/g)) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              if (range.getBoundingClientRect().right > width + 1) {
                out.push(`text in ${node.parentElement.tagName.toLowerCase()}`
                         + `.${node.parentElement.className}: ${m[0].slice(0, 60)}`);
              }
            }
          }
          return out.slice(0, 8);
        }""", page.viewport_size["width"])


def watch_console(page: Page, problems: list[str]) -> Page:
    """Collect the page's script errors and Content-Security-Policy refusals into problems."""
    def keep(message) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Uncaught" in text):
            problems.append(f"{page.url}: {text}")

    page.on("console", keep)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return page

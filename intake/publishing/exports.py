"""The portrait for the blog: clean WordPress HTML and Markdown, every link absolute.

The HTML is the post's own body (templates/partials/post_body.html, autoescaped) without
classes. The Markdown is built here from the same view, in the same order; text a person typed
is escaped only where Markdown would otherwise read it as markup.
"""

import re

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from intake.links import absolute_url
from intake.models import Submission
from intake.publishing.text import Block, Run
from intake.publishing.view import PortraitView, portrait_view

# Anywhere in a line: a backslash before punctuation or at the end (a hard break), code spans,
# emphasis marks that touch a word, link brackets, HTML tags, entities, strikethrough.
_INLINE = re.compile(
    r"\\(?=[!-/:-@\[-`{-~]|$)"
    r"|`|[\[\]]"
    r"|\*(?!\s)|(?<!\s)\*"
    r"|(?<![^\W_])_|_(?![^\W_])"  # an underscore inside a word is text
    r"|<(?=[A-Za-z/!?])"
    r"|&(?=#?\w+;)"
    r"|~(?=~)"
)
_ENTITY = {"<": "&lt;", "&": "&amp;", "~": "&#126;"}
# At the start of a line: an ordered-list number, a heading, quote or table mark, a bullet,
# a thematic break or a heading underline.
_LINE_START = re.compile(r"^(\s*)(?:(\d+)([.)])(?=\s|$)|([#>|])|([-+=])(?=\s|[-+=\s]*$))")
_BLOCK_MARKS = {"#": "\\#", ">": "&gt;", "|": "&#124;", "-": "\\-", "+": "\\+", "=": "&#61;"}
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\"": "%22"}


def escape_inline(text: str) -> str:
    """Return text with what Markdown reads as inline markup escaped, and nothing else."""
    return _INLINE.sub(lambda m: _ENTITY.get(m.group(0), "\\" + m.group(0)), text)


def escape_line_starts(text: str) -> str:
    """Escape what would make a line a heading, quote, list item, rule or table row."""
    return "\n".join(_LINE_START.sub(_escape_line_start, line) for line in text.split("\n"))


def escape_markdown(text: str) -> str:
    """Return text that Markdown shows exactly as typed: no emphasis, links, HTML or lists."""
    return escape_line_starts(escape_inline(text))


def _escape_line_start(match: re.Match) -> str:
    """Escape the list number or block mark that starts a line."""
    indent, number, dot, block_mark, sign = match.groups()
    if number:
        return f"{indent}{number}\\{dot}"
    return indent + _BLOCK_MARKS[block_mark or sign]


def markdown_url(url: str) -> str:
    """Return a URL safe to put inside a Markdown link's parentheses."""
    return "".join(_URL_UNSAFE.get(char, char) for char in url)


def markdown_link(text: str, url: str) -> str:
    """Return a Markdown link with escaped text and a safe URL."""
    return f"[{escape_markdown(text)}]({markdown_url(url)})"


def _markdown_line(line: tuple[Run, ...]) -> str:
    """Return one line of runs as Markdown: text escaped, links as links."""
    out = "".join(markdown_link(run.text, run.url) if run.url else escape_inline(run.text)
                  for run in line)
    return escape_line_starts(out) if line and not line[0].url else out


def _markdown_blocks(items: list[Block]) -> list[str]:
    """Return Markdown paragraphs and lists for text blocks."""
    out = []
    for block in items:
        if block.kind == "ul":
            out.append("\n".join(f"- {_markdown_line(line)}" for line in block.lines))
        else:
            out.append("  \n".join(_markdown_line(line) for line in block.lines))
    return out


def _markdown_photo(view: PortraitView, photo: dict | None) -> list[str]:
    """Return a photo and its legend as Markdown paragraphs."""
    if photo is None:
        return []
    url = absolute_url("public.photo", slug=view.slug, kind=photo["kind"])
    parts = [f"![{escape_markdown(photo['alt'])}]({markdown_url(url)})"]
    if photo["legend"]:
        parts.append(f"*{escape_markdown(photo['legend'])}*")
    return parts


def _markdown_answers(items: list[dict]) -> list[str]:
    """Return questions in bold, each followed by its answer."""
    parts = []
    for item in items:
        parts.append(f"**{escape_markdown(item['question'])}**")
        parts += _markdown_blocks(item["blocks"])
    return parts


def _markdown_list(heading: str, lines: list[str]) -> list[str]:
    """Return a section heading and its list, or nothing for an empty list."""
    if not lines:
        return []
    return [f"## {escape_markdown(heading)}", "\n".join(f"- {line}" for line in lines)]


def markdown_export(view: PortraitView) -> str:
    """Return the post as Markdown in the post's order, with absolute links on BASE_URL."""
    parts = [f"# {escape_markdown(view.title)}"]
    parts += _markdown_blocks(view.series_intro) + _markdown_blocks(view.editor_intro)
    parts += _markdown_photo(view, view.portrait_photo)
    parts += _markdown_answers(view.answers_before_photo)
    parts += _markdown_photo(view, view.workspace_photo)
    parts += _markdown_answers(view.answers_after_photo)
    parts += _markdown_list(view.headings["follow"], [
        f"{escape_markdown(link['label'])} {markdown_link(link['handle'], link['url'])}"
        for link in view.links])
    parts += _markdown_list(view.headings["others"], [
        markdown_link(other["title"], other["url"]) for other in view.others])
    parts += _markdown_list(view.headings["reading"], [
        markdown_link(item["title"], item["url"]) if item["url"]
        else escape_markdown(item["title"]) for item in view.reading])
    with force_locale(view.language):
        parts.append(markdown_link(_("Télécharger le portrait en PDF"), view.pdf_url))
    return "\n\n".join(parts) + "\n"


def wordpress_html(view: PortraitView, photo_src: dict[str, str] | None = None) -> str:
    """Return the post as clean semantic HTML for WordPress (no classes, absolute links, no
    blank lines); photos from `photo_src` (kind → address), else from this site."""
    photo_src = photo_src or {
        photo["kind"]: absolute_url("public.photo", slug=view.slug, kind=photo["kind"])
        for photo in view.photos}
    with force_locale(view.language):
        html = render_template("export/wordpress.html", view=view, photo_src=photo_src,
                               bare=True)
    return "\n".join(line for line in html.split("\n") if line.strip()) + "\n"


def blog_exports(submission: Submission) -> dict[str, str]:
    """Return the post's title, WordPress HTML and Markdown."""
    view = portrait_view(submission)
    return {"title": view.title, "html": wordpress_html(view), "markdown": markdown_export(view),
            "slug": view.slug}

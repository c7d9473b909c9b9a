"""The portrait for the blog: clean WordPress HTML and Markdown, every link absolute.

The HTML comes from an autoescaped template (templates/export/wordpress.html). The Markdown is
built here; every piece of text a person typed goes through escape_markdown first.
"""

import re

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from intake.links import absolute_url
from intake.models import Submission
from intake.publishing.view import BLOG_LANGUAGE, Block, PortraitView, portrait_view

# Backslash escapes every Markdown flavour understands (CommonMark, Python-Markdown, PHP
# Markdown); & < > | become entities, which all flavours pass through as text.
_BACKSLASHED = re.compile(r"([\\`*_{}\[\]()#+!])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;"}
_LINE_START = re.compile(r"^(\s*)(?:(\d+)([.)])|([-=]))")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\"": "%22"}


def escape_markdown(text: str) -> str:
    """Return text that Markdown shows exactly as typed: no emphasis, links, HTML or lists."""
    text = _BACKSLASHED.sub(r"\\\1", text)
    text = "".join(_ENTITIES.get(char, char) for char in text)
    lines = []
    for line in text.split("\n"):
        # "1." or "-" or "=" at the start of a line would become a list or a heading underline.
        line = _LINE_START.sub(_escape_line_start, line)
        lines.append(line)
    return "\n".join(lines)


def _escape_line_start(match: re.Match) -> str:
    """Escape a list number, a dash or an equals sign that starts a line."""
    indent, number, mark, sign = match.groups()
    if number:
        return f"{indent}{number}\\{mark}"
    return indent + ("\\-" if sign == "-" else "&#61;")


def markdown_url(url: str) -> str:
    """Return a URL safe to put inside a Markdown link's parentheses."""
    return "".join(_URL_UNSAFE.get(char, char) for char in url)


def markdown_link(text: str, url: str) -> str:
    """Return a Markdown link with escaped text and a safe URL."""
    return f"[{escape_markdown(text)}]({markdown_url(url)})"


def _markdown_blocks(items: list[Block]) -> list[str]:
    """Return Markdown paragraphs and lists for text blocks."""
    out = []
    for block in items:
        if block.kind == "ul":
            out.append("\n".join(f"- {escape_markdown(line)}" for line in block.lines))
        else:
            out.append("  \n".join(escape_markdown(line) for line in block.lines))
    return out


def markdown_export(view: PortraitView) -> str:
    """Return the post as Markdown, with absolute links on BASE_URL."""
    parts = [f"# {escape_markdown(view.title)}"]
    parts += _markdown_blocks(view.series_intro) + _markdown_blocks(view.editor_intro)
    for photo in view.photos:
        if view.slug:
            url = absolute_url("public.photo", slug=view.slug, kind=photo["kind"])
            parts.append(f"![{escape_markdown(photo['alt'])}]({markdown_url(url)})")
        if photo["legend"]:
            parts.append(f"*{escape_markdown(photo['legend'])}*")
    for item in view.answers:
        parts.append(f"**{escape_markdown(item['question'])}**")
        parts += _markdown_blocks(item["blocks"])
    if view.links:
        parts.append(f"## {escape_markdown(view.headings['follow'])}")
        parts.append("\n".join(f"- {escape_markdown(link['label'])} "
                               f"{markdown_link(link['handle'], link['url'])}"
                               for link in view.links))
    if view.others:
        parts.append(f"## {escape_markdown(view.headings['others'])}")
        parts.append("\n".join(
            "- " + markdown_link(other["title"],
                                 absolute_url("public.portrait", slug=other["slug"]))
            for other in view.others))
    if view.reading:
        parts.append(f"## {escape_markdown(view.headings['reading'])}")
        parts.append("\n".join(
            "- " + (markdown_link(item["title"], item["url"]) if item["url"]
                    else escape_markdown(item["title"]))
            for item in view.reading))
    if view.slug:
        pdf = absolute_url("public.portrait_pdf", slug=view.slug)
        with force_locale(BLOG_LANGUAGE):
            parts.append(markdown_link(_("Télécharger le portrait en PDF"), pdf))
    return "\n\n".join(parts) + "\n"


def wordpress_html(view: PortraitView) -> str:
    """Return the post as clean semantic HTML for WordPress (no classes, absolute links)."""
    with force_locale(BLOG_LANGUAGE):
        return render_template("export/wordpress.html", view=view).strip() + "\n"


def blog_exports(submission: Submission) -> dict[str, str]:
    """Return the post's title, WordPress HTML and Markdown."""
    view = portrait_view(submission)
    return {"title": view.title, "html": wordpress_html(view), "markdown": markdown_export(view),
            "slug": view.slug}

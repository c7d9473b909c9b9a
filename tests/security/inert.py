"""Check that HTML output carries no live markup from a person: a DOM-level audit."""

from html.parser import HTMLParser

# Hostile inputs, each put into every field a person can type.
PAYLOADS = [
    '<script>alert("x1")</script>',
    '"><img src=x onerror=alert("x2")>',
    "'><svg onload=alert('x3')>",
    "<svg><script>alert(4)</script></svg>",
    'javascript:alert("x5")',
    '<a href="javascript:alert(6)">clic</a>',
    '<iframe src="https://evil.example/7"></iframe>',
    "<body onload=alert(8)>",
    '" autofocus onfocus="alert(9)',
    "' onmouseover='alert(10)",
    '<img src="file:///etc/passwd">',
    "{{ config.SECRET_KEY }}",
    "{% for x in range(3) %}boucle{% endfor %}",
    "{token} {lien} {nom} {link}",
    "<style>body{display:none}</style>",
    '<math><mi xlink:href="javascript:alert(13)">x</mi></math>',
    "\u202e<script>alert(14)</script>",
    "\uff1cscript\uff1ealert(15)\uff1c/script\uff1e",
    "<scr<script>ipt>alert(16)</script>",
    "<!--<img src=x onerror=alert(17)>-->",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/18">',
    "[clic](javascript:alert(19))",
    '<base href="https://evil.example/20/">',
    "<object data=\"https://evil.example/21\"></object>",
    '<form action="https://evil.example/22"><button>ok</button></form>',
]

DANGEROUS_TAGS = {"iframe", "object", "embed", "svg", "math", "base", "style", "frame",
                  "frameset", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class Auditor(HTMLParser):
    """Collect every element or attribute that could run or load something foreign."""

    def __init__(self, own_origin: str):
        super().__init__(convert_charrefs=True)
        self.own_origin = own_origin
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append("<script> without our src")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append("<meta http-equiv>")
        if tag == "form" and not self._ours(attributes.get("action") or ""):
            self.problems.append(f"<form action={attributes.get('action')}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and value:
                scheme = value.strip().lower().split(":", 1)[0]
                if scheme in ("javascript", "vbscript", "data", "file"):
                    self.problems.append(f"<{tag} {name}={value[:30]}>")
                if "evil.example" in value and not self._typed_link(tag, name, attributes):
                    self.problems.append(f"<{tag} {name}={value[:40]}>")

    @staticmethod
    def _typed_link(tag: str, name: str, attributes: dict) -> bool:
        """Say whether this is an address a person typed, made a link by design: an http(s)
        <a href> marked as user content that passes no ranking or opener."""
        return (tag == "a" and name == "href"
                and attributes[name].startswith(("https://", "http://"))
                and set((attributes.get("rel") or "").split()) >= {"nofollow", "ugc", "noopener"})

    def _ours(self, action: str) -> bool:
        return action == "" or action.startswith("/") or action.startswith(self.own_origin)


def live_markup(html: str, own_origin: str = "https://portraits.example.org") -> list[str]:
    """Return what in the HTML could run or load something a person typed (empty: inert)."""
    auditor = Auditor(own_origin)
    auditor.feed(html)
    auditor.close()
    return auditor.problems

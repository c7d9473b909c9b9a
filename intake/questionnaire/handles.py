"""Social handles: accept what people type, store a validated handle and a URL we build ourselves.

The URL is never the raw input: it is a fixed https base for the network plus a handle that
passed that network's character rules (and is percent-quoted again on the way out). A website
is the one free-form URL, checked and rebuilt in websites.py (http(s) only, public host only).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote

from flask_babel import lazy_gettext as _l

from intake.errors import FieldRefused
from intake.questionnaire.websites import (
    MSG_CHARS,
    Handle,
    parse_url,
    public_host,
    website,
)

MAX_INPUT_LENGTH = 200

NETWORKS = {
    "facebook": "Facebook",
    "x": "X (Twitter)",
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "flickr": "Flickr",
    "website": _l("Site web"),
}
ALIASES = {"twitter": "x"}

MSG_UNKNOWN_NETWORK = _l("Ce réseau n’est pas pris en charge.")
MSG_TOO_LONG = _l(
    "Cette valeur est trop longue (%(max)d caractères au maximum).", max=MAX_INPUT_LENGTH
)
MSG_WEBSITE_EMPTY = _l("Il manque l’adresse du site web.")
MSG_MASTODON_INSTANCE = _l(
    "Il faut l’adresse Mastodon complète, par exemple @nom@mastodon.social."
)


def network_message(kind: str, label):
    """Return the refusal message of one kind, naming the network."""
    if kind == "empty":
        return _l("Il faut un nom d’utilisateur ou un lien %(network)s.", network=label)
    if kind == "not_network":
        return _l("Ce lien n’est pas une adresse %(network)s.", network=label)
    if kind == "not_profile":
        return _l("Ce lien ne mène pas à un profil %(network)s.", network=label)
    return _l("Ce nom d’utilisateur n’est pas valide sur %(network)s.", network=label)


# Characters allowed in a social handle or URL as typed (RFC 3986 minus quotes and brackets).
_URL_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#@!$&()*+,;=%]+$")
_HOSTS = {
    "facebook": r"(?:(?:www|m|mobile|web|touch|mbasic|[a-z]{2}(?:-[a-z]{2})?)\.)?"
    r"(?:facebook|fb)\.com",
    "x": r"(?:(?:www|mobile|m)\.)?(?:x|twitter)\.com",
    "linkedin": r"(?:(?:www|[a-z]{2})\.)?linkedin\.com",
    "instagram": r"(?:(?:www|m)\.)?instagram\.com|(?:www\.)?instagr\.am",
    "youtube": r"(?:(?:www|m)\.)?youtube\.com",
    "tiktok": r"(?:(?:www|m)\.)?tiktok\.com",
    "bluesky": r"(?:www\.)?bsky\.app",
    "flickr": r"(?:(?:www|m|secure)\.)?flickr\.com",
}
_HOST_RES = {key: re.compile(rf"^(?:{pattern})$") for key, pattern in _HOSTS.items()}
# First path segments that are site pages, not profiles.
_RESERVED = {
    "facebook": "share sharer sharer.php login login.php watch events hashtag help policies "
    "settings home.php story.php photo.php permalink.php messages marketplace notifications "
    "friends search pages people reel photo video.php dialog plugins",
    "x": "home i intent share search hashtag explore settings login signup messages "
    "notifications tos privacy compose account",
    "instagram": "p reel reels explore stories accounts direct tv about legal developer",
    "youtube": "watch results playlist feed shorts embed live redirect t premium account "
    "hashtag gaming post channel c user",
}


@dataclass(frozen=True)
class _Input:
    host: str | None  # None when the person typed a bare handle or path, not a URL
    segments: tuple[str, ...]
    query: dict[str, str]


def normalise_handle(network: str, raw: str) -> Handle:
    """Validate what a person typed for a network and return its canonical handle and URL."""
    network = ALIASES.get(network, network)
    if network not in NETWORKS:
        raise FieldRefused(MSG_UNKNOWN_NETWORK)
    label = NETWORKS[network]
    text = (raw or "").strip()
    if not text:
        empty = MSG_WEBSITE_EMPTY if network == "website" else network_message("empty", label)
        raise FieldRefused(empty)
    if len(text) > MAX_INPUT_LENGTH:
        raise FieldRefused(MSG_TOO_LONG)
    if network == "website":
        return website(text)
    if not _URL_CHARS.match(text):
        raise FieldRefused(MSG_CHARS)
    handle, url = _PARSERS[network](_split(network, text), label)
    return Handle(network=network, handle=handle, url=url)


def _fail(kind: str, label) -> FieldRefused:
    """Build a FieldRefused whose message names the network."""
    return FieldRefused(network_message(kind, label))


def _split(network: str, text: str) -> _Input:
    """Split a typed value into host, path segments and query; bare values get no host."""
    label = NETWORKS[network]
    if text.startswith("did:"):  # a Bluesky DID, not a URL scheme
        return _Input(None, (text,), {})
    first = text.split("/", 1)[0].split("?", 1)[0]
    host_re = _HOST_RES.get(network)
    looks_like_url = ("/" in text and "." in first and "@" not in first) or bool(
        host_re and host_re.match(first.lower().rstrip("."))
    )
    prefix = "https://" if looks_like_url else "https://bare.invalid/"
    parts, port = parse_url(text, prefix, network_message("not_network", label))
    host = (parts.hostname or "").rstrip(".")
    segments = tuple(unquote(s) for s in parts.path.split("/") if s)
    query = dict(parse_qsl(parts.query))
    if host == "bare.invalid":
        return _Input(None, segments, query)
    if port not in (None, 80, 443) or (network != "mastodon" and not host_re.match(host)):
        raise _fail("not_network", label)
    return _Input(host, segments, query)


def _name(pattern: str, value: str, label, lower: bool = False) -> str:
    """Check a user name against the network's rules and return it (lowercased if asked)."""
    value = value.lower() if lower else value
    if not re.match(pattern, value):
        raise _fail("bad_name", label)
    return value


def _first(given: _Input, label, network: str = "") -> str:
    """Return the first path segment without a leading @, refusing non-profile paths."""
    if not given.segments:
        raise _fail("not_profile" if given.host else "bad_name", label)
    first = given.segments[0]
    if network and first.lower() in _RESERVED[network].split():
        raise _fail("not_profile", label)
    return first[1:] if first.startswith("@") else first


def _url(base: str, path: str) -> str:
    """Join a fixed base and a validated path, percent-quoting anything unexpected."""
    return base + quote(path, safe="/@:._-?=")


def _facebook(given: _Input, label) -> tuple[str, str]:
    """Parse a Facebook profile, page, group or profile.php?id= link."""
    segs = given.segments
    if segs and segs[0].lower() == "profile.php":
        segs = (given.query.get("id", ""),)
        if not re.match(r"^[0-9]{1,20}$", segs[0]):
            raise _fail("not_profile", label)
    if segs and segs[0].lower() == "groups":
        if len(segs) < 2:
            raise _fail("not_profile", label)
        path = "groups/" + _name(r"^(?=.*[A-Za-z0-9])[A-Za-z0-9._-]{1,100}$", segs[1], label)
        return path, _url("https://www.facebook.com/", path)
    name = _first(_Input(given.host, segs, {}), label, "facebook")
    name = _name(r"^(?=.*[A-Za-z0-9])[A-Za-z0-9.]{1,50}$", name, label)
    if name.isdigit():  # a numeric profile id (no user name chosen)
        return name, _url("https://www.facebook.com/", "profile.php?id=" + name)
    return name, _url("https://www.facebook.com/", name)


def _x(given: _Input, label) -> tuple[str, str]:
    """Parse an X (Twitter) user name or profile link."""
    name = _name(r"^[A-Za-z0-9_]{1,15}$", _first(given, label, "x"), label)
    return "@" + name, _url("https://x.com/", name)


def _linkedin(given: _Input, label) -> tuple[str, str]:
    """Parse a LinkedIn in/NAME or company/NAME link; a bare name is a person."""
    segs = given.segments
    if given.host is None and len(segs) == 1:
        segs = ("in", *segs)
    kind = segs[0].lower() if segs else ""
    if kind not in ("in", "company") or len(segs) < 2:
        raise _fail("not_profile", label)
    name = _name(r"^[a-z0-9][a-z0-9_-]{1,99}$", segs[1].removeprefix("@"), label, lower=True)
    handle = name if kind == "in" else "company/" + name
    return handle, _url("https://www.linkedin.com/", f"{kind}/{name}")


def _instagram(given: _Input, label) -> tuple[str, str]:
    """Parse an Instagram user name or profile link."""
    name = _first(given, label, "instagram")
    name = _name(r"^(?!\.)(?!.*\.\.)(?!.*\.$)[a-z0-9._]{1,30}$", name, label, lower=True)
    return "@" + name, _url("https://www.instagram.com/", name)


_YOUTUBE_NAME = r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$"


def _youtube(given: _Input, label) -> tuple[str, str]:
    """Parse a YouTube @handle, channel/ID, c/NAME or user/NAME."""
    segs = given.segments
    head = segs[0].lower() if segs else ""
    if head in ("channel", "c", "user") and len(segs) >= 2:
        pattern = r"^UC[A-Za-z0-9_-]{22}$" if head == "channel" else _YOUTUBE_NAME
        path = f"{head}/{_name(pattern, segs[1], label)}"
        return path, _url("https://www.youtube.com/", path)
    bare_or_at = given.host is None or head.startswith("@")
    name = _first(given, label, "youtube")
    if bare_or_at:
        name = _name(r"^[A-Za-z0-9_][A-Za-z0-9._-]{2,29}$", name, label)
        return "@" + name, _url("https://www.youtube.com/", "@" + name)
    path = "c/" + _name(_YOUTUBE_NAME, name, label)  # legacy youtube.com/NAME custom URL
    return path, _url("https://www.youtube.com/", path)


def _tiktok(given: _Input, label) -> tuple[str, str]:
    """Parse a TikTok @name or profile link."""
    if given.host and not (given.segments and given.segments[0].startswith("@")):
        raise _fail("not_profile", label)
    name = _name(r"^(?!.*\.$)[a-z0-9_.]{2,24}$", _first(given, label), label, lower=True)
    return "@" + name, _url("https://www.tiktok.com/", "@" + name)


def _bluesky(given: _Input, label) -> tuple[str, str]:
    """Parse a Bluesky handle, DID or bsky.app profile link."""
    segs = given.segments
    if given.host:
        if len(segs) < 2 or segs[0].lower() != "profile":
            raise _fail("not_profile", label)
        segs = segs[1:]
    if len(segs) != 1 and given.host is None:
        raise _fail("bad_name", label)
    name = segs[0].removeprefix("@").lower()
    if name.startswith("did:"):
        name = _name(r"^did:plc:[a-z2-7]{24}$", name, label)
        return name, _url("https://bsky.app/profile/", name)
    if "." not in name:
        name += ".bsky.social"
    if not public_host(name):
        raise _fail("bad_name", label)
    return "@" + name, _url("https://bsky.app/profile/", name)


def _mastodon(given: _Input, label) -> tuple[str, str]:
    """Parse @user@instance or an instance profile link."""
    segs = given.segments
    if given.host is None:
        if len(segs) != 1:
            raise _fail("bad_name", label)
        user, _, domain = segs[0].removeprefix("@").partition("@")
        if not domain:
            raise FieldRefused(MSG_MASTODON_INSTANCE)
    else:
        domain = given.host
        if any(pattern.match(domain) for pattern in _HOST_RES.values()):
            raise _fail("not_network", label)
        if len(segs) >= 2 and segs[0].lower() == "users":
            user = segs[1]
        elif segs and segs[0].startswith("@"):
            user, _, remote = segs[0][1:].partition("@")
            domain = remote or domain
        else:
            raise _fail("not_profile", label)
    domain = domain.lower().rstrip(".")
    if not public_host(domain):
        raise _fail("not_network", label)
    user = _name(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,28}[A-Za-z0-9_])?$", user, label)
    return f"@{user}@{domain}", _url(f"https://{domain}/", "@" + user)


def _flickr(given: _Input, label) -> tuple[str, str]:
    """Parse a Flickr photostream name, NSID or photos/people link."""
    segs = given.segments
    if given.host or len(segs) > 1:
        if len(segs) < 2 or segs[0].lower() not in ("photos", "people"):
            raise _fail("not_profile", label)
        segs = segs[1:]
    name = _first(_Input(None, segs, {}), label)
    name = _name(r"^(?:[A-Za-z0-9_][A-Za-z0-9_-]{0,63}|[0-9]{1,20}@N[0-9]{2})$", name, label)
    return name, _url("https://www.flickr.com/photos/", name)


_PARSERS: dict[str, Callable[[_Input, object], tuple[str, str]]] = {
    "facebook": _facebook, "x": _x, "linkedin": _linkedin, "instagram": _instagram,
    "youtube": _youtube, "tiktok": _tiktok, "bluesky": _bluesky, "mastodon": _mastodon,
    "flickr": _flickr,
}

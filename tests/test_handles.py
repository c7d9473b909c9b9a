"""Social handles: what people type, what we store, and what we refuse."""

import dataclasses

import pytest

from intake.errors import FieldRefused
from intake.questionnaire.handles import NETWORKS, Handle, normalise_handle

ACCEPTED = [
    # The published portraits (seeds/) typed these.
    ("facebook", "www.facebook.com/carlolivier", "carlolivier",
     "https://www.facebook.com/carlolivier"),
    ("x", "@perrasc19", "@perrasc19", "https://x.com/perrasc19"),
    ("linkedin", "www.linkedin.com/in/carlolivierperrasbeaulieu", "carlolivierperrasbeaulieu",
     "https://www.linkedin.com/in/carlolivierperrasbeaulieu"),
    ("linkedin", "http://ca.linkedin.com/in/jeanlucsanscartier", "jeanlucsanscartier",
     "https://www.linkedin.com/in/jeanlucsanscartier"),
    ("x", "@jeanlucs", "@jeanlucs", "https://x.com/jeanlucs"),
    ("facebook", "Facebook.com/musiqueplus", "musiqueplus", "https://www.facebook.com/musiqueplus"),
    # Facebook
    ("facebook", "carl.olivier", "carl.olivier", "https://www.facebook.com/carl.olivier"),
    ("facebook", "@carlolivier", "carlolivier", "https://www.facebook.com/carlolivier"),
    ("facebook", "https://m.facebook.com/carlolivier/", "carlolivier",
     "https://www.facebook.com/carlolivier"),
    ("facebook", "HTTPS://FR-CA.FACEBOOK.COM/carlolivier?ref=bookmarks#top", "carlolivier",
     "https://www.facebook.com/carlolivier"),
    ("facebook", "https://www.facebook.com/profile.php?id=100012345678", "100012345678",
     "https://www.facebook.com/profile.php?id=100012345678"),
    ("facebook", "facebook.com/groups/gestionnaires.qc/", "groups/gestionnaires.qc",
     "https://www.facebook.com/groups/gestionnaires.qc"),
    # X / Twitter
    ("x", "perrasc19", "@perrasc19", "https://x.com/perrasc19"),
    ("x", "https://x.com/MusiquePlus?ref=abc", "@MusiquePlus", "https://x.com/MusiquePlus"),
    ("x", "http://twitter.com/jeanlucs/", "@jeanlucs", "https://x.com/jeanlucs"),
    ("x", "mobile.twitter.com/jeanlucs/status/123456", "@jeanlucs", "https://x.com/jeanlucs"),
    ("twitter", "@jeanlucs", "@jeanlucs", "https://x.com/jeanlucs"),
    # LinkedIn
    ("linkedin", "jeanlucsanscartier", "jeanlucsanscartier",
     "https://www.linkedin.com/in/jeanlucsanscartier"),
    ("linkedin", "https://www.linkedin.com/company/Astral-Media/", "company/astral-media",
     "https://www.linkedin.com/company/astral-media"),
    # Instagram
    ("instagram", "@Carl.Olivier_", "@carl.olivier_", "https://www.instagram.com/carl.olivier_"),
    ("instagram", "https://www.instagram.com/musiqueplus/?hl=fr", "@musiqueplus",
     "https://www.instagram.com/musiqueplus"),
    # YouTube
    ("youtube", "@ETSmtl", "@ETSmtl", "https://www.youtube.com/@ETSmtl"),
    ("youtube", "ETSmtl", "@ETSmtl", "https://www.youtube.com/@ETSmtl"),
    ("youtube", "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv/videos",
     "channel/UCabcdefghijklmnopqrstuv",
     "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv"),
    ("youtube", "youtube.com/user/etsmtl", "user/etsmtl", "https://www.youtube.com/user/etsmtl"),
    ("youtube", "m.youtube.com/c/MusiquePlus", "c/MusiquePlus",
     "https://www.youtube.com/c/MusiquePlus"),
    ("youtube", "youtube.com/musiqueplus", "c/musiqueplus",
     "https://www.youtube.com/c/musiqueplus"),
    # TikTok
    ("tiktok", "@Musique.Plus", "@musique.plus", "https://www.tiktok.com/@musique.plus"),
    ("tiktok", "https://www.tiktok.com/@musiqueplus/video/7001", "@musiqueplus",
     "https://www.tiktok.com/@musiqueplus"),
    # Bluesky
    ("bluesky", "@jeanlucs.bsky.social", "@jeanlucs.bsky.social",
     "https://bsky.app/profile/jeanlucs.bsky.social"),
    ("bluesky", "jeanlucs", "@jeanlucs.bsky.social",
     "https://bsky.app/profile/jeanlucs.bsky.social"),
    ("bluesky", "https://bsky.app/profile/Jeanluc.Example.com/post/3k", "@jeanluc.example.com",
     "https://bsky.app/profile/jeanluc.example.com"),
    ("bluesky", "did:plc:z72i7hdynmk6r22z27h6tvur", "did:plc:z72i7hdynmk6r22z27h6tvur",
     "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur"),
    # Mastodon
    ("mastodon", "@jeanlucs@mastodon.social", "@jeanlucs@mastodon.social",
     "https://mastodon.social/@jeanlucs"),
    ("mastodon", "jeanlucs@Mastodon.Social", "@jeanlucs@mastodon.social",
     "https://mastodon.social/@jeanlucs"),
    ("mastodon", "https://mstdn.ca/@JeanLucS/11223344", "@JeanLucS@mstdn.ca",
     "https://mstdn.ca/@JeanLucS"),
    ("mastodon", "https://mastodon.social/users/jeanlucs", "@jeanlucs@mastodon.social",
     "https://mastodon.social/@jeanlucs"),
    ("mastodon", "https://mastodon.social/@jeanlucs@fosstodon.org", "@jeanlucs@fosstodon.org",
     "https://fosstodon.org/@jeanlucs"),
    # Flickr
    ("flickr", "https://www.flickr.com/photos/etsmtl/", "etsmtl",
     "https://www.flickr.com/photos/etsmtl"),
    ("flickr", "flickr.com/people/12345678@N00", "12345678@N00",
     "https://www.flickr.com/photos/12345678@N00"),
    ("flickr", "etsmtl", "etsmtl", "https://www.flickr.com/photos/etsmtl"),
    # Website
    ("website", "musiqueplus.com", "musiqueplus.com", "https://musiqueplus.com"),
    ("website", "HTTP://Blogue.Exemple.QC.CA:80/", "blogue.exemple.qc.ca",
     "http://blogue.exemple.qc.ca"),
    ("website", "https://exemple.com:8443/blogue/?p=12#commentaires", "exemple.com:8443/blogue",
     "https://exemple.com:8443/blogue/?p=12"),
    ("website", "https://café.exemple.fr/été", "xn--caf-dma.exemple.fr/%C3%A9t%C3%A9",
     "https://xn--caf-dma.exemple.fr/%C3%A9t%C3%A9"),
]

NETWORKS_KEY = {"twitter": "x"}  # aliases accepted as a network name
CHARS = "Cette valeur contient des espaces ou des caractères non permis."
SCHEME = "Seuls les liens commençant par http:// ou https:// sont acceptés."
CREDENTIALS = "Un lien ne doit pas contenir de nom d’utilisateur ni de mot de passe."
PUBLIC = "Il faut l’adresse d’un site public, par exemple https://exemple.com."

REFUSED = [
    # Hostile input
    ("facebook", "javascript:alert(1)", SCHEME),
    ("facebook", "JaVaScRiPt:alert(document.cookie)", SCHEME),
    ("x", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", SCHEME),
    ("instagram", "file:///etc/passwd", SCHEME),
    ("facebook", '"><script>alert(1)</script>', CHARS),
    ("x", "@jean lucs", CHARS),
    ("x", "@jеanlucs", CHARS),  # Cyrillic "е"
    ("facebook", "https://www.faceboоk.com/carlolivier", CHARS),  # Cyrillic "о"
    ("facebook", "https://user:pw@facebook.com/x", CREDENTIALS),
    ("facebook", "https://facebook.com@evil.example/x", CREDENTIALS),
    ("x", "https://evil.example/", "Ce lien n’est pas une adresse X (Twitter)."),
    ("facebook", "https://facebook.com.evil.example/x", "Ce lien n’est pas une adresse Facebook."),
    ("facebook", "https://evilfacebook.com/x", "Ce lien n’est pas une adresse Facebook."),
    ("facebook", "https://facebook.com:8080/x", "Ce lien n’est pas une adresse Facebook."),
    ("linkedin", "https://linkedin.com\\@evil.example/in/x", CHARS),
    ("x", "a" * 201, "Cette valeur est trop longue (200 caractères au maximum)."),
    # Another network's link in the wrong field
    ("facebook", "https://www.instagram.com/carlolivier",
     "Ce lien n’est pas une adresse Facebook."),
    ("instagram", "www.facebook.com/carlolivier", "Ce lien n’est pas une adresse Instagram."),
    ("youtube", "https://youtu.be/dQw4w9WgXcQ", "Ce lien n’est pas une adresse YouTube."),
    ("mastodon", "https://x.com/@jeanlucs", "Ce lien n’est pas une adresse Mastodon."),
    # Links to network pages that are not profiles
    ("facebook", "facebook.com", "Ce lien ne mène pas à un profil Facebook."),
    ("facebook", "https://www.facebook.com/sharer/sharer.php?u=x",
     "Ce lien ne mène pas à un profil Facebook."),
    ("x", "https://x.com/home", "Ce lien ne mène pas à un profil X (Twitter)."),
    ("instagram", "https://www.instagram.com/p/Cabc123/",
     "Ce lien ne mène pas à un profil Instagram."),
    ("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
     "Ce lien ne mène pas à un profil YouTube."),
    ("linkedin", "https://www.linkedin.com/feed/", "Ce lien ne mène pas à un profil LinkedIn."),
    ("tiktok", "https://www.tiktok.com/discover", "Ce lien ne mène pas à un profil TikTok."),
    ("bluesky", "https://bsky.app/search?q=x", "Ce lien ne mène pas à un profil Bluesky."),
    ("flickr", "https://www.flickr.com/explore", "Ce lien ne mène pas à un profil Flickr."),
    # User names the network does not allow
    ("x", "@averyveryverylongname", "Ce nom d’utilisateur n’est pas valide sur X (Twitter)."),
    ("x", "jean-luc", "Ce nom d’utilisateur n’est pas valide sur X (Twitter)."),
    ("instagram", "carl..olivier", "Ce nom d’utilisateur n’est pas valide sur Instagram."),
    ("facebook", "x.com/%2e%2e", "Ce lien n’est pas une adresse Facebook."),
    ("facebook", "facebook.com/%2e%2e", "Ce nom d’utilisateur n’est pas valide sur Facebook."),
    ("facebook", "jean@exemple.com", "Ce nom d’utilisateur n’est pas valide sur Facebook."),
    ("bluesky", "jeanluc.example", "Ce nom d’utilisateur n’est pas valide sur Bluesky."),
    ("mastodon", "@jeanlucs",
     "Il faut l’adresse Mastodon complète, par exemple @nom@mastodon.social."),
    ("mastodon", "@jeanlucs@localhost", "Ce lien n’est pas une adresse Mastodon."),
    ("mastodon", "https://127.0.0.1/@jeanlucs", "Ce lien n’est pas une adresse Mastodon."),
    # Empty, unknown network
    ("facebook", "   ", "Il faut un nom d’utilisateur ou un lien Facebook."),
    ("website", "", "Il manque l’adresse du site web."),
    ("myspace", "jeanlucs", "Ce réseau n’est pas pris en charge."),
    # Website
    ("website", "javascript:alert(1)", SCHEME),
    ("website", "data:text/html,hello", SCHEME),
    ("website", "file:///etc/passwd", SCHEME),
    ("website", "ftp://exemple.com/", SCHEME),
    ("website", "https://user:pw@exemple.com/", CREDENTIALS),
    ("website", "http://localhost:5000/", PUBLIC),
    ("website", "http://127.0.0.1/admin", PUBLIC),
    ("website", "http://[::1]/", PUBLIC),
    ("website", "http://2130706433/", PUBLIC),
    ("website", "https://intranet/", PUBLIC),
    ("website", "https://exemple.local/", PUBLIC),
    ("website", "https://exemple.com/<script>", CHARS),
    ("website", "https://exemple.com/\u202egpj.exe", CHARS),
    ("website", "https://a..exemple.com/", "Ce lien n’est pas une adresse web valide."),
    ("website", "https:///chemin", "Ce lien n’est pas une adresse web valide."),
]


def ids(table):
    """Name table rows after their network and input."""
    return [f"{row[0]}:{row[1][:40]}" for row in table]


@pytest.mark.parametrize(("network", "raw", "handle", "url"), ACCEPTED, ids=ids(ACCEPTED))
def test_normalise_handle_accepted_input_gives_canonical_handle_and_url(network, raw, handle, url):
    result = normalise_handle(network, raw)

    assert result == Handle(network=NETWORKS_KEY.get(network, network), handle=handle, url=url)


@pytest.mark.parametrize(("network", "raw", "message"), REFUSED, ids=ids(REFUSED))
def test_normalise_handle_refused_input_gives_specific_message(network, raw, message):
    with pytest.raises(FieldRefused) as err:
        normalise_handle(network, raw)

    assert str(err.value.message) == message


@pytest.mark.parametrize(("network", "raw", "handle", "url"), ACCEPTED, ids=ids(ACCEPTED))
def test_normalise_handle_stored_values_normalise_to_themselves(network, raw, handle, url):
    stored = normalise_handle(network, raw)

    assert normalise_handle(stored.network, stored.url) == stored
    if stored.network != "website":  # a website's handle is for display and drops the scheme
        assert normalise_handle(stored.network, stored.handle) == stored


@pytest.mark.parametrize(("network", "raw", "handle", "url"), ACCEPTED, ids=ids(ACCEPTED))
def test_normalise_handle_url_is_https_on_the_network_host(network, raw, handle, url):
    bases = {
        "facebook": "https://www.facebook.com/",
        "x": "https://x.com/",
        "linkedin": "https://www.linkedin.com/",
        "instagram": "https://www.instagram.com/",
        "youtube": "https://www.youtube.com/",
        "tiktok": "https://www.tiktok.com/@",
        "bluesky": "https://bsky.app/profile/",
        "flickr": "https://www.flickr.com/photos/",
    }
    stored = normalise_handle(network, raw)

    if stored.network in bases:
        assert stored.url.startswith(bases[stored.network])
    elif stored.network == "mastodon":
        assert stored.url == "https://{1}/@{0}".format(*stored.handle[1:].split("@"))
    assert not set(stored.url) & set(" \"'<>\\`")


def test_networks_are_listed_in_form_order_with_labels():
    assert list(NETWORKS) == [
        "facebook", "x", "linkedin", "instagram", "youtube", "tiktok", "bluesky", "mastodon",
        "flickr", "website",
    ]
    assert [str(label) for label in NETWORKS.values()] == [
        "Facebook", "X (Twitter)", "LinkedIn", "Instagram", "YouTube", "TikTok", "Bluesky",
        "Mastodon", "Flickr", "Site web",
    ]


def test_handle_is_frozen():
    stored = normalise_handle("x", "@jeanlucs")

    with pytest.raises(dataclasses.FrozenInstanceError):
        stored.url = "javascript:alert(1)"

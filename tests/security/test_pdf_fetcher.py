"""The PDF URL fetcher serves our fonts and one portrait's photos, and nothing else."""

import pytest

from intake.publishing.pdf import PortraitFetcher, RefusedURL

HOSTILE_URLS = [
    "file:///etc/passwd",
    "file:///dev/urandom",
    "FILE:///etc/passwd",
    "http://127.0.0.1:5000/admin/",
    "http://169.254.169.254/latest/meta-data/",
    "https://evil.example/x.css",
    "//evil.example/x.png",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
    "intake-static:../instance/secret_key",
    "intake-static:fonts/../../instance/config.py",
    "intake-static:css/app.css",
    "intake-static:fonts/%2e%2e/%2e%2e/etc/passwd",
    "intake-static:fonts/DejaVuSans.ttf?x=1",
    "intake-static:/etc/passwd",
    "intake-photo:999",
    "intake-photo:-1",
    "intake-photo:../1",
    "attachment.pdf",
    "jar:file:///tmp/x.zip!/a",
]


@pytest.fixture
def fetcher(app, tmp_path):
    """A fetcher for a portrait whose only photo has id 1, over the real static folder."""
    return PortraitFetcher({1: b"\xff\xd8photo"}, app.static_folder)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_fetcher_refuses_hostile_url(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_this_portraits_photo_and_a_shipped_font(fetcher):
    assert fetcher.fetch("intake-photo:1").read() == b"\xff\xd8photo"
    font = fetcher.fetch("intake-static:fonts/DejaVuSans.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"
    assert fetcher.refused == []


def test_fetcher_never_follows_redirects(fetcher):
    from urllib.request import HTTPRedirectHandler

    assert not any(isinstance(h, HTTPRedirectHandler) for h in fetcher.handlers)

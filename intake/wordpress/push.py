"""Push one portrait to WordPress: its photos to the media library, then its post.

Everything WordPress needs is read from the database first (`gather`); the requests follow,
and what WordPress gave back (post and media ids) is kept in a `Pushed` record that the caller
stores on the portrait whether the push finished or not: a retry then reuses the media already
sent and updates the same post, never a second one.
"""

import hashlib
import html
from dataclasses import dataclass, field
from datetime import datetime

from intake.enums import WordPressStatus
from intake.models import Submission
from intake.photos.media import photo_response_bytes
from intake.publishing.exports import wordpress_html
from intake.publishing.view import PortraitView, portrait_view
from intake.wordpress.client import WordPressClient, WordPressError
from intake.wordpress.settings import post_terms


@dataclass
class Upload:
    """One photo to send: its kind, JPEG bytes and their hash, alt text and caption."""

    kind: str
    data: bytes
    sha256: str
    alt: str
    caption: str


@dataclass
class Gathered:
    """A portrait read from the database, ready to send, with its series' category and tag
    names."""

    view: PortraitView
    uploads: list[Upload]
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class Pushed:
    """What WordPress holds of a portrait: the post id and each photo's media."""

    post_id: int | None = None
    media: dict[str, dict] = field(default_factory=dict)


def gather(submission: Submission) -> Gathered:
    """Read the post, its photos' bytes (the portrait's crop, as readers see it) and its
    series' categories and tags."""
    view = portrait_view(submission)
    uploads = []
    for photo in view.photos:
        data, _etag = photo_response_bytes(submission, photo["kind"])
        uploads.append(Upload(photo["kind"], data, hashlib.sha256(data).hexdigest(),
                              photo["alt"], photo["legend"]))
    categories, tags = post_terms(submission.invitation.series)
    return Gathered(view, uploads, categories, tags)


def known(submission: Submission) -> Pushed:
    """Return what the portrait already holds of WordPress."""
    return Pushed(submission.wp_post_id, dict(submission.wp_media or {}))


def push(client: WordPressClient, gathered: Gathered, pushed: Pushed, post_status: str,
         post_date: datetime | None) -> None:
    """Send the photos (unchanged ones reused), then create or update the post; fills
    `pushed` as WordPress answers; raises WordPressError."""
    for upload in gathered.uploads:
        pushed.media[upload.kind] = send_media(client, pushed.media.get(upload.kind), upload,
                                               gathered.view.slug)
    pushed.post_id = save_post(client, pushed.post_id,
                               post_payload(client, gathered, pushed, post_status, post_date))


def send_media(client: WordPressClient, previous: dict | None, upload: Upload,
               slug: str) -> dict:
    """Reuse the media of unchanged bytes (alt text and caption refreshed), else upload."""
    text = {"alt_text": upload.alt, "caption": html.escape(upload.caption, quote=False)}
    if previous and previous.get("sha256") == upload.sha256:
        try:
            media = client.call("POST", f"/wp/v2/media/{int(previous['id'])}", json=text)
        except WordPressError as error:
            if error.code != "not_found":
                raise
        else:
            return media_record(media, upload)
    media = client.call(
        "POST", "/wp/v2/media", data=upload.data,
        params={**text, "title": upload.alt},
        headers={"Content-Type": "image/jpeg",
                 "Content-Disposition": f'attachment; filename="{slug}-{upload.kind}.jpg"'})
    return media_record(media, upload)


def media_record(media: dict, upload: Upload) -> dict:
    """Return what the portrait keeps of a media: id, hash of its bytes, address."""
    return {"id": int(media["id"]), "sha256": upload.sha256, "url": str(media["source_url"])}


def post_payload(client: WordPressClient, gathered: Gathered, pushed: Pushed,
                 post_status: str, post_date: datetime | None) -> dict:
    """Return the post's fields: text escaped (WordPress reads titles as HTML)."""
    view = gathered.view
    payload = {
        "title": html.escape(view.title, quote=False), "slug": view.slug,
        "content": wordpress_html(view, {kind: media["url"] for kind, media
                                         in pushed.media.items()}),
        "excerpt": html.escape(view.summary, quote=False), "status": post_status,
        "categories": term_ids(client, "/wp/v2/categories", gathered.categories),
        "tags": term_ids(client, "/wp/v2/tags", gathered.tags),
    }
    if "portrait" in pushed.media:
        payload["featured_media"] = pushed.media["portrait"]["id"]
    if post_status == WordPressStatus.FUTURE and post_date is not None:
        payload["date_gmt"] = post_date.strftime("%Y-%m-%dT%H:%M:%S")
    return payload


def term_ids(client: WordPressClient, route: str, names: list[str]) -> list[int]:
    """Return the ids of categories or tags by name, creating the missing ones."""
    ids = []
    for name in names:
        found = client.call("GET", route, params={"search": name, "per_page": 100})
        match = next((int(term["id"]) for term in found if isinstance(term, dict)
                      and html.unescape(str(term.get("name"))).casefold() == name.casefold()),
                     None)
        if match is None:
            try:
                match = int(client.call("POST", route, json={"name": name})["id"])
            except WordPressError as error:
                if error.body.get("code") != "term_exists":
                    raise
                match = int(error.body["data"]["term_id"])
        ids.append(match)
    return ids


def save_post(client: WordPressClient, post_id: int | None, payload: dict) -> int:
    """Update the known post, else the one with this slug, else create it; return its id."""
    if post_id:
        try:
            return int(client.call("POST", f"/wp/v2/posts/{int(post_id)}", json=payload)["id"])
        except WordPressError as error:
            if error.code != "not_found":
                raise
    same_slug = client.call("GET", "/wp/v2/posts", params={
        "slug": payload["slug"], "status": "any", "context": "edit"})
    if same_slug:
        return int(client.call("POST", f"/wp/v2/posts/{int(same_slug[0]['id'])}",
                               json=payload)["id"])
    return int(client.call("POST", "/wp/v2/posts", json=payload)["id"])


def move_to_draft(client: WordPressClient, post_id: int | None) -> None:
    """Move the portrait's WordPress post back to draft (nothing when there is none)."""
    if not post_id:
        return
    try:
        client.call("POST", f"/wp/v2/posts/{int(post_id)}", json={"status": "draft"})
    except WordPressError as error:
        if error.code != "not_found":
            raise


def delete_everything(client: WordPressClient, erase_ids: dict) -> None:
    """Delete an erased person's post and media from WordPress for good (not the trash);
    what is already gone is skipped."""
    routes = [f"/wp/v2/posts/{int(erase_ids['post_id'])}"] if erase_ids.get("post_id") else []
    routes += [f"/wp/v2/media/{int(media_id)}" for media_id in erase_ids.get("media_ids", [])]
    for route in routes:
        try:
            client.call("DELETE", route, params={"force": "true"})
        except WordPressError as error:
            if error.code != "not_found":
                raise

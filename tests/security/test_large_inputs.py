"""Large inputs: one huge answer is refused alone (by name, with its limit) while the rest
saves; a form of 10,000 fields is refused whatever its encoding; costly images are refused
from their header, and decoded outside SQLite's write lock."""

import os
import threading

import pytest
from PIL import ExifTags, Image
from sqlalchemy import select
from werkzeug.test import stream_encode_multipart

from intake.errors import FieldRefused
from intake.extensions import db
from intake.models import Answer, Photo, Question, Submission
from intake.photos.pipeline import (
    DECODE_NICENESS,
    lower_thread_priority,
    process_photo,
    process_photo_at_low_priority,
)
from tests.reliability.helpers import Visitor, live_server, page_tokens
from tests.support.factories import make_invitation, question
from tests.support.large_inputs import gradient, prepare_upload
from tests.support.races import finish_together

JSON = {"Accept": "application/json"}
PASTE = "Un très long copier-coller. " * 22_000  # 616,000 characters


def stored(submission_id: int) -> tuple[str, dict[int, str]]:
    """Return a submission's stored name and answers by question id, read afresh."""
    db.session.rollback()
    submission = db.session.get(Submission, submission_id)
    return submission.display_name, {a.question_id: a.body for a in submission.answers}


def in_memory(fields: dict) -> dict:
    """Return a multipart body encoded in memory (werkzeug's test client would spool a large
    one to a temporary file it never closes) with its content type, as client.post arguments."""
    body, _length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return {"data": body.getvalue(),
            "content_type": f'multipart/form-data; boundary="{boundary}"'}


def test_a_huge_paste_in_one_answer_is_refused_alone_and_the_rest_is_saved(client):
    invitation, token = make_invitation()
    studies, advice = question("studies"), question("advice")
    response = client.post(f"/r/{token}/save", headers=JSON, **in_memory({
        f"q{studies.id}": PASTE, f"q{advice.id}": "Lisez.", "display_name": "Camille T."}))
    assert response.status_code == 200
    assert response.get_json()["errors"] == {
        f"q{studies.id}": f"Ce texte compte {len(PASTE.strip())} caractères pour une limite de "
                          "1000. Raccourcis-le : cette version n’a pas été enregistrée."}
    assert stored(invitation.submission.id) == ("Camille T.", {advice.id: "Lisez."})
    # What is typed next saves as usual, the long answer still waiting to be shortened.
    again = client.post(f"/r/{token}/save", headers=JSON, **in_memory({
        f"q{studies.id}": PASTE, f"q{advice.id}": "Lisez beaucoup."}))
    assert list(again.get_json()["errors"]) == [f"q{studies.id}"]
    assert stored(invitation.submission.id)[1] == {advice.id: "Lisez beaucoup."}


def test_without_javascript_a_huge_paste_answers_422_naming_the_field(client):
    invitation, token = make_invitation()
    studies = question("studies")
    response = client.post(f"/r/{token}/save", **in_memory({
        f"q{studies.id}": PASTE, "display_name": "Camille T."}))
    page = response.get_data(as_text=True).replace("\u00a0", " ")
    assert response.status_code == 422
    assert (f'<a href="#q{studies.id}">En quoi as-tu étudié? : Ce texte compte '
            f"{len(PASTE.strip())} caractères pour une limite de 1000.") in page
    assert PASTE.strip() in page  # the typed text is still in the page
    assert stored(invitation.submission.id) == ("Camille T.", {})


def test_an_answer_without_a_limit_is_held_to_the_longest_answer_allowed(client):
    invitation, token = make_invitation()
    studies = question("studies")
    studies.max_length = None
    db.session.commit()
    response = client.post(f"/r/{token}/save", headers=JSON,
                           data={f"q{studies.id}": "x" * 20_001})
    assert response.get_json()["errors"][f"q{studies.id}"].endswith(
        "pour une limite de 20000. Raccourcis-le : cette version n’a pas été enregistrée.")
    client.post(f"/r/{token}/save", headers=JSON, data={f"q{studies.id}": "x" * 20_000})
    assert db.session.scalar(select(Answer.body).where(
        Answer.question_id == studies.id)) == "x" * 20_000
    assert db.session.get(Question, studies.id).max_length is None


def urlencoded_fields(count: int) -> str:
    """Return an urlencoded body of `count` fields."""
    return "&".join(f"f{number}=x" for number in range(count))


def test_an_urlencoded_post_of_ten_thousand_fields_is_refused(client):
    invitation, token = make_invitation()
    body = urlencoded_fields(9_999) + "&display_name=Trop"
    for path in (f"/r/{token}/save", "/login"):
        response = client.post(path, data=body,
                               content_type="application/x-www-form-urlencoded")
        page = response.get_data(as_text=True)
        assert response.status_code == 413, path
        assert "Ce formulaire envoie plus de 200 champs\u00a0: rien n’a été enregistré." in page
    autosave = client.post(f"/r/{token}/save", data=body, headers=JSON,
                           content_type="application/x-www-form-urlencoded")
    assert (autosave.status_code, autosave.get_json()["error"]) == (413, "too_large")
    assert stored(invitation.submission.id) == ("", {})
    fine = client.post(f"/r/{token}/save", headers=JSON,
                       content_type="application/x-www-form-urlencoded",
                       data=urlencoded_fields(150) + "&display_name=Camille")
    assert fine.status_code == 200
    assert stored(invitation.submission.id)[0] == "Camille"


def test_a_png_or_webp_over_16_megapixels_is_refused_from_its_header():
    message = "L’image est trop grande (au plus 16 mégapixels et 12000 pixels de côté)."
    for data in (gradient(6000, 6600, "PNG"), gradient(4100, 4000, "WEBP", lossless=True)):
        with pytest.raises(FieldRefused) as refused:
            process_photo(data)
        assert str(refused.value.message) == message


def test_photos_at_the_ceilings_keep_portrait_quality():
    png = process_photo(gradient(4000, 4000, "PNG", mode="RGBA"))
    assert (png.width, png.height) == (2000, 2000)
    jpeg = process_photo(gradient(8000, 5000, "JPEG"))  # 40 MP: decoded at a reduced scale
    assert (jpeg.width, jpeg.height) == (2000, 1250)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken sideways: stored upright, after the resize
    sideways = process_photo(gradient(3000, 2000, "JPEG", exif=exif))
    assert (sideways.width, sideways.height) == (1333, 2000)


@pytest.mark.slow
def test_photos_decode_outside_the_write_lock_so_parallel_saves_never_time_out(app, tmp_path):
    people = [make_invitation(name=f"Personne {n}", email=f"p{n}@example.org")[1]
              for n in range(3)]
    _bystander, bystander_token = make_invitation(email="bystander@example.org")
    photo = gradient(4000, 4000, "PNG")  # 16 MP: about half a second of decoding each
    autosaves = []
    # A second of busy timeout: ample for a write transaction, short for one that decodes.
    with live_server(app, tmp_path, workers=4, SQLITE_BUSY_TIMEOUT_MS=1000,
                     SAVE_RATE_LIMIT="10000 per minute") as server:
        visitors = [Visitor(server.port) for _token in people]
        pages = [page_tokens(visitor.get(f"/r/{token}").text)  # every page open first
                 for visitor, token in zip(visitors, people, strict=True)]
        bystander = Visitor(server.port)
        csrf, version = page_tokens(bystander.get(f"/r/{bystander_token}").text)
        uploads = [prepare_upload(visitor, f"/r/{token}/save",
                                  {"csrf_token": page[0], "version": page[1]},
                                  {"photo_portrait": photo, "photo_workspace": photo})
                   for visitor, token, page in zip(visitors, people, pages, strict=True)]
        done = threading.Event()

        def type_along() -> None:
            """Autosave the bystander's page, over and over, while the uploads run."""
            number = 0
            while not done.is_set():
                number += 1
                autosaves.append(bystander.post(
                    f"/r/{bystander_token}/save", {"csrf_token": csrf, "version": version,
                                                   "display_name": f"Témoin {number}"},
                    headers={"Accept": JSON["Accept"]}).status)
                done.wait(0.2)  # a pause in the typing

        typist = threading.Thread(target=type_along)
        typist.start()
        replies = finish_together(uploads)
        done.set()
        typist.join(30)
    assert [reply.status for reply in replies] == [303] * len(people)
    assert autosaves and set(autosaves) == {200}
    db.session.rollback()
    stored_photos = db.session.scalars(select(Photo.kind).order_by(Photo.kind)).all()
    assert stored_photos == ["portrait"] * 3 + ["workspace"] * 3


def test_photos_decode_in_a_nicer_thread_with_the_same_result():
    seen = {}

    def probe() -> None:
        me = threading.get_native_id()
        before = os.getpriority(os.PRIO_PROCESS, me)
        lower_thread_priority()
        seen["raised_by"] = os.getpriority(os.PRIO_PROCESS, me) - before

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    assert seen["raised_by"] == min(DECODE_NICENESS, 19 - os.getpriority(os.PRIO_PROCESS, 0))
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == os.getpriority(
        os.PRIO_PROCESS, 0)  # the request's own thread keeps its priority
    data = gradient(900, 600, "PNG")
    assert process_photo_at_low_priority(data) == process_photo(data)
    with pytest.raises(FieldRefused):
        process_photo_at_low_priority(b"not an image")

"""The blogger's preview: the post and the PDF exactly as they will be published, « Aperçu »."""

import re

from intake.enums import State
from intake.extensions import db
from intake.models import Submission
from intake.publishing.renditions import ready_pdf
from tests.support.documents import norm, pdf_text
from tests.support.factories import add_photo, make_portrait, make_submission, snapshot
from tests.support.publishing import article_html, pdf_pages_text, render_queued_pdfs

SEED_LIKE = [("En quoi as-tu étudié?", "En relations publiques, à l’UQAM.\n\n- un\n- deux"),
             ("Ton site?", "https://exemple.ca/page : à voir!"),
             ("Ton outil?", "Hootsuite, évidemment.")]


def approved(name: str = "Ana Aperçu") -> Submission:
    """Return an approved, consented portrait with a workspace photo and no slug yet."""
    submission = make_submission(State.APPROVED, name=name, answers=SEED_LIKE)
    add_photo(submission, kind="workspace", caption="Le bureau", credit="Crédit : Bo")
    submission.editor_intro = "Je vous présente [Ana](https://ana.example/)."
    db.session.commit()
    return submission


def published_form(html: str, submission_id: int, slug: str) -> str:
    """Return a preview's article with its private addresses replaced by the public ones."""
    html = html.replace(f"/admin/submissions/{submission_id}/preview.pdf",
                        f"/portraits/{slug}.pdf")
    return re.sub(rf"/admin/submissions/{submission_id}/preview/photo/(\w+)\.jpg",
                  rf"/portraits/{slug}/photo/\1.jpg", html)


def test_preview_is_the_published_post_but_for_its_mark(blogger_client):
    submission = approved()
    make_portrait("Bo Autre", "bo-autre", [("Q?", "R.")])
    submission_id = submission.id

    preview = blogger_client.get(f"/admin/submissions/{submission_id}/preview")
    html = preview.get_data(as_text=True)
    published = blogger_client.post(f"/admin/submissions/{submission_id}/decide/publish",
                                    data={"version": submission.version})
    item = db.session.get(Submission, submission_id)
    post = blogger_client.get(f"/portraits/{item.slug}").get_data(as_text=True)

    assert preview.status_code == 200 and published.status_code == 303
    assert item.state == State.PUBLISHED
    assert 'class="preview-banner"' in html and "Aperçu" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert preview.headers["Cache-Control"] == "private, no-store"
    assert preview.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "preview-banner" not in post and "noindex" not in post
    assert published_form(article_html(html), submission_id, item.slug) == article_html(post)
    assert f"/portraits/{item.slug}" in article_html(post)  # the slug publishing gave


def test_preview_pdf_is_the_published_pdf_marked_apercu(blogger_client):
    submission = approved()
    submission_id = submission.id

    response = blogger_client.get(f"/admin/submissions/{submission_id}/preview.pdf")
    blogger_client.post(f"/admin/submissions/{submission_id}/decide/publish",
                        data={"version": submission.version})
    assert render_queued_pdfs() == 1
    published = ready_pdf(db.session.get(Submission, submission_id)).data

    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    preview_pages, published_pages = pdf_pages_text(response.data), pdf_pages_text(published)
    assert [page.strip().split("\n")[0].split()[-1] for page in preview_pages] == (
        ["APERÇU"] * len(preview_pages))  # in the header of every page
    assert "APERÇU" not in pdf_text(published)
    unmarked = [re.sub(r" *APERÇU", "", page) for page in preview_pages]
    assert [norm(page) for page in unmarked] == [norm(page) for page in published_pages]


def test_preview_photo_is_the_cropped_one_and_private(blogger_client):
    submission = approved()

    response = blogger_client.get(f"/admin/submissions/{submission.id}/preview/photo/"
                                  "portrait.jpg")

    assert response.mimetype == "image/jpeg" and response.data[:2] == b"\xff\xd8"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_preview_needs_login_and_something_to_show(client, blogger_client):
    submission = approved()
    draft = make_submission(State.IN_PROGRESS, name="Cy Brouillon", email="cy@example.org")
    db.session.commit()

    assert blogger_client.get(f"/admin/submissions/{draft.id}/preview").status_code == 404
    assert blogger_client.get(f"/admin/submissions/{draft.id}/preview.pdf").status_code == 404
    blogger_client.post("/logout")
    anonymous = client.get(f"/admin/submissions/{submission.id}/preview")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_review_page_links_the_preview_next_to_the_decisions(blogger_client):
    submission = approved()

    page = blogger_client.get(f"/admin/submissions/{submission.id}").get_data(as_text=True)

    assert f'href="/admin/submissions/{submission.id}/preview"' in page
    assert f'href="/admin/submissions/{submission.id}/preview.pdf"' in page


def test_review_page_shows_the_consent_in_force_once(blogger_client):
    submission = make_submission(State.SUBMITTED, answers=SEED_LIKE)
    from intake.models import Consent, Revision
    db.session.add(Consent(submission_id=submission.id, text_version="2026-12-v2"))
    db.session.add(Revision(submission_id=submission.id, number=2, data=snapshot(SEED_LIKE)))
    db.session.commit()

    page = blogger_client.get(f"/admin/submissions/{submission.id}").get_data(as_text=True)

    assert page.count("Donné le") == 1
    assert "(texte 2026-12-v2)" in page and "(texte 2026-11-v1)" not in page


"""The bloggers hear when the invitee answers the proof: an email each, in their language, with
the comment, and a notice and a flag on the dashboard until they publish or send a new proof."""

from sqlalchemy import select

from intake.auth.accounts import create_user
from intake.enums import State
from intake.extensions import db
from intake.models import OutboxMessage, Submission
from tests.support.factories import BLOGGER_EMAIL, as_sent, make_submission

N = "\u00a0"
COMMENT = "Deux corrections :\n- mon titre est « conseiller »\n- <b>pas</b> de photo floue"


def send_proof_and_answer(blogger_client, client, decision: str, comment: str) -> Submission:
    """Send a proof of a submitted portrait and answer it on the invitee's proof page."""
    submission = make_submission(State.SUBMITTED, name="Jean-Luc Sanscartier")
    blogger_client.post(f"/admin/submissions/{submission.id}/proof")
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "proof"))
    path = "/r/" + as_sent(email)[0].split("/r/")[1].split()[0]
    response = client.post(path, data={"decision": decision, "comment": comment})
    assert response.status_code == 303
    db.session.expire_all()
    return db.session.get(Submission, submission.id)


def notices() -> list[OutboxMessage]:
    """Return the proof-answered emails, oldest first."""
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "proof_answered")
                              .order_by(OutboxMessage.id)).all()


def test_comment_on_the_proof_emails_each_blogger_in_their_language(blogger_client, client):
    create_user("editor@example.org", "a long enough password", language="en", name="Ed")
    db.session.commit()
    submission = send_proof_and_answer(blogger_client, client, "comment", COMMENT)
    review_url = f"https://portraits.example.org/admin/submissions/{submission.id}"
    rows = notices()
    assert [(m.to_addr, m.language, m.status, m.submission_id) for m in rows] == [
        (BLOGGER_EMAIL, "fr", "queued", submission.id),
        ("editor@example.org", "en", "queued", submission.id)]
    french, english = rows
    assert french.subject == f"Épreuve commentée{N}: Jean-Luc Sanscartier"
    assert french.text_body == (
        f"Jean-Luc Sanscartier a commenté l’épreuve de son portrait{N}:\n\n"
        f"{COMMENT}\n\n"
        f"Pour ouvrir le portrait{N}:\n{review_url}")
    assert ("<blockquote>\n<p>Deux corrections :<br>- mon titre est « conseiller »<br>- "
            "&lt;b&gt;pas&lt;/b&gt; de photo floue</p>\n</blockquote>") in french.html_body
    assert english.subject == "Proof commented: Jean-Luc Sanscartier"
    assert english.text_body.split("\n")[0] == (
        "Jean-Luc Sanscartier commented on the proof of their portrait:")


def test_confirmed_proof_says_it_can_be_published(blogger_client, client):
    submission = send_proof_and_answer(blogger_client, client, "confirm", "")
    [notice] = notices()
    assert notice.subject == f"Épreuve confirmée{N}: Jean-Luc Sanscartier"
    assert notice.text_body == (
        f"Jean-Luc Sanscartier a confirmé l’épreuve de son portrait{N}: il peut être publié "
        f"tel quel.\n\nPour ouvrir le portrait{N}:\n"
        f"https://portraits.example.org/admin/submissions/{submission.id}")


def dashboard(blogger_client) -> str:
    """Return the dashboard page."""
    return blogger_client.get("/admin/").get_data(as_text=True)


def test_dashboard_shows_the_answered_proof_until_the_blogger_moves_on(blogger_client, client):
    submission = send_proof_and_answer(blogger_client, client, "comment", "Mon titre, SVP.")
    page = dashboard(blogger_client)
    notice = page.split('aria-labelledby="proofs-title"')[1].split("</section>")[0]
    assert '<h2 id="proofs-title">1 épreuve relue attend votre suite</h2>' in notice
    assert (f'<a href="/admin/submissions/{submission.id}">Jean-Luc Sanscartier</a> — '
            "épreuve commentée") in notice
    assert f"«{N}Mon titre, SVP.{N}»" in notice
    row = page.split(f'href="/admin/submissions/{submission.id}">Jean-Luc Sanscartier</a>\n')[1]
    flag = '<span class="badge badge-proof">Épreuve commentée</span>'
    assert row.split("</tr>")[0].count(flag) == 1
    blogger_client.post(f"/admin/submissions/{submission.id}/proof")  # a new proof: pending
    page = dashboard(blogger_client)
    assert 'id="proofs-title"' not in page
    assert "badge-proof" not in page


def test_no_proof_notice_once_published(blogger_client, client):
    submission = send_proof_and_answer(blogger_client, client, "confirm", "")
    assert "1 épreuve relue attend votre suite" in dashboard(blogger_client)
    submission.state = State.PUBLISHED.value
    db.session.commit()
    assert 'id="proofs-title"' not in dashboard(blogger_client)

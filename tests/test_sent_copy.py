"""« Ce que tu as envoyé »: the invitee's copy keeps paragraphs and bulleted lines as typed."""

from intake.enums import State
from intake.extensions import db
from intake.links import issue_token
from tests.support.factories import make_submission

TOOLS = ("Quel est ton outil préféré?",
         "Trois, dans l’ordre :\n- Hootsuite\n- TweetDeck\n- <b>Buffer</b>\n\nEt toi?")


def test_sent_copy_keeps_paragraphs_and_list_lines(client):
    submission = make_submission(State.SUBMITTED, answers=[TOOLS])
    token = issue_token(submission.invitation)
    db.session.commit()
    page = client.get(f"/r/{token}").get_data(as_text=True)
    answer = page.split('<section class="sent-answer">')[1].split("</section>")[0]
    assert " ".join(answer.split()) == (
        "<h3>Quel est ton outil préféré?</h3> "
        "<p>Trois, dans l’ordre :<br> - Hootsuite<br> - TweetDeck<br> "
        "- &lt;b&gt;Buffer&lt;/b&gt;</p> <p>Et toi?</p>")

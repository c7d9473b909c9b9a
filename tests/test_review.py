"""Reviewing a submission: edits, decisions, proof, erasure."""

import re

from sqlalchemy import func, inspect, select, text

from intake.enums import State
from intake.extensions import db
from intake.models import Answer, AuditEvent, OutboxMessage, Revision, Submission
from intake.submissions.editing import word_diff
from tests.support.factories import SEED_ANSWERS, as_sent, make_submission, snapshot


def post_decision(client, submission, action, version=None, message=""):
    """Post a decision form for a submission, with the version the page showed."""
    return client.post(
        f"/admin/submissions/{submission.id}/decide/{action}",
        data={"version": submission.version if version is None else version, "message": message},
    )


def test_review_page_shows_answers_handles_photo_and_timeline(blogger_client):
    submission = make_submission()
    page = blogger_client.get(f"/admin/submissions/{submission.id}").get_data(as_text=True)
    for question, _body in SEED_ANSWERS:
        assert question in page
    assert "Surestimer un problème isolé chez iWeb" in page
    assert 'href="https://x.com/jeanlucs"' in page
    assert f"/admin/submissions/{submission.id}/photo/portrait" in page
    assert "Studio Test" in page


def test_edit_answer_keeps_original_and_shows_diff(blogger_client):
    submission = make_submission()
    answer = submission.answers[1]
    response = blogger_client.post(f"/admin/submissions/{submission.id}/answers", data={
        f"text-{answer.id}": "Augmenter les cotes d’écoute de nos chaînes.",
        f"position-{answer.id}": answer.position,
    })
    assert response.status_code == 303
    db.session.rollback()
    stored = db.session.get(Answer, answer.id)
    assert stored.body == SEED_ANSWERS[1][1]
    assert stored.edited_body == "Augmenter les cotes d’écoute de nos chaînes."
    assert stored.published_body == "Augmenter les cotes d’écoute de nos chaînes."
    assert db.session.get(Submission, submission.id).state == "submitted"
    page = blogger_client.get(f"/admin/submissions/{submission.id}").get_data(as_text=True)
    assert re.findall(r'<p class="diff pre">(.*?)</p>', page) == [
        "Augmenter les cotes d’écoute <del>et renforcer l’image </del>de nos <del>chaînes par le "
        "biais de stratégies sur les médias sociaux.</del><ins>chaînes.</ins>"]
    assert SEED_ANSWERS[1][1] in page


def test_edit_hide_and_reorder_answers(blogger_client):
    submission = make_submission()
    first, second, third = submission.answers
    blogger_client.post(f"/admin/submissions/{submission.id}/answers", data={
        f"text-{first.id}": first.body, f"position-{first.id}": 3,
        f"text-{second.id}": second.body, f"position-{second.id}": 1, f"hidden-{second.id}": "on",
        f"text-{third.id}": third.body, f"position-{third.id}": 2,
    })
    db.session.rollback()
    stored = db.session.get(Submission, submission.id)
    assert [(a.id, a.hidden) for a in stored.answers] == [
        (second.id, True), (third.id, False), (first.id, False)]
    assert all(a.edited_body is None for a in stored.answers)


def test_word_diff_marks_deletions_and_insertions():
    assert word_diff("un petit chat", "un gros chat") == [
        ("same", "un "), ("del", "petit"), ("ins", "gros"), ("same", " chat")]


def test_request_changes_then_resubmit_shows_changes(blogger_client):
    submission = make_submission()
    response = post_decision(blogger_client, submission, "request_changes",
                             message="Peux-tu préciser ta pire erreur?")
    assert response.status_code == 303
    db.session.rollback()
    submission = db.session.get(Submission, submission.id)
    assert submission.state == "changes_requested"
    email = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.kind == "changes_requested"))
    assert "Peux-tu préciser ta pire erreur?" in email.text_body
    assert email.to_addr == "jeanluc@example.org"
    # The invitee changes one answer and resubmits (the questionnaire service does this).
    new_answers = [*SEED_ANSWERS[:2], (SEED_ANSWERS[2][0], "Surestimer un problème isolé.")]
    db.session.add(Revision(submission_id=submission.id, number=2, data=snapshot(new_answers)))
    from intake.workflow.transitions import set_state

    set_state(submission, State.SUBMITTED, "invitee")
    db.session.commit()
    page = blogger_client.get(f"/admin/submissions/{submission.id}").get_data(as_text=True)
    assert "Changements depuis la soumission précédente" in page
    assert "<del>isolé chez iWeb à cause de quelques clients sur Twitter." in page
    assert "<ins>isolé.</ins>" in page


def test_approve_then_stale_page_is_told_current_state(blogger_client):
    submission = make_submission()
    old_version = submission.version
    assert post_decision(blogger_client, submission, "approve").status_code == 303
    response = post_decision(blogger_client, submission, "reject", version=old_version)
    page = blogger_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ce portrait a changé pendant que vous le regardiez" in page
    assert "«\u00a0Approuvé\u00a0»" in page
    db.session.rollback()
    assert db.session.get(Submission, submission.id).state == "approved"


def test_refused_move_explained(blogger_client):
    submission = make_submission(State.IN_PROGRESS)
    response = post_decision(blogger_client, submission, "approve")
    page = blogger_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cette action n’est pas possible quand le portrait est «\u00a0En cours\u00a0»." in page


def test_decisions_refuse_get(blogger_client):
    submission = make_submission()
    response = blogger_client.get(f"/admin/submissions/{submission.id}/decide/approve")
    assert response.status_code == 405
    assert db.session.get(Submission, submission.id).state == "submitted"


def test_settings_save_never_moves_state_and_validates_slug(blogger_client):
    submission = make_submission()
    blogger_client.post(f"/admin/submissions/{submission.id}/settings", data={
        "title": "Un titre", "slug": "Pas Valide!", "editor_intro": "Intro"})
    db.session.rollback()
    assert db.session.get(Submission, submission.id).slug is None
    blogger_client.post(f"/admin/submissions/{submission.id}/settings", data={
        "title": "Un titre", "slug": "jean-luc", "editor_intro": "Aujourd’hui, on parle de…",
        "publication_date": "2026-12-01"})
    db.session.rollback()
    stored = db.session.get(Submission, submission.id)
    assert (stored.slug, stored.editor_intro, stored.state) == (
        "jean-luc", "Aujourd’hui, on parle de…", "submitted")
    assert stored.publication_date.isoformat() == "2026-12-01"


def test_proof_sent_and_answered(blogger_client, client):
    submission = make_submission(State.APPROVED)
    blogger_client.post(f"/admin/submissions/{submission.id}/proof")
    db.session.rollback()
    submission = db.session.get(Submission, submission.id)
    assert submission.proof_status == "pending"
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "proof"))
    link = as_sent(email)[0].split("/r/")[1].split()[0]
    response = client.post(f"/r/{link}", data={"decision": "comment",
                                               "comment": "Corrige mon titre SVP"})
    assert response.status_code == 303
    db.session.rollback()
    submission = db.session.get(Submission, submission.id)
    assert (submission.proof_status, submission.proof_comment) == (
        "commented", "Corrige mon titre SVP")


def all_text_in_database() -> str:
    """Return every text and binary value of every table, concatenated, for trace hunting."""
    chunks = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            chunks.extend(str(value) for value in row)
    return "\n".join(chunks)


def test_erase_leaves_no_trace_of_the_person(blogger_client):
    submission = make_submission(name="Zoé Effaçable", email="zoe.efface@example.org")
    other = make_submission(name="Autre Personne", email="autre@example.org")
    photo_hash = submission.photo("portrait").sha256
    post_decision(blogger_client, submission, "request_changes", message="Zoé, une précision?")
    response = blogger_client.post(f"/admin/submissions/{submission.id}/erase",
                                   data={"confirm": "ZOE.EFFACE@example.org"})
    assert response.status_code == 303
    db.session.rollback()
    dump = all_text_in_database()
    for trace in ("Zoé", "Effaçable", "zoe.efface@example.org", photo_hash):
        assert trace not in dump
    assert "Autre Personne" in dump
    assert db.session.get(Submission, other.id) is not None
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person_erased"))
    assert [(e.submission_id, e.actor) for e in events] == [(None, "blogueuse@example.org")]


def test_erase_needs_the_right_confirmation(blogger_client):
    submission = make_submission()
    page = blogger_client.post(f"/admin/submissions/{submission.id}/erase",
                               data={"confirm": "someone@else.org"}).get_data(as_text=True)
    assert "L’adresse ne correspond pas à celle de la personne." in page
    assert db.session.get(Submission, submission.id) is not None
    assert db.session.scalar(select(func.count(Submission.id))) == 1


def test_sqlite_erase_leaves_no_orphans(app):
    if db.engine.dialect.name != "sqlite":
        return
    submission = make_submission()
    from intake.submissions.erasure import erase_person

    erase_person(submission, "tester")
    db.session.commit()
    assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
    assert inspect(db.engine).get_table_names()


def test_proof_page_shows_edited_portrait_to_invitee(blogger_client, client):
    submission = make_submission(State.APPROVED)
    answer = submission.answers[0]
    blogger_client.post(f"/admin/submissions/{submission.id}/answers", data={
        f"text-{answer.id}": "Un DEP en vente-conseil, utile tous les jours.",
        f"position-{answer.id}": answer.position})
    blogger_client.post(f"/admin/submissions/{submission.id}/proof")
    db.session.rollback()
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "proof"))
    path = "/r/" + as_sent(email)[0].split("/r/")[1].split()[0]
    page = client.get(path).get_data(as_text=True)
    assert "Un DEP en vente-conseil, utile tous les jours." in page
    assert "J’ai un DEP en vente-conseil" not in page
    client.post(path, data={"decision": "confirm", "comment": ""})
    db.session.rollback()
    assert db.session.get(Submission, submission.id).proof_status == "confirmed"


def test_request_changes_keeps_the_link_alive(blogger_client):
    from datetime import timedelta

    from intake.models import Invitation, utcnow

    submission = make_submission()
    invitation = db.session.get(Invitation, submission.invitation_id)
    invitation.expires_at = utcnow() + timedelta(days=1)
    db.session.commit()
    post_decision(blogger_client, submission, "request_changes", message="Une précision?")
    invitation = db.session.get(Invitation, submission.invitation_id)
    assert invitation.expires_at > utcnow() + timedelta(days=29)

"""Reminders: due days, once each, never after submission, revocation or expiry; expiry runs."""

from datetime import timedelta

import pytest

from intake.extensions import db
from intake.invitations import operations, reminders
from intake.mail.delivery import deliver_due
from intake.models import utcnow
from intake.workflow.transitions import set_state
from tests.support.factories import age, invite, outbox_rows


def later(days):
    """Return the time `days` from now."""
    return utcnow() + timedelta(days=days)


def test_no_reminder_before_the_seventh_day(app):
    invite()
    assert reminders.queue_due_reminders(later(6)) == 0
    assert outbox_rows("reminder") == []


def test_reminder_on_day_seven_is_queued_once(app):
    invitation, _token = invite()
    assert reminders.queue_due_reminders(later(7.1)) == 1
    assert reminders.queue_due_reminders(later(7.2)) == 0
    db.session.commit()
    rows = outbox_rows("reminder")
    assert [(r.dedupe_key, r.to_addr) for r in rows] == [
        (f"reminder:{invitation.id}:1", "camille@example.org")]
    assert "Petit rappel amical" in rows[0].text_body
    assert invitation.reminders_sent == 1


def test_second_reminder_on_day_fourteen_and_no_third(app):
    invite()
    assert reminders.queue_due_reminders(later(8)) == 1
    assert reminders.queue_due_reminders(later(13)) == 0
    assert reminders.queue_due_reminders(later(14.5)) == 1
    assert reminders.queue_due_reminders(later(25)) == 0
    assert [r.dedupe_key.split(":")[2] for r in outbox_rows("reminder")] == ["1", "2"]


def test_series_setting_limits_reminders(app):
    invitation, _token = invite()
    invitation.questionnaire.reminder_days = [3, 6, 9]
    invitation.questionnaire.max_reminders = 1
    db.session.commit()
    assert reminders.queue_due_reminders(later(3.5)) == 1
    assert reminders.queue_due_reminders(later(10)) == 0


def test_in_progress_reminder_says_answers_are_kept(app):
    invitation, _token = invite()
    set_state(invitation.submission, "in_progress")
    reminders.queue_due_reminders(later(8))
    assert "sont bien enregistrées" in outbox_rows("reminder")[0].text_body


@pytest.mark.parametrize("ending", ["submitted", "revoked", "withdrawn"])
def test_no_reminder_after_the_invitation_ends(app, ending):
    invitation, _token = invite()
    if ending == "submitted":
        set_state(invitation.submission, "in_progress")
        set_state(invitation.submission, "submitted")
    elif ending == "revoked":
        operations.revoke(invitation)
    else:
        set_state(invitation.submission, "withdrawn")
    db.session.commit()
    assert reminders.queue_due_reminders(later(8)) == 0
    assert outbox_rows("reminder") == []
    with pytest.raises(operations.InvitationError):
        reminders.remind_now(invitation)


def test_due_run_expires_overdue_invitations_without_email(app):
    invitation, _token = invite()
    assert reminders.queue_due_reminders(later(31)) == 0
    db.session.commit()
    assert invitation.submission.state == "expired"
    assert outbox_rows("reminder") == []
    assert [m.kind for m in outbox_rows()] == ["invitation"]


def test_no_reminder_soon_after_another_email(app):
    invitation, _token = invite()
    age(invitation, 8)
    operations.resend(invitation)  # the person just got their link again
    db.session.commit()
    assert reminders.queue_due_reminders() == 0


def test_remind_command_twice_sends_one_reminder(make_app, smtp):
    app = make_app(**smtp.config())
    with app.app_context():
        invitation, _token = invite()
        deliver_due()
        age(invitation, 8)
        runner = app.test_cli_runner()
        first = runner.invoke(args=["remind"])
        second = runner.invoke(args=["remind"])
        assert first.output.strip() == "Queued 1 reminder(s)."
        assert second.output.strip() == "Queued 0 reminder(s)."
        assert runner.invoke(args=["outbox", "send"]).output.strip() == (
            "Sent 1, to retry 0, failed 0.")
    subjects = [m["Subject"] for m in smtp.messages]
    assert subjects == ["Invitation : Portrait de gestionnaire de communauté",
                        "Rappel : Portrait de gestionnaire de communauté"]


def test_remind_now_button_queues_the_next_reminder(blogger_client):
    invitation, _token = invite()
    response = blogger_client.post(f"/admin/invitations/{invitation.id}/remind")
    assert response.status_code == 303
    db.session.expire_all()
    assert invitation.reminders_sent == 1
    assert [r.dedupe_key for r in outbox_rows("reminder")] == [f"reminder:{invitation.id}:1"]
    # The automatic schedule goes on from there: the next one is the day-14 reminder.
    assert reminders.queue_due_reminders(later(8)) == 0
    assert reminders.queue_due_reminders(later(14.5)) == 1


def test_remind_now_refused_on_revoked_invitation_page(blogger_client):
    invitation, _token = invite()
    operations.revoke(invitation)
    db.session.commit()
    response = blogger_client.post(f"/admin/invitations/{invitation.id}/remind",
                                   follow_redirects=True)
    assert "Cette action n’est plus possible pour cette invitation." in response.get_data(
        as_text=True)
    assert outbox_rows("reminder") == []

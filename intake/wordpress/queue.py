"""Pushes as queued work: a row per push, claimed atomically, retried like the mail.

Connection errors, timeouts and 5xx answers wait (the outbox's backoff) and try again; a
refusal (401, 403, 400…) fails at once with its reason. The background worker calls
`process_due_pushes()` on every pass; `flask wordpress push` calls it right away.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, update

from intake.enums import PushAction, PushStatus, State, WordPressStatus
from intake.errors import Refused
from intake.extensions import db
from intake.i18n import blog_timezone
from intake.mail.policy import next_attempt
from intake.models import Submission, WordPressPush, utcnow
from intake.wordpress import push as pushing
from intake.wordpress.check import settings_problem
from intake.wordpress.client import WordPressClient, WordPressError, reason
from intake.wordpress.settings import wordpress_settings

__all__ = ["process_due_pushes", "queue_push", "reason"]

# A push left claimed longer than this belongs to a worker that died: take it again.
CLAIM_TIMEOUT = timedelta(minutes=10)


class PushRefused(Refused):
    """A push the portrait does not allow ('not_published', 'no_date', 'unknown_slug')."""

    MESSAGES = {
        "not_published": _l("Seul un portrait publié peut être envoyé à WordPress."),
        "no_date": _l("Pour planifier l’article, donnez une date et une heure à venir."),
        "unknown_slug": _l("Aucun portrait publié ne porte cette adresse."),
    }


def queue_push(submission: Submission, action: PushAction = PushAction.PUSH,
               post_status: WordPressStatus = WordPressStatus.DRAFT,
               post_date: datetime | None = None) -> WordPressPush:
    """Queue a push of the portrait, due now (a waiting one of it is replaced); flushes.
    Raises PushRefused for a portrait that is not published or a plan without a future date."""
    if action == PushAction.PUSH and submission.state != State.PUBLISHED:
        raise PushRefused("not_published")
    if post_status == WordPressStatus.FUTURE and (post_date is None or post_date <= utcnow()):
        raise PushRefused("no_date")
    row = db.session.scalar(select(WordPressPush).where(
        WordPressPush.submission_id == submission.id,
        WordPressPush.status.in_([PushStatus.QUEUED, PushStatus.FAILED])))
    if row is None:
        row = WordPressPush(submission_id=submission.id)
        db.session.add(row)
    row.action, row.post_status, row.post_date = action.value, post_status.value, post_date
    row.status, row.attempts, row.next_attempt_at = PushStatus.QUEUED.value, 0, utcnow()
    row.error_code = row.error_detail = ""
    db.session.flush()
    return row


def queue_for_cli(slug: str | None, post_status: WordPressStatus) -> list[WordPressPush]:
    """Queue the push of the published portrait with this slug, or of all of them (slug None);
    flushes. The post date of a planned post is the portrait's publication date at noon."""
    query = select(Submission).where(Submission.state == State.PUBLISHED)
    if slug:
        query = query.where(Submission.slug == slug)
    portraits = list(db.session.scalars(query.order_by(Submission.published_at)))
    if slug and not portraits:
        raise PushRefused("unknown_slug")
    return [queue_push(item, PushAction.PUSH, post_status, noon(item))
            if post_status == WordPressStatus.FUTURE
            else queue_push(item, PushAction.PUSH, post_status) for item in portraits]


def noon(submission: Submission) -> datetime | None:
    """Return noon in the blog's time zone on the portrait's publication date, in UTC."""
    if submission.publication_date is None:
        return None
    local = datetime.combine(submission.publication_date, time(12),
                             tzinfo=ZoneInfo(blog_timezone()))
    return local.astimezone(UTC)


def queue_unpublish(submission: Submission) -> WordPressPush | None:
    """Queue moving the portrait's WordPress post back to draft, if it has one; flushes."""
    if not submission.wp_post_id:
        return None
    return queue_push(submission, PushAction.UNPUBLISH)


def queue_erase(submission: Submission) -> WordPressPush | None:
    """Queue deleting the post and media of a person being erased, if WordPress has any; the
    row keeps only WordPress's ids, not the portrait; flushes."""
    media_ids = [media["id"] for media in (submission.wp_media or {}).values()]
    if not (submission.wp_post_id or media_ids):
        return None
    row = WordPressPush(submission_id=None, action=PushAction.ERASE.value,
                        erase_ids={"post_id": submission.wp_post_id, "media_ids": media_ids})
    db.session.add(row)
    db.session.flush()
    return row


def due_condition(now: datetime):
    """Return the SQL condition of pushes a worker may claim now."""
    return or_(
        and_(WordPressPush.status == PushStatus.QUEUED, WordPressPush.next_attempt_at <= now),
        and_(WordPressPush.status == PushStatus.PUSHING,
             WordPressPush.claimed_at < now - CLAIM_TIMEOUT),
    )


def claim(push_id: int, now: datetime) -> bool:
    """Mark one due push as 'pushing' for this process; commits. Says whether it got it."""
    result = db.session.execute(
        update(WordPressPush).where(WordPressPush.id == push_id, due_condition(now))
        .values(status=PushStatus.PUSHING, claimed_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def process_due_pushes(now: datetime | None = None, push_ids: list[int] | None = None,
                       limit: int = 20) -> int:
    """Run the due pushes (only `push_ids` when given), each claimed then stored in its own
    transaction; commits. Returns how many finished. Nothing while WordPress is not set up."""
    if not settings_ready():
        return 0
    now = now or utcnow()
    query = select(WordPressPush.id).where(due_condition(now)).order_by(WordPressPush.id)
    if push_ids is not None:
        query = query.where(WordPressPush.id.in_(push_ids))
    candidates = list(db.session.scalars(query.limit(limit)))
    db.session.commit()
    return sum(run(push_id, now) for push_id in candidates if claim(push_id, now))


def run(push_id: int, now: datetime) -> bool:
    """Do one claimed push and store its outcome and WordPress's ids; commits."""
    row = db.session.get(WordPressPush, push_id)
    if row is None:  # the portrait was erased meanwhile
        return False
    pushed = pushing.known(row.submission) if row.submission else pushing.Pushed()
    try:
        with WordPressClient(wordpress_settings()) as client:
            if row.action == PushAction.ERASE:
                pushing.delete_everything(client, row.erase_ids or {})
            elif row.action == PushAction.UNPUBLISH:
                pushing.move_to_draft(client, pushed.post_id)
            else:
                gathered = pushing.gather(row.submission)
                pushing.push(client, gathered, pushed, row.post_status, row.post_date)
    except WordPressError as error:
        failure = error
    except Exception as error:  # a bug must not stop the other pushes: recorded, retried
        current_app.logger.exception("WordPress push %s failed", push_id)
        db.session.rollback()
        row = db.session.get(WordPressPush, push_id)
        failure = WordPressError("internal", detail=type(error).__name__)
    else:
        failure = None
    store(row, row.submission, pushed, failure, now)
    db.session.commit()
    return failure is None


def store(row: WordPressPush, submission: Submission | None, pushed: pushing.Pushed,
          failure: WordPressError | None, now: datetime) -> None:
    """Keep WordPress's ids on the portrait and the push's outcome (retry time, reason)."""
    if submission is not None:
        submission.wp_post_id, submission.wp_media = pushed.post_id, pushed.media or None
    row.attempts += 1
    row.claimed_at = None
    if failure is None:
        row.status, row.done_at, row.error_code, row.error_detail = (
            PushStatus.DONE.value, utcnow(), "", "")
        if row.action == PushAction.PUSH and submission is not None:
            submission.wp_pushed_at = utcnow()
        return
    row.error_code, row.error_detail = failure.code, failure.detail_line
    when = next_attempt(row.attempts, row.created_at, now) if failure.retryable else None
    if when is None:
        row.status = PushStatus.FAILED.value
    else:
        row.status, row.next_attempt_at = PushStatus.QUEUED.value, when


def settings_ready() -> bool:
    """Say whether the WordPress settings let a push be tried."""
    return settings_problem(wordpress_settings()) is None


def retry_push(row: WordPressPush) -> None:
    """Put a failed or waiting push back in the queue, due now; flushes."""
    if row.status in (PushStatus.FAILED, PushStatus.QUEUED):
        row.status, row.next_attempt_at, row.attempts = PushStatus.QUEUED.value, utcnow(), 0
        db.session.flush()


def outcome_line(row: WordPressPush) -> str:
    """Return a push's outcome in words, for the command line and the pages."""
    if row.status == PushStatus.DONE:
        return f"{row.action} OK (WordPress post {row.submission.wp_post_id})"
    waiting = (f" — next try at {row.next_attempt_at:%H:%M} UTC"
               if row.status == PushStatus.QUEUED else "")
    return f"{row.status}{waiting}: {reason(row.error_code, row.error_detail)}"


def latest_push(submission: Submission) -> WordPressPush | None:
    """Return the portrait's most recent push, if any."""
    return db.session.scalar(select(WordPressPush).where(
        WordPressPush.submission_id == submission.id).order_by(WordPressPush.id.desc()).limit(1))


def failed_pushes(limit: int = 20) -> list[WordPressPush]:
    """Return the pushes that failed for good or wait after a failure, newest first."""
    return list(db.session.scalars(select(WordPressPush).where(
        WordPressPush.error_code != "",
        WordPressPush.status.in_([PushStatus.FAILED, PushStatus.QUEUED]))
        .order_by(WordPressPush.id.desc()).limit(limit)))


def push_panel(submission: Submission) -> dict:
    """Return what the review page shows of WordPress: set up or not, the latest push, the
    post's id, and whether the portrait changed since it was last pushed."""
    latest = latest_push(submission)
    changed = bool(submission.wp_pushed_at and submission.updated_at
                   and submission.updated_at > submission.wp_pushed_at)
    return {"ready": settings_ready(), "latest": latest, "post_id": submission.wp_post_id,
            "changed": changed, "url": wordpress_settings().url,
            "reason": reason(latest.error_code, latest.error_detail) if latest else ""}

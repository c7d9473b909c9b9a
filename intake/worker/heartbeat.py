"""The worker's heartbeat: a blog setting holding when it last ran, read by the dashboard."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from intake.database import writing
from intake.extensions import db
from intake.models import BlogSetting, utcnow

KEY = "worker_heartbeat"


def beat(now: datetime | None = None) -> None:
    """Write that the worker ran now; commits."""
    with writing():
        setting = db.session.get(BlogSetting, KEY) or BlogSetting(key=KEY)
        setting.value = (now or utcnow()).isoformat()
        db.session.add(setting)
        db.session.commit()


def last_beat() -> datetime | None:
    """Return when the worker last ran, or None when it never did."""
    value = db.session.scalar(select(BlogSetting.value).where(BlogSetting.key == KEY))
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def worker_silent(now: datetime | None = None) -> datetime | bool | None:
    """Return the last heartbeat when it is older than WORKER_STALE_MINUTES, True when the
    worker never ran, None when it runs."""
    last = last_beat()
    if last is None:
        return True
    stale = timedelta(minutes=float(current_app.config["WORKER_STALE_MINUTES"]))
    return last if last < (now or utcnow()) - stale else None

"""Rate limits counted by hand, for budgets a route decorator cannot express: only the
requests that fail (a link that does not open), or keyed by what the request resolved to (a
valid link, whatever the address). Same storage and strategy as Flask-Limiter's decorators, so
Redis shares these counts between workers too."""

import math
import time
from functools import lru_cache

from flask import current_app
from limits import RateLimitItem, parse_many

from intake.extensions import limiter


@lru_cache(maxsize=32)
def parsed(limits: str) -> tuple[RateLimitItem, ...]:
    """Return the limits of a setting such as "60 per minute;500 per hour"."""
    return tuple(parse_many(limits))


def spend(setting: str, *key: str) -> int | None:
    """Count one request against the limits of a setting under `key` (stored, shared);
    return the seconds to wait when a limit is exceeded, else None."""
    if not limiter.enabled:
        return None
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    identifiers = [part for part in (prefix, setting.lower(), *key) if part]
    for item in parsed(current_app.config[setting]):
        if not limiter.limiter.hit(item, *identifiers):
            reset_at, _remaining = limiter.limiter.get_window_stats(item, *identifiers)
            return max(1, math.ceil(reset_at - time.time()))
    return None

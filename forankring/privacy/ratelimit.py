"""A coarse daily limit on anonymous posting that stores no identity next to the item.

The counter lives in the shared cache, apart from the items, under a key that is an HMAC of
(feature, person id, date) with a key derived from SECRET_KEY. It holds a number and nothing
else: no item id, no text, no time. It expires at the next local midnight, so the expiry time
in the cache table is the same for everyone who posted that day and says nothing about when.

The counter is bumped outside the item's own transaction (`submit_concern` calls `hit` first),
so the two writes are not one database transaction that could be joined by its id.

Someone who has both the cache table and SECRET_KEY could compute a person's key and learn that
they posted at least once that day, and how many times; never which item. Without the secret
the keys are opaque.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from forankring.core.models import Person

# Generous for a real person (nobody writes twenty concerns a day), small enough to stop a
# script from flooding a unit's list. ANONYMOUS_DAILY_LIMIT in the settings overrides it.
DEFAULT_DAILY_LIMIT = 20
_SALT = "forankring.privacy.ratelimit"


class RateLimited(Exception):
    """The person has posted as much anonymously today as the limit allows."""


def daily_limit() -> int:
    return int(getattr(settings, "ANONYMOUS_DAILY_LIMIT", DEFAULT_DAILY_LIMIT))


def cache_key(*, person: Person, scope: str) -> str:
    day = timezone.localdate().isoformat()
    digest = salted_hmac(_SALT, f"{scope}:{person.pk}:{day}", algorithm="sha256").hexdigest()
    return f"anon-rate:{digest[:40]}"


def _seconds_to_midnight() -> float:
    now = timezone.localtime()
    midnight = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    return max((midnight - now).total_seconds(), 1.0)


def hit(*, person: Person, scope: str) -> None:
    """Count one anonymous post by `person` to `scope`, or raise RateLimited if over the limit.

    Not atomic between read and write: two posts in the same instant may both pass, which is
    fine for a limit meant to stop floods, not to count exactly."""
    key = cache_key(person=person, scope=scope)
    count = int(cache.get(key, 0))
    if count >= daily_limit():
        raise RateLimited
    # set() rather than incr(): Django's incr() on the database cache resets the expiry to the
    # default timeout instead of keeping ours.
    cache.set(key, count + 1, timeout=_seconds_to_midnight())

"""A small fixed-window limit on failed sign-ins, kept in the shared cache.

Keys are hashed so the cache holds neither usernames nor addresses in clear text.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{kind}:{value.lower()}".encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def is_blocked(*, username: str, address: str) -> bool:
    limit = settings.LOGIN_RATE_LIMIT
    keys = [_key("user", username), _key("addr", address)]
    counts = cache.get_many(keys)
    return any(int(v) >= limit for v in counts.values())


def note_failure(*, username: str, address: str) -> None:
    for key in (_key("user", username), _key("addr", address)):
        if cache.add(key, 1, timeout=settings.LOGIN_RATE_WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=settings.LOGIN_RATE_WINDOW)


def clear(*, username: str) -> None:
    cache.delete(_key("user", username))

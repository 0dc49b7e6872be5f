"""A limit on failed sign-ins per username and per client address, kept in the shared cache.

Each failure takes one numbered slot (`cache.add`, which the database cache makes atomic with
its primary key) that expires LOGIN_RATE_WINDOW seconds later; when every slot is taken, the
username or address is blocked until the oldest one expires. Slots rather than a counter
because the cache's `incr` is a read followed by a write: parallel attempts would be counted
once, and the write also resets the expiry to the cache's default timeout instead of the window.

Keys are keyed hashes (HMAC with SECRET_KEY), so the cache holds neither usernames nor
addresses in clear text, and a leaked cache table cannot be checked against a list of names.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

_SALT = "forankring.core.ratelimit"


def normalise_username(username: str) -> str:
    """The form the sign-in form itself compares: stripped and NFKC-normalised (Django's
    UsernameField does the same), and case-folded. Without this, "ADMIN", " admin" and a
    full-width "ａｄｍｉｎ" would each get their own allowance for the same account."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def client_address(request: HttpRequest) -> str:
    """The address to count failures for. Behind TRUSTED_PROXY_COUNT proxies it is the one
    the outermost proxy saw, taken from the right of X-Forwarded-For: entries further left
    come from the client and could be anything. Without this every attempt would come from
    the proxy's address, and ten wrong passwords anywhere would lock out everyone."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


def _base_key(kind: str, value: str) -> str:
    digest = salted_hmac(_SALT, f"{kind}:{value}", algorithm="sha256").hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def _slots(kind: str, value: str, limit: int) -> list[str]:
    base = _base_key(kind, value)
    return [f"{base}:{n}" for n in range(max(limit, 1))]


def _slot_sets(*, username: str, address: str) -> list[list[str]]:
    return [
        _slots("user", normalise_username(username), settings.LOGIN_RATE_LIMIT),
        _slots("addr", address, settings.LOGIN_RATE_ADDRESS_LIMIT),
    ]


def is_blocked(*, username: str, address: str) -> bool:
    slot_sets = _slot_sets(username=username, address=address)
    taken = cache.get_many([key for slots in slot_sets for key in slots])
    return any(all(key in taken for key in slots) for slots in slot_sets)


def note_failure(*, username: str, address: str) -> None:
    window = settings.LOGIN_RATE_WINDOW
    slot_sets = _slot_sets(username=username, address=address)
    taken = cache.get_many([key for slots in slot_sets for key in slots])
    for slots in slot_sets:
        for key in slots:
            # add() fails if a parallel request took this slot first; then try the next one.
            if key not in taken and cache.add(key, 1, timeout=window):
                break


def clear(*, username: str) -> None:
    """After a successful sign-in: the username starts afresh (the address does not)."""
    cache.delete_many(_slots("user", normalise_username(username), settings.LOGIN_RATE_LIMIT))

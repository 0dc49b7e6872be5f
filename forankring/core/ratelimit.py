"""Limits on password sign-ins that stop guessing without letting anyone lock another out.

Every attempt is counted *before* its password is checked, in three counters at once (the
scheme is explained for administrators in docs/sign-in.md):

- the username from this address: LOGIN_RATE_LIMIT (10) attempts per window — the limit a
  guesser meets;
- the username from anywhere: LOGIN_RATE_USERNAME_LIMIT (100) — a guesser with many
  addresses; high, so that a lock-out needs a crowd of addresses;
- the address, whatever the username: LOGIN_RATE_ADDRESS_LIMIT (100) — one address trying
  many usernames; high because a whole town hall may share one NAT address.

A browser in which the person has signed in before carries a signed cookie naming it ("a known
browser"). From a known browser only one counter applies: the username from this browser, 10
per window. Whatever anyone else does — from the same town-hall address or from a thousand
others — the person's own browser still gets in with the right password.

Counting is exact under concurrency: each attempt takes one numbered slot with `cache.add`,
which inserts a row under a primary key in the database cache, so of any number of parallel
requests exactly as many succeed as there are free slots. Slots belong to a fixed window
(its number is part of the key) and expire when it ends; a key is never reused, so no expired
row is ever overwritten, which in the database cache would be a read followed by a write.
An attempt refused by any counter gives back the slots it took in the others.

Keys are keyed hashes (HMAC with SECRET_KEY), so the cache holds neither usernames nor
addresses in clear text, and a leaked cache table cannot be checked against a list of names.
"""

from __future__ import annotations

import secrets
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac

_SALT = "forankring.core.ratelimit"
BROWSER_COOKIE = "forankring_browser"
BROWSER_COOKIE_AGE = 365 * 24 * 3600
# Usernames remembered in one browser (a shared PC in a staff room).
BROWSER_USERNAMES = 5


def normalise_username(username: str) -> str:
    """The form the sign-in form itself compares: stripped and NFKC-normalised (Django's
    UsernameField does the same), and case-folded. Without this, "ADMIN", " admin" and a
    full-width "ａｄｍｉｎ" would each get their own allowance for the same account."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def client_address(request: HttpRequest) -> str:
    """The address to count attempts for. Behind TRUSTED_PROXY_COUNT proxies it is the one
    the outermost proxy saw, taken from the right of X-Forwarded-For: entries further left
    come from the client and could be anything. Without this every attempt would come from
    the proxy's address, and ten wrong passwords anywhere would lock out everyone."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


def _hash(kind: str, value: str) -> str:
    return salted_hmac(_SALT, f"{kind}:{value}", algorithm="sha256").hexdigest()[:32]


@dataclass(frozen=True)
class _Counter:
    base: str
    limit: int


@dataclass(frozen=True)
class Attempt:
    """One counted attempt: the slots it took, and the counter a success starts afresh."""

    taken: tuple[str, ...]
    own_counter: str
    own_limit: int


def _counters(*, username: str, address: str, browser: str) -> list[_Counter]:
    user = normalise_username(username)
    if browser:
        return [_Counter(f"login:browser:{_hash('browser', f'{user}|{browser}')}", settings.LOGIN_RATE_LIMIT)]
    return [
        _Counter(f"login:pair:{_hash('pair', f'{user}|{address}')}", settings.LOGIN_RATE_LIMIT),
        _Counter(f"login:user:{_hash('user', user)}", settings.LOGIN_RATE_USERNAME_LIMIT),
        _Counter(f"login:addr:{_hash('addr', address)}", settings.LOGIN_RATE_ADDRESS_LIMIT),
    ]


def _slots(base: str, limit: int) -> list[str]:
    return [f"{base}:{n}" for n in range(max(limit, 1))]


def _take_slot(base: str, limit: int, timeout: int) -> str | None:
    """The key of a slot now ours, or None when every slot is taken."""
    slots = _slots(base, limit)
    taken = cache.get_many(slots)
    for key in slots:
        # add() fails when a parallel attempt took the slot first (or the database failed:
        # then too the attempt goes on to the next slot, and at worst is refused).
        if key not in taken and cache.add(key, 1, timeout=timeout):
            return key
    return None


def begin(*, username: str, address: str, browser: str = "", now: float | None = None) -> Attempt | None:
    """Count an attempt before its password is checked. None (and nothing counted) when a
    limit is reached: then the password must not be checked at all, or the page's answer
    would tell a right password from a wrong one."""
    now = time.time() if now is None else now
    window = settings.LOGIN_RATE_WINDOW
    index = int(now // window)
    # The slots live to the end of their window (plus a second against rounding).
    timeout = int((index + 1) * window - now) + 1
    counters = _counters(username=username, address=address, browser=browser)
    taken: list[str] = []
    for counter in counters:
        key = _take_slot(f"{counter.base}:{index}", counter.limit, timeout)
        if key is None:
            cache.delete_many(taken)
            return None
        taken.append(key)
    own = counters[0]
    return Attempt(taken=tuple(taken), own_counter=f"{own.base}:{index}", own_limit=own.limit)


def succeeded(attempt: Attempt) -> None:
    """The password was right: the attempt is not a failure, and this username from this
    address (or browser) starts afresh. The other counters keep the failures they hold."""
    cache.delete_many([*attempt.taken, *_slots(attempt.own_counter, attempt.own_limit)])


# --- Known browsers ------------------------------------------------------------------------


def _read_browser_cookie(request: HttpRequest) -> dict[str, object]:
    value = request.COOKIES.get(BROWSER_COOKIE, "")
    if not value:
        return {}
    try:
        data = signing.loads(value, salt=_SALT, max_age=BROWSER_COOKIE_AGE)
    except signing.BadSignature:  # also an expired one
        return {}
    return data if isinstance(data, dict) else {}


def known_browser(request: HttpRequest, username: str) -> str:
    """This browser's id if the username has signed in from it before, else ""."""
    data = _read_browser_cookie(request)
    users = data.get("u")
    browser = data.get("b")
    if isinstance(browser, str) and isinstance(users, list) and _hash("known", normalise_username(username)) in users:
        return browser
    return ""


def remember_browser(request: HttpRequest, response: HttpResponseBase, username: str) -> None:
    """After a successful sign-in: this browser is known for this username from now on.
    The cookie holds a random id and keyed hashes of usernames, nothing readable."""
    data = _read_browser_cookie(request)
    kept_browser, kept_users = data.get("b"), data.get("u")
    browser = kept_browser if isinstance(kept_browser, str) else secrets.token_urlsafe(16)
    users = [u for u in kept_users if isinstance(u, str)] if isinstance(kept_users, list) else []
    mine = _hash("known", normalise_username(username))
    users = [mine, *[u for u in users if u != mine]][:BROWSER_USERNAMES]
    response.set_cookie(
        BROWSER_COOKIE,
        signing.dumps({"b": browser, "u": users}, salt=_SALT),
        max_age=BROWSER_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )

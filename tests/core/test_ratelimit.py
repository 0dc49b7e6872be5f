"""The limit on failed password sign-ins: per username, per address, and nothing readable kept."""

from __future__ import annotations

import base64
import pickle
import time

import pytest
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from forankring.core import ratelimit
from tests.factories import PASSWORD

BLOCKED = "For mange forkerte forsøg"
WRONG = "Brugernavn eller adgangskode er forkert"


@pytest.fixture(autouse=True)
def _small_limits(settings, db):
    settings.LOGIN_RATE_LIMIT = 3
    settings.LOGIN_RATE_ADDRESS_LIMIT = 100
    settings.LOGIN_RATE_WINDOW = 900
    settings.TRUSTED_PROXY_COUNT = 0
    cache.clear()


def _login(client: Client, username: str, password: str):
    return client.post(reverse("core:login"), {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_it_blocks_a_username_after_the_limit_even_with_the_right_password(personas):
    client = Client()
    for _ in range(3):
        response = _login(client, "employee", "wrong-password")
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    response = _login(client, "employee", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert BLOCKED in page
    assert "Vent 15 minutter, og prøv igen." in page  # the window is 900 seconds
    assert "kommunens log-ind" not in page  # there is none to point to while OIDC is off
    assert not _signed_in(client)


def test_it_checks_no_password_while_blocked(personas):
    """Otherwise the page's error message would tell a right password from a wrong one."""
    client = Client()
    for _ in range(3):
        _login(client, "employee", "wrong-password")
    checked: list[object] = []

    def note(**kwargs: object) -> None:
        checked.append(kwargs)

    user_login_failed.connect(note)
    try:
        wrong = _login(client, "employee", "another-wrong-password")
        right = _login(client, "employee", PASSWORD)
    finally:
        user_login_failed.disconnect(note)
    assert checked == []
    assert wrong.status_code == right.status_code == 429
    assert WRONG not in wrong.content.decode()
    assert 'value="employee"' in wrong.content.decode()  # the form keeps the username


def test_it_lets_the_username_in_again_when_the_window_has_passed(personas, settings):
    settings.LOGIN_RATE_WINDOW = 2
    client = Client()
    for _ in range(3):
        _login(client, "employee", "wrong-password")
    assert _login(client, "employee", PASSWORD).status_code == 429
    time.sleep(2.5)
    response = _login(client, "employee", PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_it_limits_each_username_on_its_own(personas):
    client = Client()
    for _ in range(3):
        _login(client, "employee", "wrong-password")
    assert _login(client, "employee", PASSWORD).status_code == 429
    other = Client()
    assert _login(other, "admin", PASSWORD).status_code == 302
    assert _signed_in(other)


def test_it_counts_spellings_of_one_username_together(personas):
    """Django signs "employee" in for all of these, so they share one allowance."""
    for n, spelling in enumerate(("EMPLOYEE", " employee ", "ｅｍｐｌｏｙｅｅ")):
        _login(Client(REMOTE_ADDR=f"192.0.2.{n}"), spelling, "wrong-password")
    assert _login(Client(REMOTE_ADDR="192.0.2.50"), "employee", PASSWORD).status_code == 429


def test_it_blocks_an_address_that_tries_many_usernames(personas, settings):
    settings.LOGIN_RATE_ADDRESS_LIMIT = 4
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for username in ("anna", "bent", "carl", "dorte"):
        assert _login(attacker, username, "guess").status_code == 200
    assert _login(attacker, "admin", PASSWORD).status_code == 429
    colleague = Client(REMOTE_ADDR="203.0.113.6")
    assert _login(colleague, "admin", PASSWORD).status_code == 302


def test_it_counts_the_address_the_proxy_saw(personas, settings):
    """Behind a proxy, REMOTE_ADDR is the proxy's, and the left of X-Forwarded-For is whatever
    the client wrote: neither may decide whose attempts are counted together."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_RATE_ADDRESS_LIMIT = 3
    for n, username in enumerate(("anna", "bent", "carl")):
        client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7")
        _login(client, username, "guess")
    same = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7")
    assert _login(same, "admin", PASSWORD).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert _login(other, "admin", PASSWORD).status_code == 302


def test_it_reads_the_client_address_from_the_right_proxy_hop(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2, 3.3.3.3")
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_address(request) == "3.3.3.3"
    settings.TRUSTED_PROXY_COUNT = 2
    assert ratelimit.client_address(request) == "2.2.2.2"
    settings.TRUSTED_PROXY_COUNT = 5  # fewer hops than proxies: fall back to the socket
    assert ratelimit.client_address(request) == "10.0.0.2"


def test_it_starts_the_username_afresh_after_a_successful_sign_in(personas):
    client = Client()
    for _ in range(2):
        _login(client, "employee", "wrong-password")
    assert _login(client, "employee", PASSWORD).status_code == 302
    client = Client()
    for _ in range(2):
        _login(client, "employee", "wrong-password")
    assert _login(client, "employee", PASSWORD).status_code == 302


def test_it_counts_every_failure_even_when_a_slot_is_already_taken(db, settings):
    """Two requests that arrive together must both be counted; a read-then-write counter
    would count them once."""
    # One failure that raced ours has already taken slot 0 between our read and our write.
    first_slot = ratelimit._slots("user", "employee", settings.LOGIN_RATE_LIMIT)[0]
    cache.add(first_slot, 1)
    ratelimit.note_failure(username="employee", address="192.0.2.1")
    ratelimit.note_failure(username="employee", address="192.0.2.1")
    assert ratelimit.is_blocked(username="employee", address="192.0.2.9")


def test_it_keeps_no_username_or_address_readable_in_the_cache(personas):
    client = Client(REMOTE_ADDR="203.0.113.44")
    for _ in range(3):
        _login(client, "employee", "wrong-password")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM forankring_cache")
        rows = cursor.fetchall()
    assert len(rows) >= 6  # three failures, each for the username and the address
    for key, value in rows:
        stored = repr(pickle.loads(base64.b64decode(value)))  # noqa: S301 - our own cache table
        for secret in ("employee", "203.0.113.44"):
            assert secret not in key
            assert secret not in stored


def test_it_keeps_the_counts_when_the_cache_fills_up(personas):
    """The database cache culls a third of its entries, in key order, once it is full; a small
    MAX_ENTRIES would let a flood of other entries wipe the counts."""
    client = Client()
    for _ in range(3):
        _login(client, "employee", "wrong-password")
    cache.set_many({f"zz-filler-{n:04d}": n for n in range(400)})
    cache.set("zz-one-more", 1)  # culling happens on a write
    assert _login(client, "employee", PASSWORD).status_code == 429

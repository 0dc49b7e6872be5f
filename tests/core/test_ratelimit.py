"""The limits on password sign-ins: exact under parallel attempts, stopping a guesser without
letting anyone lock another person out, and keeping nothing readable."""

from __future__ import annotations

import base64
import pickle
import threading
import time

import pytest
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse

from forankring.core import ratelimit
from tests.factories import PASSWORD

BLOCKED = "For mange forkerte forsøg"
WRONG = "Brugernavn eller adgangskode er forkert"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.LOGIN_RATE_LIMIT = 3
    settings.LOGIN_RATE_USERNAME_LIMIT = 100
    settings.LOGIN_RATE_ADDRESS_LIMIT = 100
    settings.LOGIN_RATE_WINDOW = 900
    settings.TRUSTED_PROXY_COUNT = 0


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()


def _login(client: Client, username: str, password: str):
    return client.post(reverse("core:login"), {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _known_browser(username: str, address: str) -> Client:
    """A browser the person has signed in from before, then signed out of."""
    client = Client(REMOTE_ADDR=address)
    assert _login(client, username, PASSWORD).status_code == 302
    client.post(reverse("core:logout"))
    assert ratelimit.BROWSER_COOKIE in client.cookies
    return client


class _PasswordChecks:
    """Counts the passwords Django checked and found wrong, from any thread."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, **kwargs: object) -> None:
        with self._lock:
            self.count += 1

    def __enter__(self) -> _PasswordChecks:
        user_login_failed.connect(self)
        return self

    def __exit__(self, *exc: object) -> None:
        user_login_failed.disconnect(self)


def _wait_like_a_file_database(execute, sql, params, many, context):
    """SQLite's shared in-memory test database answers "table is locked" at once where the
    real (file) database waits for the lock (its busy timeout); wait here the same way, so
    the test sees the locking of the real database. PostgreSQL waits by itself."""
    for _ in range(2000):
        try:
            return execute(sql, params, many, context)
        except OperationalError as problem:
            if "locked" not in str(problem):
                raise
            time.sleep(0.005)
            # The project's SQLite backend closes a cursor whose statement failed (so no other
            # thread frees it later, forankring/core/sqlite); go on with a fresh one.
            context["cursor"].cursor = context["connection"].create_cursor()
    return execute(sql, params, many, context)


# --- Stopping a guesser --------------------------------------------------------------------


def test_it_blocks_a_username_from_an_address_after_the_limit_even_with_the_right_password(personas):
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
    with _PasswordChecks() as checked:
        wrong = _login(client, "employee", "another-wrong-password")
        right = _login(client, "employee", PASSWORD)
    assert checked.count == 0
    assert wrong.status_code == right.status_code == 429
    assert WRONG not in wrong.content.decode()
    assert 'value="employee"' in wrong.content.decode()  # the form keeps the username


@pytest.mark.django_db(transaction=True)
def test_it_checks_exactly_the_limit_of_passwords_when_60_arrive_at_once(personas, settings):
    """Counted before the password is checked: parallel attempts cannot slip in between a
    check of the count and its update. On SQLite and on PostgreSQL."""
    settings.LOGIN_RATE_LIMIT = 10
    start = threading.Barrier(60)
    statuses: list[int] = []

    def guess(n: int) -> None:
        try:
            client = Client(REMOTE_ADDR="203.0.113.60")
            with connection.execute_wrapper(_wait_like_a_file_database):
                start.wait(timeout=30)
                statuses.append(_login(client, "employee", f"guess-{n}").status_code)
        finally:
            connection.close()

    with _PasswordChecks() as checked:
        threads = [threading.Thread(target=guess, args=(n,)) for n in range(60)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert checked.count == 10
    assert sorted(statuses) == [200] * 10 + [429] * 50


def test_it_starts_a_new_window_when_the_time_has_come(personas, settings):
    """The time is passed in, so nothing waits for the clock."""
    settings.LOGIN_RATE_WINDOW = 60
    start = 1_800_000_000.0  # the start of a window (a multiple of 60)
    for n in range(3):
        assert ratelimit.begin(username="employee", address="192.0.2.1", now=start + n) is not None
    assert ratelimit.begin(username="employee", address="192.0.2.1", now=start + 59.9) is None
    assert ratelimit.begin(username="employee", address="192.0.2.1", now=start + 60) is not None


def test_it_counts_nothing_for_an_attempt_it_refuses(personas, settings):
    """A refused attempt gives back the slots it took, or a blocked guesser would still use up
    the username's and the address's allowance."""
    settings.LOGIN_RATE_USERNAME_LIMIT = 4
    for _ in range(3):
        ratelimit.begin(username="employee", address="192.0.2.1")
    for _ in range(5):
        assert ratelimit.begin(username="employee", address="192.0.2.1") is None
    assert ratelimit.begin(username="employee", address="192.0.2.2") is not None


def test_it_counts_spellings_of_one_username_together(personas):
    """Django signs "employee" in for all of these, so they share one allowance."""
    client = Client(REMOTE_ADDR="192.0.2.7")
    for spelling in ("EMPLOYEE", " employee ", "ｅｍｐｌｏｙｅｅ"):
        _login(client, spelling, "wrong-password")
    assert _login(client, "employee", PASSWORD).status_code == 429


def test_it_blocks_an_address_that_tries_many_usernames(personas, settings):
    settings.LOGIN_RATE_ADDRESS_LIMIT = 4
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for username in ("anna", "bent", "carl", "dorte"):
        assert _login(attacker, username, "guess").status_code == 200
    assert _login(attacker, "admin", PASSWORD).status_code == 429
    colleague = Client(REMOTE_ADDR="203.0.113.6")
    assert _login(colleague, "admin", PASSWORD).status_code == 302


def test_it_stops_a_guesser_with_many_addresses_at_the_username_bound(personas, settings):
    settings.LOGIN_RATE_USERNAME_LIMIT = 6
    for n in range(6):
        assert _login(Client(REMOTE_ADDR=f"198.51.100.{n}"), "employee", "guess").status_code == 200
    assert _login(Client(REMOTE_ADDR="198.51.100.99"), "employee", PASSWORD).status_code == 429


# --- Not a lock-out weapon -----------------------------------------------------------------


def test_it_lets_the_person_in_from_another_address_while_a_guesser_is_blocked(personas):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        _login(attacker, "admin", "guess")
    assert _login(attacker, "admin", PASSWORD).status_code == 429
    person = Client(REMOTE_ADDR="192.0.2.10")
    assert _login(person, "admin", PASSWORD).status_code == 302
    assert _signed_in(person)


def test_it_lets_a_known_browser_in_past_a_crowd_of_guessers(personas, settings):
    settings.LOGIN_RATE_USERNAME_LIMIT = 6
    browser = _known_browser("admin", "192.0.2.20")
    for n in range(10):
        _login(Client(REMOTE_ADDR=f"198.51.100.{n}"), "admin", "guess")
    assert _login(Client(REMOTE_ADDR="192.0.2.21"), "admin", PASSWORD).status_code == 429  # unknown browser
    assert _login(browser, "admin", PASSWORD).status_code == 302
    assert _signed_in(browser)


def test_it_lets_a_known_browser_in_when_a_colleague_behind_the_same_address_guesses(personas, settings):
    """A whole town hall shares one NAT address; one person there cannot lock out the rest."""
    settings.LOGIN_RATE_ADDRESS_LIMIT = 5
    town_hall = "203.0.113.100"
    browser = _known_browser("admin", town_hall)
    attacker = Client(REMOTE_ADDR=town_hall)
    for username in ("admin", "admin", "admin", "anna", "bent", "carl"):
        _login(attacker, username, "guess")
    assert _login(Client(REMOTE_ADDR=town_hall), "admin", PASSWORD).status_code == 429
    assert _login(browser, "admin", PASSWORD).status_code == 302


def test_it_still_limits_guesses_from_a_known_browser(personas):
    browser = _known_browser("employee", "192.0.2.30")
    for _ in range(3):
        assert _login(browser, "employee", "guess").status_code == 200
    assert _login(browser, "employee", PASSWORD).status_code == 429


def test_it_knows_a_browser_only_for_the_usernames_signed_in_there(personas, settings):
    settings.LOGIN_RATE_USERNAME_LIMIT = 3
    browser = _known_browser("employee", "192.0.2.40")
    for n in range(3):
        _login(Client(REMOTE_ADDR=f"198.51.100.{n}"), "admin", "guess")
    assert _login(browser, "admin", PASSWORD).status_code == 429


def test_it_does_not_take_a_forged_browser_cookie(personas, settings):
    settings.LOGIN_RATE_USERNAME_LIMIT = 3
    browser = _known_browser("admin", "192.0.2.50")
    for n in range(3):
        _login(Client(REMOTE_ADDR=f"198.51.100.{n}"), "admin", "guess")
    forged = Client(REMOTE_ADDR="192.0.2.51")
    forged.cookies[ratelimit.BROWSER_COOKIE] = browser.cookies[ratelimit.BROWSER_COOKIE].value[:-3] + "abc"
    assert _login(forged, "admin", PASSWORD).status_code == 429


def test_it_starts_the_username_afresh_after_a_successful_sign_in(personas):
    client = Client()
    for _ in range(2):
        _login(client, "employee", "wrong-password")
    assert _login(client, "employee", PASSWORD).status_code == 302
    client = Client()
    for _ in range(2):
        _login(client, "employee", "wrong-password")
    assert _login(client, "employee", PASSWORD).status_code == 302


# --- Addresses and what is kept ------------------------------------------------------------


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


def test_it_keeps_no_username_or_address_readable_in_the_cache_or_the_cookie(personas):
    client = Client(REMOTE_ADDR="203.0.113.44")
    for _ in range(3):
        _login(client, "employee", "wrong-password")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM forankring_cache")
        rows = cursor.fetchall()
    assert len(rows) >= 9  # three failures, each for the pair, the username and the address
    for key, value in rows:
        stored = repr(pickle.loads(base64.b64decode(value)))  # noqa: S301 - our own cache table
        for secret in ("employee", "203.0.113.44"):
            assert secret not in key
            assert secret not in stored
    cookie = _known_browser("admin", "203.0.113.45").cookies[ratelimit.BROWSER_COOKIE].value
    payload = cookie.split(":")[0]
    assert "admin" not in base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()


def test_it_keeps_the_counts_when_the_cache_fills_up(personas):
    """The database cache culls a third of its entries, in key order, once it is full; a small
    MAX_ENTRIES would let a flood of other entries wipe the counts."""
    client = Client()
    for _ in range(3):
        _login(client, "employee", "wrong-password")
    cache.set_many({f"zz-filler-{n:04d}": n for n in range(400)})
    cache.set("zz-one-more", 1)  # culling happens on a write
    assert _login(client, "employee", PASSWORD).status_code == 429

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import Personas, build_personas


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Real hashing is tested by Django; here it would only slow every login down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _language_reset():
    # A test that switches the language (a command's English output, an English page) must not
    # leave it switched for the next test, whose Danish messages it would otherwise read in English.
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def personas(db) -> Personas:
    return build_personas()


@pytest.fixture
def client_for(personas: Personas) -> Callable[[str], Client]:
    """A Django test client signed in as the named persona."""

    def make(name: str) -> Client:
        client = Client()
        person = getattr(personas, name)
        client.force_login(person.user)
        return client

    return make


@contextmanager
def count_queries() -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as ctx:
        yield ctx


@pytest.fixture
def assert_num_queries_stable() -> Callable[..., None]:
    """Checks that a page's query count does not grow with the data.

    Call with a client, a URL and a function that adds more of whatever the page lists; the
    page is fetched before and after, and both counts must be equal.
    """

    def check(client: Client, url: str, grow: Callable[[], None]) -> None:
        with count_queries() as before:
            assert client.get(url).status_code == 200
        grow()
        with count_queries() as after:
            assert client.get(url).status_code == 200
        assert len(after) == len(before), (
            f"{url}: {len(before)} queries before, {len(after)} after adding data\n"
            + "\n".join(q["sql"] for q in after.captured_queries)
        )

    return check

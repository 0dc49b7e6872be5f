"""Anonymous contributions: the abstract model, the start-up check that keeps them anonymous,
the shuffled display order and the daily limit that stores no identity next to the item."""

from __future__ import annotations

import uuid
from datetime import UTC, timedelta

import pytest
from django.core import checks
from django.core.cache import cache
from django.db import connection, models
from django.test.utils import isolate_apps
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from forankring.core.models import Membership, Person
from forankring.privacy import ratelimit
from forankring.privacy.anonymous import AnonymousContribution
from forankring.privacy.checks import anonymous_models, check_anonymous_models, problems_in
from forankring.privacy.models import Concern


def error_ids(model) -> list[str | None]:
    return [e.id for e in problems_in(model)]


# --- The start-up check ---------------------------------------------------------------------


def test_it_inspects_the_real_anonymous_models_and_finds_them_clean():
    assert Concern in anonymous_models()
    assert check_anonymous_models() == []


def test_it_runs_the_check_with_django_checks():
    assert check_anonymous_models in checks.registry.registry.get_checks()


@isolate_apps("forankring.privacy")
def test_it_refuses_an_anonymous_model_with_an_author():
    class WithAuthor(AnonymousContribution):
        text = models.TextField()
        written_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "privacy"

    assert "privacy.E002" in error_ids(WithAuthor)


@isolate_apps("forankring.privacy")
def test_it_refuses_a_link_to_a_row_that_names_a_person():
    class WithMembership(AnonymousContribution):
        place = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "privacy"

    assert error_ids(WithMembership) == ["privacy.E002"]


@isolate_apps("forankring.privacy")
def test_it_refuses_a_time_of_day():
    class WithTimestamp(AnonymousContribution):
        text = models.TextField()
        sent = models.DateTimeField(auto_now_add=True)

        class Meta:
            app_label = "privacy"

    assert error_ids(WithTimestamp) == ["privacy.E003"]


@isolate_apps("forankring.privacy")
def test_it_refuses_fields_named_like_an_identity():
    class WithIdentity(AnonymousContribution):
        ip_address = models.CharField(max_length=45)
        session_hash = models.CharField(max_length=64)
        sender_ip = models.GenericIPAddressField()

        class Meta:
            app_label = "privacy"

    assert error_ids(WithIdentity) == ["privacy.E004"] * 3


@isolate_apps("forankring.privacy")
def test_it_refuses_a_sequential_primary_key():
    class WithCounter(AnonymousContribution):
        id = models.BigAutoField(primary_key=True)  # type: ignore[assignment]

        class Meta:
            app_label = "privacy"

    assert "privacy.E001" in error_ids(WithCounter)


@isolate_apps("forankring.privacy")
def test_it_leaves_an_ordinary_anonymous_model_alone():
    class Fine(AnonymousContribution):
        text = models.TextField()
        shipping_note = models.CharField(max_length=20)  # "ship" is not "ip"

        class Meta:
            app_label = "privacy"

    assert error_ids(Fine) == []


# --- The fields every anonymous item gets ---------------------------------------------------


def test_it_gives_anonymous_items_a_random_key_a_date_and_no_time(personas):
    a = Concern.objects.create(municipality=personas.municipality, unit=personas.root, kind="bekymring", text="a")
    b = Concern.objects.create(municipality=personas.municipality, unit=personas.root, kind="bekymring", text="b")
    assert isinstance(a.pk, uuid.UUID) and a.pk.version == 4
    assert a.pk != b.pk and a.shuffle_key != b.shuffle_key
    field_types = {type(f) for f in Concern._meta.concrete_fields}
    assert models.DateTimeField not in field_types and models.DateField in field_types


def test_it_shows_anonymous_items_in_a_stable_shuffled_order_not_by_arrival(personas):
    made = [
        Concern.objects.create(municipality=personas.municipality, unit=personas.root, kind="oenske", text=str(i))
        for i in range(30)
    ]
    arrival = [c.pk for c in made]
    shown = list(Concern.objects.in_display_order().values_list("pk", flat=True))
    assert sorted(shown) == sorted(arrival)
    assert shown != arrival  # 1 in 30! that a shuffle equals arrival
    assert list(Concern.objects.in_display_order().values_list("pk", flat=True)) == shown  # stable
    # A list nobody ordered comes out shuffled too.
    assert list(Concern.objects.values_list("pk", flat=True)) == shown


# --- The daily limit ------------------------------------------------------------------------


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_it_stops_anonymous_posting_after_the_daily_limit(personas, settings, fresh_cache):
    settings.ANONYMOUS_DAILY_LIMIT = 3
    for _ in range(3):
        ratelimit.hit(person=personas.employee, scope="concern")
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit(person=personas.employee, scope="concern")
    # Someone else, or another feature, has a count of their own.
    ratelimit.hit(person=personas.lighthouse, scope="concern")
    ratelimit.hit(person=personas.employee, scope="pulse")


def test_it_keys_the_count_by_an_hmac_that_names_nobody(personas, fresh_cache):
    person = personas.employee
    key = ratelimit.cache_key(person=person, scope="concern")
    assert key.startswith("anon-rate:")
    digest = key.removeprefix("anon-rate:")
    assert len(digest) == 40 and all(ch in "0123456789abcdef" for ch in digest)
    for identifier in (str(person.pk), person.name, person.email, person.user.username, "concern"):
        assert identifier.lower() not in digest or len(identifier) < 3
    assert ratelimit.cache_key(person=personas.lighthouse, scope="concern") != key


def test_it_counts_at_the_end_of_the_day_not_at_the_time_of_posting(personas, fresh_cache):
    ratelimit.hit(person=personas.employee, scope="concern")
    key = ratelimit.cache_key(person=personas.employee, scope="concern")
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM forankring_cache WHERE cache_key LIKE %s", [f"%{key}"])
        (expires,) = cursor.fetchone()
    # The database cache stores when the entry expires: the next local midnight, the same for
    # everyone who posted that day, so it does not tell when this person posted.
    if isinstance(expires, str):
        expires = parse_datetime(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, UTC)
    local = timezone.localtime(expires)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert local.date() == timezone.localdate() + timedelta(days=1)

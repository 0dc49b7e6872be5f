"""The shared read helpers every track's home-page provider leans on: `counts` (several counts
in one round trip) and `placements` (the person's placements, read once per request)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forankring.core import queries
from forankring.core.models import Membership, Person, Unit
from tests.factories import make_person, make_unit


def test_counts_gives_each_querysets_count_in_one_query(personas):
    m = personas.municipality
    people = Person.objects.filter(municipality=m)
    active_units = Unit.objects.filter(municipality=m, is_active=True)
    leaders = Membership.objects.filter(municipality=m, is_leader=True)
    nobody = Person.objects.filter(municipality=m, name="Ingen hedder sådan")
    with CaptureQueriesContext(connection) as ctx:
        got = queries.counts(people=people, units=active_units, leaders=leaders, nobody=nobody)
    assert len(ctx.captured_queries) == 1
    assert got == {
        "people": people.count(),
        "units": active_units.count(),
        "leaders": leaders.count(),
        "nobody": 0,
    }
    assert got["people"] > 1 and got["leaders"] >= 1


def test_counts_keeps_each_querysets_own_filters_and_distinct(personas):
    # A join that repeats rows: a person in two units is one person when the query says distinct.
    m = personas.municipality
    second = make_unit(m, "Andet team", personas.institution)
    Membership.objects.create(municipality=m, person=personas.employee, unit=second)
    placed = Person.objects.filter(municipality=m, memberships__unit__path__startswith=personas.institution.path)
    got = queries.counts(rows=placed, people=placed.distinct())
    assert got == {"rows": placed.count(), "people": placed.distinct().count()}
    assert got["rows"] > got["people"]


@pytest.mark.django_db
def test_counts_of_nothing_asks_nothing():
    with CaptureQueriesContext(connection) as ctx:
        assert queries.counts() == {}
    assert not ctx.captured_queries


@pytest.mark.django_db
def test_placements_are_read_once_per_instance_top_down(personas):
    person = Person.objects.get(pk=personas.employee.pk)
    extra = make_unit(personas.municipality, "Aa-teamet", personas.institution)
    Membership.objects.create(municipality=personas.municipality, person=person, unit=extra)
    with CaptureQueriesContext(connection) as ctx:
        first = queries.placements(person)
        paths = queries.placement_paths(person)
        again = queries.placements(person)
    assert len(ctx.captured_queries) == 1
    assert first is again
    assert extra.path in paths and len(paths) == len(first)
    # Another person's placements are never mixed in.
    other = make_person(personas.municipality, "Anden person", unit=extra)
    assert [m.person_id for m in queries.placements(other)] == [other.pk]

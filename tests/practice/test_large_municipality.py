"""Track 2's pages in a municipality of tens of thousands: what they read must not grow with the
organisation. The query counts are pinned in tests/test_every_page.py; these tests pin the shape
of the reads that made the pages slow on 45,000 people although their counts stayed the same."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forankring.core import access
from forankring.core import queries as core_queries
from forankring.core.models import Person, ProfessionalArea
from forankring.practice import queries
from forankring.practice.models import Lighthouse
from tests.factories import grow_organisation, make_person

pytestmark = pytest.mark.django_db

# The pages that need the person's own units ("Teamets AI-punkt", "Peg på en arbejdsgang", the
# use cases and "Find dit fyrtårn").
OWN_UNIT_PAGES = ["practice:teams", "practice:idea_new", "practice:use_case_new", "practice:use_cases"]


def test_it_finds_the_own_units_of_someone_without_a_writer_role_from_their_placements_alone(
    personas, django_assert_num_queries
):
    # As on every page: the person comes with their roles, and the placements are read once.
    employee = access.workplaces(personas.employee.user)[0]
    core_queries.placements(employee)
    with django_assert_num_queries(0):
        assert queries.own_units(employee) == [personas.team]


def test_it_reads_only_the_units_of_the_writer_roles_in_one_query(personas, django_assert_num_queries):
    # Placed in the team, lighthouse for the institution above it.
    lighthouse = access.workplaces(personas.lighthouse.user)[0]
    core_queries.placements(lighthouse)
    with django_assert_num_queries(1) as captured:
        assert queries.own_units(lighthouse) == [personas.institution, personas.team]
    # By the roles' paths: not a join of every unit with its memberships and role assignments.
    assert "core_membership" not in captured[0]["sql"] and "core_roleassignment" not in captured[0]["sql"]


def test_it_leaves_an_inactive_unit_out_of_the_own_units(personas):
    personas.team.is_active = False
    personas.team.save(update_fields=["is_active"])
    assert queries.own_units(Person.objects.get(pk=personas.lighthouse.pk)) == [personas.institution]


@pytest.mark.parametrize("name", [*OWN_UNIT_PAGES, "practice:lighthouses"])
def test_it_never_joins_memberships_with_role_assignments_on_the_page(personas, client_for, name):
    # That join read every membership x role assignment of the municipality (1.3 million rows for
    # one employee's own units on 45,000 people): 100-600 ms on each of these pages.
    grow_organisation(personas, times=3)
    with CaptureQueriesContext(connection) as captured:
        assert client_for("lighthouse").get(reverse(name)).status_code == 200
    joined = [q["sql"] for q in captured if "core_membership" in q["sql"] and "core_roleassignment" in q["sql"]]
    assert not joined, joined


def test_it_asks_per_lighthouse_whether_its_person_is_active_rather_than_filtering_a_join(personas, client_for):
    # Filtering the joined person table made PostgreSQL read every person of the municipality to
    # find the few hundred lighthouses; a subquery by primary key reads only theirs.
    grow_organisation(personas, times=3)
    with CaptureQueriesContext(connection) as captured:
        assert client_for("employee").get(reverse("practice:lighthouses")).status_code == 200
    listing = [q["sql"] for q in captured if 'FROM "practice_lighthouse"' in q["sql"]]
    assert len(listing) == 2  # how many (for the pages) and the page of them
    for sql in listing:
        where = sql.split(" WHERE ", 1)[1]
        assert '"core_person"."is_active"' not in where, sql


def test_it_leaves_out_the_lighthouse_of_someone_who_has_left(personas, client_for):
    area = ProfessionalArea.objects.get(municipality=personas.municipality, name="Dagtilbud")
    gone = make_person(personas.municipality, "Gitte Gået", unit=personas.team)
    for person, text in ((personas.lighthouse, "Skriveassistenten"), (gone, "Billedgenerering")):
        Lighthouse.objects.create(
            municipality=personas.municipality,
            person=person,
            unit=personas.institution,
            area=area,
            helps_with=text,
            contact="Tirsdage",
        )
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    page = client_for("employee").get(reverse("practice:lighthouses")).content.decode()
    assert "Skriveassistenten" in page and "Frida Fyrtårn" in page
    assert "Billedgenerering" not in page and "Gitte Gået" not in page

"""Query counts of the pages whose lists grow with the organisation, each on its own (the
every-page test also pins every page's count and holds it on a ten times larger organisation)."""

from __future__ import annotations

from django.urls import reverse

from forankring.core.models import Membership
from tests.factories import grow_organisation, make_person, make_unit


def test_the_unit_page_keeps_its_query_count_as_its_members_and_units_grow(
    personas, client_for, assert_num_queries_stable
):
    def grow() -> None:
        grow_organisation(personas, times=4)
        for n in range(5):
            make_unit(personas.municipality, f"Ny underenhed {n}", personas.team)
            make_person(personas.municipality, f"Nyt medlem {n}", unit=personas.team, leader=n == 0)

    url = reverse("core:unit_detail", args=[personas.team.pk])
    assert_num_queries_stable(client_for("employee"), url, grow)


def test_my_page_keeps_its_query_count_as_my_units_and_roles_grow(personas, client_for, assert_num_queries_stable):
    def grow() -> None:
        grow_organisation(personas, times=4)
        for n in range(5):
            unit = make_unit(personas.municipality, f"Min nye enhed {n}", personas.institution)
            Membership.objects.create(municipality=personas.municipality, person=personas.employee, unit=unit)

    assert_num_queries_stable(client_for("employee"), reverse("core:me"), grow)


def test_the_person_admin_page_keeps_its_query_count(personas, client_for, assert_num_queries_stable):
    url = reverse("core:admin_person", args=[personas.employee.pk]) + "?unit_soeg=e"
    assert_num_queries_stable(client_for("admin"), url, lambda: grow_organisation(personas, times=4))


def test_the_home_page_keeps_its_query_count(personas, client_for, assert_num_queries_stable):
    # Some of every track's objects first: a track with nothing yet skips its waiting query.
    grow_organisation(personas, times=2)
    assert_num_queries_stable(client_for("med"), reverse("core:home"), lambda: grow_organisation(personas, times=4))

from __future__ import annotations

from django.urls import reverse

from forankring.core.models import Membership, Person
from forankring.core.queries import unit_tree
from tests.factories import make_person, make_unit


def test_it_nests_units_and_counts_each_person_once(personas):
    # Erik works in both teams of the institution: once for the institution, once per team.
    Membership.objects.create(municipality=personas.municipality, person=personas.employee, unit=personas.other_team)
    [root] = unit_tree(personas.employee)
    assert root.unit == personas.root
    [centre] = root.children
    [institution] = centre.children
    assert [n.unit.name for n in institution.children] == ["Team Måne", "Team Sol"]
    by_name = {n.unit.name: n for n in institution.children}
    assert by_name["Team Sol"].total == 3  # team leader, employee, lighthouse
    assert by_name["Team Måne"].total == 2  # MED, and Erik again
    assert institution.total == 4
    everyone = Person.objects.filter(municipality=personas.municipality, memberships__isnull=False).distinct()
    assert root.total == everyone.count()


def test_it_leaves_out_people_who_left(personas):
    Person.objects.filter(pk=personas.employee.pk).update(is_active=False)
    [root] = unit_tree(personas.team_leader)
    team = root.children[0].children[0].children[1]
    assert team.unit.name == "Team Sol"
    assert team.total == 2


def test_the_organisation_page_nests_lists_and_keeps_its_query_count(personas, client_for, assert_num_queries_stable):
    client = client_for("employee")
    page = client.get(reverse("core:organisation")).content.decode()
    assert page.count('<ul class="app-tree">') == 4  # the root list, then one per unit with children

    def grow() -> None:
        for n in range(30):
            team = make_unit(personas.municipality, f"Nyt team {n}", personas.institution)
            for i in range(3):
                make_person(personas.municipality, f"Ny {n}-{i}", unit=team)

    assert_num_queries_stable(client, reverse("core:organisation"), grow)

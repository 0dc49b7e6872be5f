from __future__ import annotations

from django.urls import reverse

from forankring.core.models import Membership, Person, Unit
from forankring.core.orgsync import refresh_head_counts
from forankring.core.queries import child_units, search_units, top_units
from tests.factories import make_person, make_unit


def _counted_by_hand(unit: Unit) -> int:
    """Active people in active units at or below `unit`, each once: the slow way, to check the kept figure."""
    return (
        Person.objects.filter(
            is_active=True, memberships__unit__path__startswith=unit.path, memberships__unit__is_active=True
        )
        .distinct()
        .count()
    )


def test_it_counts_each_person_once_per_subtree(personas):
    # Erik works in both teams of the institution: once for the institution, once per team.
    Membership.objects.create(municipality=personas.municipality, person=personas.employee, unit=personas.other_team)
    refresh_head_counts(personas.municipality.pk)
    counts = dict(Unit.objects.filter(municipality=personas.municipality).values_list("name", "head_count"))
    assert counts["Team Sol"] == 3  # team leader, employee, lighthouse
    assert counts["Team Måne"] == 2  # MED, and Erik again
    assert counts["Børnehuset Mælkebøtten"] == 4
    for unit in Unit.objects.filter(municipality=personas.municipality):
        assert unit.head_count == _counted_by_hand(unit), unit.name


def test_it_leaves_out_people_who_left(personas):
    Person.objects.filter(pk=personas.employee.pk).update(is_active=False)
    refresh_head_counts(personas.municipality.pk)
    personas.team.refresh_from_db()
    assert personas.team.head_count == 2


def test_it_shows_the_top_levels_with_head_counts(personas):
    [root] = top_units(personas.employee)
    assert root.unit == personas.root
    assert root.unit.head_count == _counted_by_hand(personas.root)
    [centre] = root.children
    assert centre.unit == personas.centre
    assert centre.has_children and centre.children == []  # opened on request, not loaded


def test_it_opens_a_subtree_one_level_at_a_time(personas):
    [institution] = child_units(personas.employee, personas.centre)
    assert institution.unit == personas.institution and institution.has_children
    teams = child_units(personas.employee, personas.institution)
    assert [(n.unit.name, n.has_children) for n in teams] == [("Team Måne", False), ("Team Sol", False)]


def test_the_organisation_page_shows_the_top_and_links_to_open_the_rest(client_for, personas):
    page = client_for("employee").get(reverse("core:organisation")).content.decode()
    assert page.count('<ul class="app-tree">') == 2  # the root, and the centres under it
    detail = reverse("core:unit_detail", args=[personas.centre.pk])
    # Without JavaScript a plain link to the unit's page; with htmx the list comes in place.
    assert f'href="{detail}" hx-get="{detail}" hx-swap="outerHTML"' in page
    assert "Team Sol" not in page


def test_htmx_gets_only_the_units_under_the_opened_one(client_for, personas):
    url = reverse("core:unit_detail", args=[personas.institution.pk])
    fragment = client_for("employee").get(url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert html.lstrip().startswith('<ul class="app-tree">')
    assert "Team Sol" in html and "Team Måne" in html and "<h1>" not in html
    assert "HX-Request" in fragment["Vary"]
    assert "<h1>" in client_for("employee").get(url).content.decode()


def test_it_finds_units_by_name_with_their_parent(client_for, personas):
    page = client_for("employee").get(reverse("core:organisation"), {"q": "team"}).content.decode()
    assert "Team Sol" in page and "Team Måne" in page
    assert "under Børnehuset Mælkebøtten" in page
    nothing = client_for("employee").get(reverse("core:organisation"), {"q": "findes ikke"}).content.decode()
    assert "Ingen enheder passer på søgningen." in nothing


def test_the_unit_search_stops_at_its_limit_and_stays_in_scope(personas):
    for n in range(25):
        make_unit(personas.municipality, f"Gruppe {n:02}", personas.institution)
    found, more = search_units(personas.employee, "gruppe")
    assert len(found) == 20 and more
    found, more = search_units(personas.employee, "team", within=[personas.team.path])
    assert [u.name for u in found] == ["Team Sol"] and not more
    assert search_units(personas.employee, "team", within=[]) == ([], False)
    assert search_units(personas.outsider, "team") == ([], False)


def test_the_organisation_page_keeps_its_query_count(personas, client_for, assert_num_queries_stable):
    def grow() -> None:
        for n in range(30):
            team = make_unit(personas.municipality, f"Nyt team {n}", personas.institution)
            for i in range(3):
                make_person(personas.municipality, f"Ny {n}-{i}", unit=team)

    assert_num_queries_stable(client_for("employee"), reverse("core:organisation") + "?q=team", grow)

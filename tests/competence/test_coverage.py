"""Coverage per unit, level and tool: shares only, small groups suppressed, never a name."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from forankring.competence import actions, queries
from forankring.competence.models import Activity
from forankring.core import access
from forankring.core.models import Membership
from forankring.privacy.suppression import SUPPRESSED
from tests.coverage import whole_tree_hidden
from tests.factories import make_activity, make_person, make_tool


def _done(person, activity: Activity) -> None:
    actions.complete(actor=person, activity=activity, completed_on=timezone.localdate(), evidence="", confirmed=True)


def _setup(personas, *, team_size: int = 7):
    """Team Sol grows to `team_size` people more; Team Måne keeps MED's one member and gets one
    more, so it is below K_MIN. Everyone in Team Måne has done the basics."""
    tool = make_tool(personas.municipality, name="Kontorassistenten")
    basics = make_activity(personas.municipality, title="Grundkursus", tools=(tool,))
    extra = [make_person(personas.municipality, f"Kollega {i}", unit=personas.team) for i in range(team_size)]
    for person in extra[: team_size // 2]:
        _done(person, basics)
    second = make_person(personas.municipality, "Måne To", unit=personas.other_team)
    _done(personas.med, basics)
    _done(second, basics)
    return basics, tool


def _rows(table) -> dict[str, tuple]:
    return {row.label: row.values for row in table.rows}


def _coverage(person, unit=None):
    """The level tables and the tool tables of the view, as the page shows them."""
    view = queries.coverage_for(person, unit=unit.pk if unit is not None else None)
    return [f.by_level for f in view.families], [f.by_tool for f in view.families if f.by_tool]


def test_it_suppresses_a_small_unit_so_that_subtraction_cannot_recover_it(personas):
    _setup(personas)
    # The centre's first view shows the centre and the institution; the teams are one step down.
    by_level, by_tool = _coverage(personas.centre_chief, personas.institution)
    (levels,) = by_level
    rows = _rows(levels)
    small = rows[personas.other_team.name]
    assert all(value is SUPPRESSED for value in small)
    # The institution holds exactly its two teams: if both it and Team Sol were shown, Team
    # Måne's count (and how many there have done the basics) would be one subtraction away.
    institution, team = rows[personas.institution.name], rows[personas.team.name]
    assert institution[0] is SUPPRESSED or team[0] is SUPPRESSED
    for column in range(1, len(institution)):
        assert institution[column] is SUPPRESSED or team[column] is SUPPRESSED
    (tools,) = by_tool
    assert tools.columns == ["Kontorassistenten"]
    assert all(value is SUPPRESSED for value in _rows(tools)[personas.other_team.name])


def test_it_shows_the_share_of_a_unit_large_enough(personas):
    basics, _tool = _setup(personas, team_size=9)
    _done(personas.employee, basics)
    # Team Sol: the team leader, the employee, the lighthouse and nine colleagues; four of the
    # colleagues and the employee have done the basics.
    (levels,), _ = _coverage(personas.team_leader)
    row = _rows(levels)[personas.team.name]
    assert row[0] == "12"
    everyone = levels.columns.index(basics.level.display_name) + 1
    assert row[everyone] == "42\u00a0%"


def test_it_counts_only_training_still_in_force(personas):
    basics, _tool = _setup(personas, team_size=9)
    basics.refresh_months = 1
    basics.save()
    # Move every record back two months: all are due again, so nobody counts.
    for record in basics.records.all():
        record.completed_on = record.completed_on.replace(year=record.completed_on.year - 1)
        record.next_refresh = record.completed_on.replace(month=record.completed_on.month)
        record.save()
    (levels,), _ = _coverage(personas.team_leader)
    everyone = levels.columns.index(basics.level.display_name) + 1
    assert _rows(levels)[personas.team.name][everyone] == "0\u00a0%"


def test_it_never_names_anyone_on_the_coverage_page(client_for, personas):
    _setup(personas)
    page = client_for("centre_chief").get(reverse("competence:coverage"), {"enhed": personas.institution.pk})
    page = page.content.decode()
    assert "for få svar" in page
    assert personas.med.name not in page and "Kollega 1" not in page


def test_it_lets_it_see_coverage_per_tool_and_not_an_employee(client_for, personas):
    _setup(personas)
    assert "Kontorassistenten" in client_for("it").get(reverse("competence:coverage")).content.decode()
    assert client_for("employee").get(reverse("competence:coverage")).status_code == 404


def test_it_shows_coverage_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    _setup(personas)
    made = iter(range(100))

    def grow():
        for i in [next(made) for _ in range(3)]:
            tool = make_tool(personas.municipality, name=f"Værktøj {i}")
            activity = make_activity(personas.municipality, title=f"Kursus {i}", tools=(tool,))
            _done(make_person(personas.municipality, f"Ny {i}", unit=personas.team), activity)

    assert_num_queries_stable(client_for("executive"), reverse("competence:coverage"), grow=grow)


def test_it_shows_coverage_when_people_are_placed_in_two_teams(client_for, personas):
    # People placed in both teams count in each, so the teams add up to more than the
    # institution; the page still shows, with the small team still suppressed.
    _setup(personas)
    for person in (personas.employee, personas.lighthouse):
        Membership.objects.get_or_create(municipality=personas.municipality, person=person, unit=personas.other_team)
    response = client_for("centre_chief").get(reverse("competence:coverage"), {"enhed": personas.institution.pk})
    assert response.status_code == 200
    assert "for få svar" in response.content.decode()


def test_it_hides_in_every_view_exactly_what_the_whole_table_hides(personas):
    # People placed in two teams too, so the parts overlap as in a real municipality.
    _setup(personas)
    Membership.objects.get_or_create(
        municipality=personas.municipality, person=personas.employee, unit=personas.other_team
    )
    from forankring.core.orgsync import refresh_head_counts

    refresh_head_counts(personas.municipality.pk)
    for who in ("executive", "centre_chief", "med"):
        person = personas.people[who]
        whole = whole_tree_hidden(person, access.competence_coverage_scopes(person))
        seen: dict[str, object] = {}
        opened: list[int | None] = [None]
        while opened:
            unit = opened.pop()
            view = queries.coverage_for(person, unit=unit)
            for family in view.families:
                for row in family.by_level.rows:
                    seen[row.label] = row.values[0]
                opened += [u.pk for u in family.openable]
        assert seen.keys() == whole.keys()
        for label, hidden in whole.items():
            assert (seen[label] is SUPPRESSED) == hidden, (who, label)


def test_it_shows_the_top_of_the_scope_and_opens_a_unit_on_request(client_for, personas):
    _setup(personas)
    client = client_for("executive")
    top = client.get(reverse("competence:coverage")).content.decode()
    assert personas.centre.name in top
    assert personas.team.name not in top and personas.other_team.name not in top
    assert f"?enhed={personas.centre.pk}" in top
    opened = client.get(reverse("competence:coverage"), {"enhed": personas.institution.pk}).content.decode()
    assert personas.team.name in opened and personas.other_team.name in opened
    assert f"?enhed={personas.centre.pk}" in opened  # the way back up


def test_it_opens_only_units_in_the_readers_scope(client_for, personas):
    url = reverse("competence:coverage")
    assert client_for("team_leader").get(url, {"enhed": personas.centre.pk}).status_code == 404
    assert client_for("team_leader").get(url, {"enhed": personas.team.pk}).status_code == 200
    foreign = personas.other_root.pk
    assert client_for("executive").get(url, {"enhed": foreign}).status_code == 404


def test_it_does_not_grow_the_coverage_page_with_the_organisation(client_for, personas, assert_num_queries_stable):
    from tests.factories import grow_organisation

    _setup(personas)
    url = reverse("competence:coverage")
    before = len(client_for("executive").get(url).content)
    assert_num_queries_stable(client_for("executive"), url, grow=lambda: grow_organisation(personas, times=3))
    page = client_for("executive").get(url).content.decode()
    # Units two levels down never show on the first view, however many there are.
    assert personas.team.name not in page
    assert len(page.encode()) < before * 2

"""The AI-kompas: versions from draft through MED hearing to publication, acknowledgement and
its coverage per unit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from forankring.core.models import AuditEvent, Membership, Unit
from forankring.core.orgsync import refresh_head_counts
from forankring.direction import actions
from forankring.direction.models import Acknowledgement, Compass, HearingComment, Principle
from tests.factories import grow_organisation, make_compass, make_person, make_unit

TODAY = datetime.date(2026, 12, 1)


def draft_with(personas, n: int) -> Compass:
    draft = actions.start_draft(actor=personas.executive)
    for i in range(n):
        actions.add_principle(actor=personas.executive, compass=draft, headline=f"Princip {i}", explanation="Sådan.")
    return draft


def through_hearing(personas, compass: Compass) -> Compass:
    actions.send_to_hearing(actor=personas.executive, compass=compass, deadline=TODAY, today=TODAY)
    return actions.approve(actor=personas.executive, compass=compass)


def test_it_takes_a_compass_from_draft_to_published_and_audits_each_step(personas):
    draft = draft_with(personas, 4)
    through_hearing(personas, draft)
    actions.publish(actor=personas.executive, compass=draft)
    draft.refresh_from_db()
    assert draft.status == Compass.Status.PUBLISHED and draft.published_at is not None
    codes = list(AuditEvent.objects.filter(municipality=personas.municipality).values_list("action", flat=True))
    for code in ("draft", "edit", "hearing", "approve", "publish"):
        assert f"direction.compass.{code}" in codes


def test_it_retires_the_version_before_when_a_new_one_is_published(personas):
    old = make_compass(personas.municipality, version=1)
    new = draft_with(personas, 0)  # starts from the newest version's text
    assert new.version == 2 and new.principles.count() == 4
    through_hearing(personas, new)
    actions.publish(actor=personas.executive, compass=new)
    old.refresh_from_db()
    assert old.status == Compass.Status.RETIRED


@pytest.mark.parametrize("count", [2, 6])
def test_it_refuses_to_publish_fewer_than_three_or_more_than_five_principles(personas, count):
    compass = through_hearing(personas, draft_with(personas, count))
    with pytest.raises(ValidationError) as refused:
        actions.publish(actor=personas.executive, compass=compass)
    assert "principles" in refused.value.message_dict
    compass.refresh_from_db()
    assert compass.status == Compass.Status.APPROVED


def test_it_shows_the_principle_count_error_beside_the_principles(personas, client_for):
    compass = through_hearing(personas, draft_with(personas, 6))
    client = client_for("executive")
    response = client.post(reverse("direction:compass_step", args=[compass.pk]), {"step": "publish"}, follow=True)
    page = response.content.decode()
    assert '<span class="form-error-message" id="principles-error">' in page
    assert "højst have 5 principper" in page and "Det har 6" in page
    assert 'aria-describedby="principles-error"' in page
    assert Compass.objects.get(pk=compass.pk).status == Compass.Status.APPROVED


def test_it_lets_only_the_direktion_draft_and_only_med_comment(personas):
    with pytest.raises(Http404):
        actions.start_draft(actor=personas.med)
    assert not Compass.objects.exists()
    draft = draft_with(personas, 3)
    actions.send_to_hearing(actor=personas.executive, compass=draft, deadline=TODAY, today=TODAY)
    with pytest.raises(Http404):
        actions.comment_in_hearing(actor=personas.employee, compass=draft, text="Hej", today=TODAY)
    actions.comment_in_hearing(actor=personas.med, compass=draft, text="Godt forslag.", today=TODAY)
    assert HearingComment.objects.filter(compass=draft).count() == 1


def test_it_closes_the_hearing_after_the_deadline(personas):
    draft = draft_with(personas, 3)
    actions.send_to_hearing(actor=personas.executive, compass=draft, deadline=TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="Høringen er slut"):
        actions.comment_in_hearing(
            actor=personas.med, compass=draft, text="For sent.", today=TODAY + datetime.timedelta(days=1)
        )
    assert not HearingComment.objects.exists()


def test_it_refuses_a_deadline_in_the_past(personas):
    draft = draft_with(personas, 3)
    with pytest.raises(ValidationError, match="i dag eller senere"):
        actions.send_to_hearing(
            actor=personas.executive, compass=draft, deadline=TODAY - datetime.timedelta(days=1), today=TODAY
        )
    assert Compass.objects.get(pk=draft.pk).status == Compass.Status.DRAFT


def test_it_shows_a_draft_only_to_the_direktion_and_the_hearing_to_med(personas, client_for):
    draft = draft_with(personas, 3)
    url = reverse("direction:compass_detail", args=[draft.pk])
    assert client_for("med").get(url).status_code == 404
    assert client_for("executive").get(url).status_code == 200
    actions.send_to_hearing(actor=personas.executive, compass=draft, deadline=timezone.localdate())
    assert client_for("med").get(url).status_code == 200
    assert client_for("employee").get(url).status_code == 404


def test_it_lets_med_comment_through_the_page_and_the_direktion_read_it(personas, client_for):
    draft = draft_with(personas, 3)
    actions.send_to_hearing(actor=personas.executive, compass=draft, deadline=timezone.localdate())
    url = reverse("direction:compass_detail", args=[draft.pk])
    client_for("med").post(url, {"text": "Husk at nævne arbejdsmiljøet."})
    assert "Husk at nævne arbejdsmiljøet." in client_for("executive").get(url).content.decode()


def test_it_keeps_a_bad_principle_typed_and_saves_nothing(personas, client_for):
    draft = draft_with(personas, 0)
    url = reverse("direction:compass_edit", args=[draft.pk])
    response = client_for("executive").post(
        url, {"what": "principle", "principle-headline": "Ring til 12345678", "principle-explanation": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Ring til 12345678"' in page
    assert "form-error-message" in page
    assert not Principle.objects.filter(compass=draft).exists()


def test_it_asks_everyone_to_acknowledge_a_new_version_once(personas, client_for):
    compass = make_compass(personas.municipality)
    client = client_for("employee")
    home = client.get(reverse("core:home")).content.decode()
    assert "Læs AI-kompasset (version 1)" in home
    client.post(reverse("direction:compass_acknowledge", args=[compass.pk]))
    client.post(reverse("direction:compass_acknowledge", args=[compass.pk]))
    assert Acknowledgement.objects.filter(compass=compass, person=personas.employee).count() == 1
    assert "Læs AI-kompasset" not in client.get(reverse("core:home")).content.decode()
    # Not audited: the log would otherwise be a list of who has (and has not) acknowledged.
    assert not AuditEvent.objects.filter(actor=personas.employee).exists()


def test_it_shows_med_the_hearing_on_the_home_page(personas, client_for):
    draft = draft_with(personas, 3)
    actions.send_to_hearing(actor=personas.executive, compass=draft, deadline=timezone.localdate())
    assert "Kommentér udkastet til AI-kompasset" in client_for("med").get(reverse("core:home")).content.decode()
    assert "Kommentér udkastet" not in client_for("employee").get(reverse("core:home")).content.decode()


def test_it_shows_two_versions_side_by_side(personas, client_for):
    old = make_compass(personas.municipality, version=1)
    new = actions.start_draft(actor=personas.executive)
    actions.add_principle(actor=personas.executive, compass=new, headline="Tid til kerneopgaven", explanation="Ja.")
    url = reverse("direction:compass_diff") + f"?fra={old.pk}&til={new.pk}"
    page = client_for("executive").get(url).content.decode()
    assert (
        '<tr class="app-changed"><td><span class="sr-only">Ændret: </span>–</td><td>Tid til kerneopgaven: Ja.</td></tr>'
        in page
    )
    # An employee does not see the draft, so cannot compare with it.
    assert "Tid til kerneopgaven" not in client_for("employee").get(url).content.decode()


# --- Coverage ---------------------------------------------------------------------------------


COVERAGE = reverse("direction:coverage")


def _opened(unit) -> str:
    return f"{COVERAGE}?enhed={unit.pk}"


def _row(page: str, label: str) -> str:
    return page.split(f"{label}</th>")[1].split("</tr>")[0]


def test_it_shows_coverage_per_unit_with_small_units_suppressed(personas, client_for):
    compass = make_compass(personas.municipality)
    page = client_for("executive").get(_opened(personas.institution)).content.decode()
    # Team Sol has three people: too few to show.
    assert "for få svar" in _row(page, "Team Sol")
    before = _row(client_for("executive").get(COVERAGE).content.decode(), "Direktionen")
    actions.acknowledge(actor=personas.employee, compass=compass)
    after = client_for("executive").get(COVERAGE).content.decode()
    assert _row(after, "Direktionen") != before
    # Never a name.
    assert personas.employee.name not in after
    assert personas.employee.name not in client_for("executive").get(_opened(personas.institution)).content.decode()


def test_it_shows_the_top_levels_and_opens_a_unit_on_request(personas, client_for):
    """The direktion's table is the top unit and the units under it, never the whole tree; a
    unit with units under it opens its own table (a link without JavaScript, htmx with)."""
    make_compass(personas.municipality)
    client = client_for("executive")
    top = client.get(COVERAGE).content.decode()
    assert "Direktionen</th>" in top and "Team Sol" not in top and "Børnehuset Mælkebøtten" not in top
    assert f'href="?enhed={personas.centre.pk}"' in top and 'hx-select="#coverage"' in top
    centre = client.get(_opened(personas.centre)).content.decode()
    assert f'href="?enhed={personas.institution.pk}"' in centre and "Team Sol" not in centre
    assert 'class="breadcrumbs__link"' in centre and "Direktionen</a>" in centre
    institution = client.get(_opened(personas.institution)).content.decode()
    assert "Team Sol</th>" in institution and "Team Måne</th>" in institution
    assert "Center for Dagtilbud</a>" in institution  # the way back


def test_it_opens_only_units_within_the_persons_scope(personas, client_for):
    make_compass(personas.municipality)
    leader = client_for("team_leader")
    assert leader.get(_opened(personas.team)).status_code == 200
    for unit in (personas.root, personas.other_team, personas.other_root):
        assert leader.get(_opened(unit)).status_code == 404
    assert leader.get(f"{COVERAGE}?enhed=x").status_code == 404


def test_it_keeps_a_unit_hidden_above_hidden_when_it_is_opened(personas, client_for):
    """A unit hidden to protect a small sibling stays hidden as the total of its own table, and
    its units do not add up to it: otherwise opening it would give the sibling away."""
    make_compass(personas.municipality)
    administration = make_unit(personas.municipality, "Forvaltningen", personas.root)
    large = make_unit(personas.municipality, "Afdeling Stor", administration)
    small = make_unit(personas.municipality, "Afdeling Lille", administration)
    for name, unit, n in (("Nord", large, 6), ("Syd", large, 6), ("Lille", small, 2)):
        team = make_unit(personas.municipality, f"Team {name}", unit)
        for i in range(n):
            make_person(personas.municipality, f"{name} {i}", unit=team)
    client = client_for("executive")
    above = client.get(_opened(administration)).content.decode()
    assert "for få svar" in _row(above, "Afdeling Lille</a>")
    assert "for få svar" in _row(above, "Afdeling Stor</a>")  # or Lille = Forvaltningen - Stor
    opened = client.get(_opened(large)).content.decode()
    assert "for få svar" in _row(opened, "Afdeling Stor")
    assert "for få svar" in _row(opened, "Team Nord") + _row(opened, "Team Syd")


def test_it_shows_coverage_when_people_are_placed_in_two_units(personas, client_for):
    # Real organisations place some people in two teams under the same institution; each team
    # counts them, so the teams add up to more than the institution. The page must still show.
    make_compass(personas.municipality)
    for n in range(6):
        two_teams = make_person(personas.municipality, f"Dobbelt Placeret {n}", unit=personas.team)
        Membership.objects.create(municipality=personas.municipality, person=two_teams, unit=personas.other_team)
    refresh_head_counts(personas.municipality.pk)
    response = client_for("executive").get(_opened(personas.institution))
    assert response.status_code == 200
    assert "Team Sol</th>" in response.content.decode()


def test_it_shows_a_team_leader_only_their_own_team(personas, client_for):
    make_compass(personas.municipality)
    page = client_for("team_leader").get(COVERAGE).content.decode()
    assert "Team Sol</th>" in page and "Direktionen" not in page


def test_it_counts_coverage_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    compass = make_compass(personas.municipality)

    for url in (COVERAGE, _opened(personas.institution)):

        def grow(url: str = url) -> None:
            for i in range(6):
                person = make_person(personas.municipality, f"Ny Person {i}", unit=personas.other_team)
                actions.acknowledge(actor=person, compass=compass)
            for i in range(3):
                make_unit(personas.municipality, f"Nyt team {i} {url}", personas.institution)
                make_unit(personas.municipality, f"Nyt center {i} {url}", personas.root)

        assert_num_queries_stable(client_for("executive"), url, grow)


def test_it_does_not_list_every_unit_of_a_large_organisation(personas, client_for):
    make_compass(personas.municipality)
    grow_organisation(personas)
    page = client_for("executive").get(COVERAGE).content.decode()
    deeper = Unit.objects.filter(municipality=personas.municipality, depth__gt=1, is_active=True)
    assert deeper.exists() and not [u.name for u in deeper if f">{u.name}<" in page]


def test_it_lists_versions_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    make_compass(personas.municipality, version=1, status="retired")

    def grow():
        for v in range(2, 5):
            make_compass(personas.municipality, version=v, status="retired")

    assert_num_queries_stable(client_for("employee"), reverse("direction:compass"), grow)


def test_it_removes_a_principle_of_the_draft_only(personas, client_for):
    draft = draft_with(personas, 2)
    other = make_compass(personas.other_municipality)
    url = reverse("direction:compass_edit", args=[draft.pk])
    client = client_for("executive")
    foreign = other.principles.all()[0]
    assert client.post(url, {"what": "remove_principle", "item": foreign.pk}).status_code == 404
    assert client.post(url, {"what": "remove_principle", "item": "x"}).status_code == 404
    mine = draft.principles.all()[0]
    assert client.post(url, {"what": "remove_principle", "item": mine.pk}).status_code == 302
    assert list(draft.principles.values_list("headline", flat=True)) == ["Princip 1"]
    assert Principle.objects.filter(pk=foreign.pk).exists()


def test_it_links_to_the_version_on_its_way_instead_of_offering_a_new_one(personas, client_for):
    make_compass(personas.municipality, version=1)
    client = client_for("executive")
    assert "Skriv en ny version" in client.get(reverse("direction:compass")).content.decode()
    on_the_way = make_compass(personas.municipality, version=2, status="hearing")
    text = client.get(reverse("direction:compass")).content.decode()
    assert "Skriv en ny version" not in text
    assert reverse("direction:compass_detail", args=[on_the_way.pk]) in text and "Gå til version 2" in text


def test_it_asks_everyone_in_the_municipality_to_acknowledge_a_newly_published_compass(personas):
    from forankring.core.models import Person
    from forankring.notifications.models import Notification

    compass = make_compass(personas.municipality, status="approved")
    actions.publish(actor=personas.executive, compass=compass)
    told = Notification.objects.filter(kind="compass.published")
    expected = Person.objects.filter(municipality=personas.municipality, is_active=True).exclude(
        pk=personas.executive.pk
    )
    assert sorted(n.recipient_id for n in told) == sorted(p.pk for p in expected)
    assert all(n.url == reverse("direction:compass") for n in told)


def _waiting_labels(person, django_assert_num_queries, queries: int) -> list[str]:
    from forankring.core import access
    from forankring.direction.waiting import items_for

    access.forget_roles(person)
    access.role_paths(person)  # the request has read the roles before the providers run
    with django_assert_num_queries(queries):
        return [str(item.label) for item in items_for(person)]


def test_it_asks_about_the_compass_in_force_in_one_query_and_counts_only_its_acknowledgement(
    personas, django_assert_num_queries
):
    m = personas.municipality
    retired = make_compass(m, version=1, status=Compass.Status.RETIRED)
    Acknowledgement.objects.create(municipality=m, compass=retired, person=personas.employee)
    current = make_compass(m, version=2)
    make_compass(m, version=3, status=Compass.Status.HEARING)
    make_compass(m, version=4, status=Compass.Status.APPROVED)
    # An acknowledgement of the version it replaced does not count, nor does someone else's.
    Acknowledgement.objects.create(municipality=m, compass=current, person=personas.lighthouse)
    labels = _waiting_labels(personas.employee, django_assert_num_queries, 1)
    # The versions on their way are none of an employee's business.
    assert labels == ["Læs AI-kompasset (version 2), og kvittér for, at du har læst det"]
    Acknowledgement.objects.create(municipality=m, compass=current, person=personas.employee)
    assert _waiting_labels(personas.employee, django_assert_num_queries, 1) == []


def test_it_shows_each_reader_what_they_can_do_about_the_versions_on_their_way(personas, django_assert_num_queries):
    m = personas.municipality
    make_compass(m, version=1)
    hearing = make_compass(m, version=2, status=Compass.Status.HEARING)
    hearing.hearing_deadline = datetime.date(2026, 12, 24)
    hearing.save()
    make_compass(m, version=3, status=Compass.Status.APPROVED)
    read = "Læs AI-kompasset (version 1), og kvittér for, at du har læst det"
    # MED comments on the text in hearing; the approved one is the direktion's.
    assert _waiting_labels(personas.med, django_assert_num_queries, 2) == [
        read,
        "Kommentér udkastet til AI-kompasset (version 2) senest 24. december 2026",
    ]
    # The direktion reads MED's comments and publishes, newest version first; it also reads concerns.
    assert _waiting_labels(personas.executive, django_assert_num_queries, 2) == [
        read,
        "Offentliggør det godkendte AI-kompas (version 3)",
        "Læs MED's kommentarer til AI-kompasset (version 2)",
    ]
    # An administrator may both comment and edit: commenting comes first, as before.
    assert _waiting_labels(personas.admin, django_assert_num_queries, 1) == [
        read,
        "Offentliggør det godkendte AI-kompas (version 3)",
        "Kommentér udkastet til AI-kompasset (version 2) senest 24. december 2026",
    ]
    assert _waiting_labels(personas.it, django_assert_num_queries, 1) == [read]


def test_it_hides_in_every_view_of_the_coverage_exactly_what_the_whole_table_hides(personas):
    # Views of a unit and its children at a time must together give away no more than the
    # one table of the whole tree did: suppression is decided over the whole scope.
    from forankring.core import access
    from forankring.core.orgsync import refresh_head_counts
    from forankring.direction import queries
    from forankring.privacy import suppression
    from tests.coverage import whole_tree_hidden

    compass = make_compass(personas.municipality)
    for n in range(7):
        make_person(personas.municipality, f"Kollega {n}", unit=personas.team)
    Membership.objects.get_or_create(
        municipality=personas.municipality, person=personas.employee, unit=personas.other_team
    )
    refresh_head_counts(personas.municipality.pk)
    for who in ("executive", "centre_chief", "med"):
        person = personas.people[who]
        whole = whole_tree_hidden(person, access.coverage_scopes(person))
        seen: dict[str, bool] = {}
        opened: list[str | None] = [None]
        while opened:
            unit = opened.pop()
            for table in queries.coverage_for(person, compass, unit):
                for row in table.rows:
                    seen[row.unit.name] = row.values[0] is suppression.SUPPRESSED
                    if row.depth and row.has_children:
                        opened.append(str(row.unit.pk))
        assert seen == whole, who

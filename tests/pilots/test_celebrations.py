"""Celebrations: a team's small success told as the team's, with reactions counted without
identity, on the home page and in the area feed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forankring.core.models import AuditEvent
from forankring.pilots import actions_sharing
from forankring.pilots.models import Celebration, CelebrationReceipt
from forankring.privacy.testing import assert_unlinkable
from tests.factories import make_person
from tests.pilots.factories_sharing import area_of, make_celebration


def test_it_stores_a_celebration_as_the_teams_with_no_trace_of_the_author(client_for, personas):
    author = make_person(personas.municipality, "Bodil Fortæller", unit=personas.team, username="teller")
    client = client_for("employee")
    client.force_login(author.user)
    token = client.get(reverse("pilots:celebration_new")).context["form"]["submission_token"].value()

    def create():
        response = client.post(
            reverse("pilots:celebration_new"),
            {"submission_token": token, "unit": personas.team.pk, "story": "Ugebrevet blev sendt torsdag."},
        )
        assert response.status_code == 302

    celebration = assert_unlinkable(
        model=Celebration,
        create=create,
        person=author,
        client=client,
        extra_urls=[(client_for("med"), reverse("core:home")), (client_for("med"), reverse("pilots:celebrations"))],
    )
    assert celebration.unit == personas.team
    home = client_for("med").get(reverse("core:home")).content.decode()
    assert "Ugebrevet blev sendt torsdag." in home and personas.team.name in home


def test_it_lets_a_person_celebrate_only_for_a_team_they_belong_to(personas):
    with pytest.raises(ValidationError) as refused:
        actions_sharing.celebrate(actor=personas.employee, unit=personas.other_team, story="Det lykkedes.")
    assert "unit" in refused.value.message_dict
    assert not Celebration.objects.exists()


def test_it_counts_a_reaction_once_per_person_and_takes_it_back_on_a_second_press(client_for, personas):
    celebration = make_celebration(personas.team)
    url = reverse("pilots:celebration_react", args=[celebration.pk])
    employee, med = client_for("employee"), client_for("med")
    employee.post(url, {"reaction": "applause"})
    med.post(url, {"reaction": "applause"})
    med.post(url, {"reaction": "thanks"})
    celebration.refresh_from_db()
    assert (celebration.applause, celebration.thanks, celebration.inspired) == (2, 1, 0)
    employee.post(url, {"reaction": "applause"})
    celebration.refresh_from_db()
    assert celebration.applause == 1
    assert CelebrationReceipt.objects.count() == 2
    assert not AuditEvent.objects.filter(action__startswith="pilots.").exists()


def test_it_stores_nothing_that_links_a_reaction_to_the_person(client_for, personas):
    celebration = make_celebration(personas.team)
    reactor = make_person(personas.municipality, "Rasmus Reagerer", unit=personas.team, username="reactor")
    client = client_for("employee")
    client.force_login(reactor.user)
    url = reverse("pilots:celebration_react", args=[celebration.pk])
    receipt = assert_unlinkable(
        model=CelebrationReceipt,
        create=lambda: client.post(url, {"reaction": "inspired", "next": reverse("pilots:celebrations")}),
        person=reactor,
        client=client,
        extra_urls=[(client_for("med"), reverse("pilots:celebrations"))],
    )
    assert str(celebration.pk) not in receipt.key
    celebration.refresh_from_db()
    assert celebration.inspired == 1


def test_it_swaps_the_celebration_in_place_for_htmx(client_for, personas):
    celebration = make_celebration(personas.team)
    response = client_for("employee").post(
        reverse("pilots:celebration_react", args=[celebration.pk]), {"reaction": "applause"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<li class="app-data-card" id="celebration-{celebration.pk}">')
    assert 'aria-pressed="true"' in html and "(1)" in html


def test_it_refuses_an_unknown_reaction(client_for, personas):
    celebration = make_celebration(personas.team)
    response = client_for("employee").post(
        reverse("pilots:celebration_react", args=[celebration.pk]), {"reaction": "ranking"}
    )
    assert response.status_code == 404


def test_it_lets_the_teams_leader_take_a_celebration_down(client_for, personas):
    celebration = make_celebration(personas.team)
    url = reverse("pilots:celebration_take_down", args=[celebration.pk])
    assert client_for("employee").post(url).status_code == 404
    assert client_for("team_leader").post(url).status_code == 302
    assert not Celebration.objects.exists()


def test_it_shows_celebrations_in_the_area_feed(client_for, personas):
    make_celebration(personas.team, story="Referatet lå klar før frokost.")
    area = area_of(personas.municipality)
    html = client_for("employee").get(reverse("pilots:experiences"), {"fagomraade": area.pk}).content.decode()
    assert "Referatet lå klar før frokost." in html


def test_it_shows_the_home_panel_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    make_celebration(personas.team)

    def grow():
        for n in range(6):
            make_celebration(personas.team, story=f"Sejr {n}")

    assert_num_queries_stable(client_for("employee"), reverse("core:home"), grow=grow)
    assert_num_queries_stable(client_for("employee"), reverse("pilots:celebrations"), grow=grow)

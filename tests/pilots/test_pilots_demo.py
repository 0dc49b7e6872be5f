"""The demo and the generator for track 4's core part."""

from __future__ import annotations

import random

from django.test import Client
from django.urls import reverse

from forankring.core.demo import load_demo
from forankring.core.models import Municipality, Person
from forankring.core.tracks import waiting_for
from forankring.pilots.generate import PEOPLE_PER_PILOT, add_to_generated
from forankring.pilots.models import Pilot, PulseAnswer
from forankring.practice.models import UseCase
from tests.factories import make_person, make_use_case


def test_it_shows_pilots_in_every_state_with_pulses_in_the_demo(db):
    load_demo()
    m = Municipality.objects.get(slug="eksempel")
    pilots = Pilot.objects.filter(municipality=m)
    assert set(pilots.values_list("status", flat=True)) == set(Pilot.Status.values)
    assert set(pilots.exclude(decision="").values_list("decision", flat=True)) == set(Pilot.Decision.values)
    assert pilots.filter(ai_act_flag=Pilot.AiActFlag.HIGH_RISK).exclude(legal_review_note="").exists()
    assert len({p.use_case.area_id for p in pilots.select_related("use_case")}) >= 4
    for status in (Pilot.Status.RUNNING, Pilot.Status.EVALUATING):
        assert PulseAnswer.objects.filter(pulse__pilot__status=status, municipality=m).count() >= 10
    employee = Person.objects.get(user__username="medarbejder")
    assert any("Ugens puls" in str(item.label) for item in waiting_for(employee))
    client = Client()
    assert employee.user is not None
    client.force_login(employee.user)
    running = pilots.get(status=Pilot.Status.RUNNING)
    page = client.get(reverse("pilots:detail", args=[running.pk])).content.decode()
    assert "Gennemsnit" in page  # the employee is in the team, so sees the team's own results
    assert client.get(reverse("pilots:pulse", args=[running.pk])).status_code == 200


def test_it_adds_about_one_pilot_per_150_people_to_a_generated_municipality(personas, client_for):
    for i in range(300):
        make_person(personas.municipality, f"Genereret {i}", unit=personas.team if i % 2 else personas.other_team)
    if not UseCase.objects.filter(municipality=personas.municipality).exists():
        make_use_case(personas.municipality, unit=personas.team)
    people = Person.objects.filter(municipality=personas.municipality).count()
    added = add_to_generated(personas.municipality, people=people, rng=random.Random(1))
    assert (
        added["pilots"]
        == people // PEOPLE_PER_PILOT
        == Pilot.objects.filter(municipality=personas.municipality).count()
    )
    assert not Pilot.objects.filter(municipality=personas.other_municipality).exists()
    assert client_for("centre_chief").get(reverse("pilots:list")).status_code == 200


def test_it_shows_a_pilot_moved_by_its_end_date_and_an_edited_card_in_the_demo(db):
    from forankring.pilots.models import LearningCard, PilotStatusChange

    load_demo()
    m = Municipality.objects.get(slug="eksempel")
    executive = Person.objects.get(user__username="direktion")
    client = Client()
    assert executive.user is not None
    client.force_login(executive.user)
    moved = PilotStatusChange.objects.get(municipality=m, period_ended=True)
    assert (moved.to_status, moved.decided_by) == (Pilot.Status.EVALUATING, None)
    page = client.get(reverse("pilots:detail", args=[moved.pilot_id])).content.decode()
    assert "gik til evaluering af sig selv" in page
    card = LearningCard.objects.get(municipality=m, edited_at__isnull=False)
    page = client.get(reverse("pilots:card", args=[card.pk])).content.decode()
    assert "Redigeret" in page and reverse("pilots:card_edit", args=[card.pk]) in page
    assert client.get(reverse("pilots:card_edit", args=[card.pk])).status_code == 200

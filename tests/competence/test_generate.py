from __future__ import annotations

import random

from django.urls import reverse

from forankring.competence.generate import add_to_generated
from forankring.competence.models import Prompt, Record, Session, Signup
from tests.factories import make_person


def test_it_adds_track_3_in_proportion_to_the_people(client_for, personas):
    for i in range(120):
        make_person(personas.municipality, f"Generet {i}", unit=personas.team if i % 2 else personas.other_team)
    added = add_to_generated(personas.municipality, rng=random.Random(1))
    assert added["records"] == Record.objects.filter(municipality=personas.municipality).count() > 60
    assert Session.objects.filter(municipality=personas.municipality).count() == added["sessions"] >= 2
    seats = Signup.objects.filter(session__municipality=personas.municipality, status=Signup.Status.SEAT)
    for session in Session.objects.filter(municipality=personas.municipality):
        assert seats.filter(session=session).count() <= session.capacity
    assert Prompt.objects.filter(municipality=personas.municipality).count() >= 20
    assert not Record.objects.filter(municipality=personas.other_municipality).exists()
    assert client_for("centre_chief").get(reverse("competence:coverage")).status_code == 200

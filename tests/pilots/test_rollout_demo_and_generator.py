"""The demo's two rollouts (one ready, one not) and the generator's rollouts in proportion."""

from __future__ import annotations

import random

from django.test import Client
from django.urls import reverse

from forankring.core.demo import load_demo
from forankring.core.models import Municipality, Person, Unit
from forankring.pilots import queries_rollout as queries
from forankring.pilots.generate_rollout import add_to_generated
from forankring.pilots.models import ConcreteProblem, Rollout, RolloutWeek
from tests.factories import make_person, make_tool


def test_it_loads_one_ready_and_one_not_ready_rollout_in_the_demo(db):
    load_demo()
    eks = Municipality.objects.get(slug="eksempel")
    director = Person.objects.get(municipality=eks, user__username="direktion")
    rollouts = list(Rollout.objects.filter(municipality=eks).select_related("tool", "unit", "owner"))

    ready = {r.unit.name: queries.readiness(r, director).ready for r in rollouts}
    assert sorted(ready.values()) == [False, True]
    assert len(ready) == 2  # different units
    not_ready = next(r for r in rollouts if not queries.readiness(r, director).ready)
    assert [c.key for c in queries.readiness(not_ready, director).missing] == ["leaders"]
    assert RolloutWeek.objects.filter(rollout__municipality=eks).count() == 2

    employee = Person.objects.get(municipality=eks, user__username="medarbejder")
    mine = ConcreteProblem.objects.get(person=employee)
    client = Client()
    assert employee.user is not None
    client.force_login(employee.user)
    page = client.get(reverse("pilots:rollout_problem", args=[mine.rollout_id])).content.decode()
    assert mine.text in page
    detail = client.get(reverse("pilots:rollout", args=[mine.rollout_id])).content.decode()
    assert "har skrevet deres ene konkrete problem." in detail


def test_it_adds_rollouts_in_proportion_to_the_teams(personas):
    m = personas.municipality
    make_tool(m)
    for n in range(40):
        unit = Unit.objects.create_in_tree(municipality=m, name=f"Genereret team {n}", parent=personas.institution)
        for i in range(4):
            make_person(m, f"Generet {n}-{i}", unit=unit, leader=i == 0)

    added = add_to_generated(m, rng=random.Random(3))

    assert added["udrulninger"] == Rollout.objects.filter(municipality=m).count() >= 2
    assert added["konkrete problemer"] == ConcreteProblem.objects.filter(municipality=m).count()
    assert not Rollout.objects.filter(municipality=personas.other_municipality).exists()

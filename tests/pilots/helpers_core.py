"""Builders for track 4's core part (pilots and pulses), used by its tests, the access table and
grow_organisation. They write through the ORM directly (the actions are what tests test)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from forankring.core.models import Municipality, Person, Unit
from forankring.pilots.models import Pilot, PilotPulse, PilotStatusChange
from tests.factories import Personas, make_use_case


def make_pilot(
    municipality: Municipality,
    *,
    leader: Person,
    units: list[Unit],
    title: str | None = None,
    status: str = Pilot.Status.IDEA,
    checklist: bool = True,
) -> Pilot:
    """A pilot titled with the municipality's name, so a leak to the other one is visible."""
    from forankring.practice.models import UseCase

    use_case = UseCase.objects.filter(municipality=municipality).order_by("pk").first() or make_use_case(
        municipality, unit=units[0]
    )
    today = timezone.localdate()
    pilot = Pilot.objects.create(
        municipality=municipality,
        title=title or f"Ugeplaner i {municipality.name}",
        use_case=use_case,
        leader=leader,
        goal="Mindre tid på ugeplaner.",
        look_at="Tid og arbejdsmiljø.",
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=21),
        small_and_safe=checklist,
        med_considered=checklist,
        human_decides="Pædagogen godkender planen.",
        status=status,
        created_by=leader,
    )
    pilot.units.set(units)
    PilotStatusChange.objects.create(
        municipality=municipality, pilot=pilot, from_status=Pilot.Status.IDEA, to_status=status, decided_by=leader
    )
    if status in (Pilot.Status.RUNNING, Pilot.Status.EVALUATING):
        PilotPulse.objects.create(municipality=municipality, pilot=pilot)
    return pilot


def pilot_of(p: Personas, *, other: bool, status: str = Pilot.Status.RUNNING) -> Pilot:
    """The persona pilot in Team Sol (Testkommune) or at the top of Andenkommune, in `status`."""
    m = p.other_municipality if other else p.municipality
    found = Pilot.objects.filter(municipality=m, status=status).order_by("pk").first()
    if found is not None:
        return found
    if other:
        return make_pilot(m, leader=p.outsider, units=[p.other_root], status=status)
    return make_pilot(m, leader=p.team_leader, units=[p.team], status=status)

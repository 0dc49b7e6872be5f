"""Track 4's sections of the team's meeting kit (track 2's printable page for the AI item),
registered with core.tracks.register_team_kit_section so track 2 does not import this track.

Which pilots are "the team's": running pilots with the team itself, a unit above it or a unit
below it among their teams. Above: everyone in the team takes part and is asked for the weekly
pulse (a pilot for the whole institution is the team's pilot too). Below: part of the team takes
part; the kit says so, for only those people are asked.

Which learnings are "from similar teams": learning cards published in the last LEARNING_WEEKS
weeks on pilots of (a) a use case the team owns or has joined, or (b) a use case in a
professional area someone in the team is placed in, leaving out the pilots the team itself took
part in (those are the team's own learnings, not news from others). Newest first, at most
KIT_LEARNINGS.

Each section is one query, whatever the size of the municipality."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forankring.core import tracks
from forankring.core.models import Membership, Person, Unit
from forankring.practice.models import UseCase

from .models import LearningCard, Pilot

PilotUnit = Pilot.units.through

KIT_PILOTS = 5
KIT_LEARNINGS = 3
LEARNING_WEEKS = 8


def running_pilots(person: Person, unit: Unit) -> list[Pilot]:
    """The team's running pilots, those the whole team takes part in first, then by end date.
    Each has `whole_team`: the team or a unit above it is among the pilot's teams. One query."""
    above = unit.path_ids()  # the unit itself and every unit above it
    whole_team = Exists(PilotUnit.objects.filter(pilot_id=OuterRef("pk"), unit_id__in=above))
    below = Exists(
        PilotUnit.objects.filter(pilot_id=OuterRef("pk"), unit__path__startswith=unit.path).exclude(unit_id=unit.pk)
    )
    return list(
        Pilot.objects.filter(municipality_id=person.municipality_id, status=Pilot.Status.RUNNING)
        .annotate(whole_team=whole_team)
        .filter(Q(whole_team=True) | below)
        .select_related("use_case")
        .order_by("-whole_team", "ends_on", "pk")[:KIT_PILOTS]
    )


def new_learnings(person: Person, unit: Unit, now: datetime.datetime | None = None) -> list[LearningCard]:
    """Learning cards from similar teams, newest first (see the module's docstring). One query:
    the team's use cases and areas are subqueries."""
    since = (now or timezone.now()) - datetime.timedelta(weeks=LEARNING_WEEKS)
    m = person.municipality_id
    team_use_cases = UseCase.objects.filter(Q(unit=unit) | Q(joined__unit=unit), municipality_id=m).values("pk")
    team_areas = Membership.objects.filter(
        municipality_id=m, unit=unit, professional_area__isnull=False, person__is_active=True
    ).values("professional_area_id")
    own_pilot = Exists(
        PilotUnit.objects.filter(pilot_id=OuterRef("pilot_id")).filter(
            Q(unit_id__in=unit.path_ids()) | Q(unit__path__startswith=unit.path)
        )
    )
    return list(
        LearningCard.objects.filter(municipality_id=m, published_at__gte=since)
        .filter(Q(pilot__use_case_id__in=team_use_cases) | Q(pilot__use_case__area_id__in=team_areas))
        .exclude(own_pilot)
        .select_related("pilot", "pilot__use_case", "pilot__use_case__area")
        .order_by("-published_at", "-pk")[:KIT_LEARNINGS]
    )


def pilots_section(person: Person, unit: Unit) -> tracks.Panel | None:
    pilots = running_pilots(person, unit)
    if not pilots:
        return None
    return tracks.Panel(_("Afprøvninger i gang"), "pilots/_team_kit_pilots.html", {"pilots": pilots, "unit": unit})


def learnings_section(person: Person, unit: Unit) -> tracks.Panel | None:
    cards = new_learnings(person, unit)
    if not cards:
        return None
    return tracks.Panel(
        _("Ny læring fra lignende teams"),
        "pilots/_team_kit_learnings.html",
        {"cards": cards, "weeks": LEARNING_WEEKS},
    )

"""Objects for the sharing part's tests: closed pilots, learning cards, experiences and
celebrations, each titled with the municipality's name so a leak to the other is visible."""

from __future__ import annotations

import datetime

from django.utils import timezone

from forankring.core.models import Membership, Municipality, Person, ProfessionalArea, Unit
from forankring.pilots.models import AnonymousExperience, Celebration, Experience, LearningCard, Pilot
from forankring.practice.models import UseCase
from tests.factories import make_person, make_use_case


def area_of(municipality: Municipality) -> ProfessionalArea:
    return ProfessionalArea.objects.get_or_create(municipality=municipality, name="Dagtilbud")[0]


def fill_area(municipality: Municipality, unit: Unit, *, people: int = 6) -> ProfessionalArea:
    """Enough colleagues in the area for an anonymous post to be one of many (k_min)."""
    area = area_of(municipality)
    have = Membership.objects.filter(municipality=municipality, professional_area=area).count()
    for n in range(have, people):
        make_person(municipality, f"Kollega {n} i {municipality.name}", unit=unit, area=area)
    return area


def make_closed_pilot(
    leader: Person,
    unit: Unit,
    *,
    title: str | None = None,
    decision: str = Pilot.Decision.STOP,
    status: str = Pilot.Status.CLOSED,
) -> Pilot:
    m = leader.municipality
    use_case = UseCase.objects.filter(municipality=m, title=f"Dagbogsnotater i {m.name}").first() or make_use_case(
        m, title=f"Dagbogsnotater i {m.name}", unit=unit
    )
    today = timezone.localdate()
    pilot = Pilot.objects.create(
        municipality=m,
        title=title or f"Talegenkendelse i {m.name}",
        use_case=use_case,
        leader=leader,
        goal="Mindre tid ved computeren.",
        look_at="Tid og arbejdsmiljø.",
        starts_on=today - datetime.timedelta(weeks=6),
        ends_on=today - datetime.timedelta(weeks=2),
        human_decides="Medarbejderen godkender notatet.",
        status=status,
        decision=decision if status == Pilot.Status.CLOSED else "",
        created_by=leader,
    )
    pilot.units.set([unit])
    return pilot


def make_card(
    leader: Person, unit: Unit, *, title: str | None = None, decision: str = Pilot.Decision.STOP
) -> LearningCard:
    pilot = make_closed_pilot(leader, unit, title=title, decision=decision)
    return LearningCard.objects.create(
        municipality=leader.municipality,
        pilot=pilot,
        tried="Vi talte notater ind i fire uger.",
        learned="Det virkede ikke: værktøjet forstod ikke vores faglige ord.",
        decision=decision,
        published_by=leader,
        published_at=timezone.now(),
    )


def make_experience(author: Person, *, title: str | None = None) -> Experience:
    m = author.municipality
    return Experience.objects.create(
        municipality=m,
        area=area_of(m),
        title=title or f"Kortere forældrebreve i {m.name}",
        text="Når jeg skriver, hvor kort det skal være, bliver udkastet bedre.",
        author=author,
        created_on=timezone.localdate(),
        created_at=timezone.now(),
    )


def make_anonymous_experience(municipality: Municipality, *, title: str | None = None) -> AnonymousExperience:
    return AnonymousExperience.objects.create(
        municipality=municipality,
        area=area_of(municipality),
        title=title or f"Det virkede ikke i {municipality.name}",
        text="Resuméet udelod det vigtigste.",
    )


def make_celebration(unit: Unit, *, story: str | None = None) -> Celebration:
    m = unit.municipality
    return Celebration.objects.create(
        municipality=m, unit=unit, area=area_of(m), story=story or f"Ugebrevet blev sendt torsdag i {m.name}."
    )

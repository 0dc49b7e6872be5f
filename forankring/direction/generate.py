"""Track 1's share of a generated municipality (forankring.core.generate): the same rules as the
demo's (a purpose, focus areas, a published compass and the next one in hearing, the tool
register, decision rights) and acknowledgements from part of its staff, so `make bench` measures
the track's pages at the size of the largest municipalities."""

from __future__ import annotations

from forankring.core.generate import Target
from forankring.core.models import Person, Role

from . import demo
from .models import Purpose


def add_direction(target: Target) -> str:
    m = target.municipality
    if Purpose.objects.filter(municipality=m).exists():
        # The demo municipality has its rules from the track's demo already (load_demo).
        return "rules there already"

    def holder(role: Role) -> Person | None:
        return Person.objects.filter(municipality=m, role_assignments__role=role).order_by("pk").first()

    director, med = holder(Role.EXECUTIVE), holder(Role.MED)
    others = [role for role in Role if role != Role.EMPLOYEE]
    employee = Person.objects.filter(municipality=m).exclude(role_assignments__role__in=others).order_by("pk").first()
    if director is None or med is None or employee is None:
        return "no direktion, MED or employee to write the rules as"
    demo.load(m, {"direktion": director, "med": med, "medarbejder": employee}, concerns=False)
    return "purpose, compass, tools, decision rights and acknowledgements"

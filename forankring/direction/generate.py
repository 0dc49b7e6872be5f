"""Track 1's share of a generated municipality (forankring.core.generate): the same rules as the
demo's (a purpose, focus areas, a published compass and the next one in hearing, the tool
register, decision rights) and acknowledgements from part of its staff, so `make bench` measures
the track's pages at the size of the largest municipalities."""

from __future__ import annotations

import datetime

from django.utils import timezone

from forankring.core.generate import Target
from forankring.core.models import Person, Role
from forankring.privacy.models import Concern

from . import demo
from .models import ConcernAnswer, Purpose

# Of the concerns and wishes the privacy app generated: a third answered, a sixth discussed.
ANSWERED, DISCUSSED = 1 / 3, 1 / 6
ANSWERS = [
    "Tak for jeres spørgsmål. Vi har taget det op i MED, og svaret står nu i AI-kompasset.",
    "Det er et godt ønske. Vi planlægger et kort kursus i foråret og melder datoen ud.",
    "I må ikke lægge oplysninger om borgere ind i værktøjet. Brug skabelonen uden navne.",
]


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
    answers = _answer_concerns(target)
    return f"purpose, compass, tools, decision rights, acknowledgements and {answers} answers to concerns"


def _answer_concerns(target: Target) -> int:
    """Answers to part of the concerns (the privacy app's generator ran first), so the lists
    of answered and unanswered concerns both have rows on the large municipality."""
    rng = target.rng
    today = timezone.localdate()
    rows = []
    for pk, created_on in (
        Concern.objects.filter(municipality=target.municipality).order_by("pk").values_list("pk", "created_on")
    ):
        draw = rng.random()
        if draw < ANSWERED:
            answered_on = min(today, created_on + datetime.timedelta(days=rng.randint(3, 21)))
            rows.append(
                ConcernAnswer(
                    municipality=target.municipality,
                    concern_id=pk,
                    status=ConcernAnswer.Status.ANSWERED,
                    answer=rng.choice(ANSWERS),
                    answered_on=answered_on,
                )
            )
        elif draw < ANSWERED + DISCUSSED:
            rows.append(
                ConcernAnswer(municipality=target.municipality, concern_id=pk, status=ConcernAnswer.Status.DISCUSSED)
            )
    ConcernAnswer.objects.bulk_create(rows, batch_size=1000)
    return len(rows)

"""The privacy app's share of a generated municipality (forankring.core.generate): concerns and
wishes in proportion to its size."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from forankring.core.generate import Target
from forankring.core.models import Unit

from .models import Concern
from .suppression import k_min_for

# One concern or wish for every this many people, spread over the last DAYS days.
PEOPLE_PER_CONCERN = 50
DAYS = 90
TEXTS = [
    "Vi er usikre på, om vi må bruge AI til at skrive referater fra teammøder.",
    "Det ville hjælpe, hvis der var et kursus i at skrive gode spørgsmål til AI-værktøjer.",
    "Jeg er bekymret for, at AI-forslag bliver brugt, uden at nogen læser dem grundigt igennem.",
    "Vi ønsker os et fælles sted at dele gode eksempler fra hverdagen.",
    "Hvem har ansvaret, hvis et AI-værktøj giver et forkert svar, som vi handler på?",
    "Det er svært at vide, hvilke data vi må lægge ind i de forskellige værktøjer.",
]


def add_concerns(target: Target) -> str:
    m = target.municipality
    k_min = k_min_for(m)
    # Only units big enough to receive an anonymous concern, as `submit_concern` demands.
    units = list(Unit.objects.filter(municipality=m, is_active=True, head_count__gte=k_min).order_by("path"))
    if not units:
        return "no unit is big enough"
    rng = target.rng
    today = timezone.localdate()
    concerns = [
        Concern(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            municipality=m,
            kind=rng.choice(Concern.Kind.values),
            text=rng.choice(TEXTS),
            unit=rng.choice(units),
            created_on=today - datetime.timedelta(days=rng.randrange(DAYS)),
            shuffle_key=rng.getrandbits(63),
        )
        for _ in range(max(1, target.people // PEOPLE_PER_CONCERN))
    ]
    Concern.objects.bulk_create(concerns, batch_size=500)
    return f"{len(concerns)} concerns and wishes"

"""Track 4's reads: access-checked, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import QuerySet

from forankring.core.models import Person

from .models import Pilot


def pilots_for(person: Person) -> QuerySet[Pilot]:
    """The municipality's pilots, newest first. Pilots are open to everyone in the municipality:
    learning from each other is the point."""
    return (
        Pilot.objects.filter(municipality_id=person.municipality_id)
        .select_related("use_case", "leader")
        .order_by("-starts_on", "-pk")
    )

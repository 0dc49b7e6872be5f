"""Access-checked reads. Views fetch objects only through these functions."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from . import access
from .models import AuditEvent, Membership, Person, RoleAssignment, Unit


def units_of(person: Person) -> QuerySet[Unit]:
    # The organisation tree is not secret inside a municipality: everyone may browse it.
    return Unit.objects.filter(municipality_id=person.municipality_id, is_active=True)


def get_unit_for(person: Person, pk: int) -> Unit:
    unit = units_of(person).select_related("parent").filter(pk=pk).first()
    if unit is None:
        access.deny()
    return unit


def unit_tree(person: Person) -> list[Unit]:
    """All active units in tree order, each with its active member count, in one query."""
    return list(
        units_of(person)
        .annotate(member_count=Count("memberships", filter=Q(memberships__person__is_active=True)))
        .order_by("path")
    )


def members_of(person: Person, unit: Unit) -> QuerySet[Membership]:
    if unit.municipality_id != person.municipality_id:
        access.deny()
    return (
        Membership.objects.filter(municipality_id=person.municipality_id, unit=unit, person__is_active=True)
        .select_related("person", "professional_area")
        .order_by("-is_leader", "person__name")
    )


def people_for_admin(person: Person) -> QuerySet[Person]:
    if not access.is_admin(person):
        access.deny()
    return Person.objects.filter(municipality_id=person.municipality_id)


def get_person_for_admin(person: Person, pk: int) -> Person:
    found = (
        people_for_admin(person)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("unit", "professional_area")),
            Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit")),
        )
        .first()
    )
    if found is None:
        access.deny()
    return found


def audit_events_for(person: Person) -> QuerySet[AuditEvent]:
    if not access.can_view_audit_log(person):
        access.deny()
    return AuditEvent.objects.filter(municipality_id=person.municipality_id).select_related("actor")


def ancestors_of(unit: Unit) -> list[Unit]:
    """The unit's ancestors from the root down, in one query using the materialised path."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part][:-1]
    by_id = {u.pk: u for u in Unit.objects.filter(municipality_id=unit.municipality_id, pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]

"""Access-checked reads. Views fetch objects only through these functions."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from . import access
from .models import AuditCheck, AuditEvent, Membership, Person, RoleAssignment, Unit


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
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("unit", "professional_area").order_by("unit__path"),
            ),
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("unit").order_by("unit__path", "role"),
            ),
        )
        .first()
    )
    if found is None:
        access.deny()
    return found


def audit_events_for(person: Person) -> QuerySet[AuditEvent]:
    """The municipality's log, newest first. Rows carry the actor's name and the object's label
    as they were, so the list needs no joins."""
    if not access.can_view_audit_log(person):
        access.deny()
    return AuditEvent.objects.filter(municipality_id=person.municipality_id).order_by("-seq")


def filter_audit_events(
    events: QuerySet[AuditEvent],
    *,
    action: str = "",
    name: str = "",
    object_type: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    if action:
        events = events.filter(action=action)
    if name:
        events = events.filter(Q(actor_label__icontains=name) | Q(object_label__icontains=name))
    if object_type:
        events = events.filter(object_type=object_type)
    # Dates are the municipality's calendar days (local time), not UTC days.
    if date_from:
        events = events.filter(created_at__gte=_start_of_day(date_from))
    if date_to:
        events = events.filter(created_at__lt=_start_of_day(date_to + datetime.timedelta(days=1)))
    return events


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_filter_values(person: Person) -> tuple[list[str], list[str]]:
    """The action codes and object types that occur in the municipality's log, for the filters."""
    events = audit_events_for(person).order_by()
    actions = sorted(events.values_list("action", flat=True).distinct())
    object_types = sorted(events.exclude(object_type="").values_list("object_type", flat=True).distinct())
    return actions, object_types


def last_audit_check(person: Person) -> AuditCheck | None:
    if not access.can_view_audit_log(person):
        access.deny()
    return AuditCheck.objects.filter(municipality_id=person.municipality_id).order_by("-checked_at", "-pk").first()


def ancestors_of(unit: Unit) -> list[Unit]:
    """The unit's ancestors from the root down, in one query using the materialised path."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part][:-1]
    by_id = {u.pk: u for u in Unit.objects.filter(municipality_id=unit.municipality_id, pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]

"""Every change in the core app: one transactional function each, which checks permission,
validates, saves and writes the audit row."""

from __future__ import annotations

from django.db import transaction

from . import access, audit
from .models import Municipality, Person, Role, RoleAssignment, Unit


def update_municipality_settings(
    *, actor: Person, level_names: list[str], accessibility_statement_url: str, k_min: int
) -> Municipality:
    if not access.can_change_settings(actor):
        access.deny()
    with transaction.atomic():
        municipality = Municipality.objects.select_for_update().get(pk=actor.municipality_id)
        before = _settings_snapshot(municipality)
        municipality.level_names = level_names
        municipality.accessibility_statement_url = accessibility_statement_url
        municipality.k_min = k_min
        municipality.full_clean()
        municipality.save()
        audit.record(
            municipality=municipality,
            actor=actor,
            action="municipality.update_settings",
            obj=municipality,
            changes=audit.diff(before, _settings_snapshot(municipality)),
        )
    return municipality


def _settings_snapshot(m: Municipality) -> dict[str, object]:
    return {
        "level_names": m.level_names,
        "accessibility_statement_url": m.accessibility_statement_url,
        "k_min": m.k_min,
    }


def grant_role(*, actor: Person, person: Person, role: str, unit: Unit) -> RoleAssignment:
    if not access.can_manage_roles(actor):
        access.deny()
    if not (access.same_tenant(actor, person) and access.same_tenant(actor, unit)):
        access.deny()
    if role not in Role.values:
        raise ValueError(role)
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            municipality_id=actor.municipality_id,
            person=person,
            role=role,
            unit=unit,
            defaults={"source": RoleAssignment.Source.MANUAL},
        )
        if created:
            audit.record(
                municipality=actor.municipality,
                actor=actor,
                action="role.grant",
                obj=person,
                changes={"role": role, "unit": unit.name},
            )
    access.forget_roles(person)
    return assignment


class LastAdministratorError(Exception):
    """Refused: removing this role would leave the municipality without an administrator."""


def revoke_role(*, actor: Person, assignment: RoleAssignment) -> None:
    if not access.can_manage_roles(actor) or not access.same_tenant(actor, assignment):
        access.deny()
    with transaction.atomic():
        if assignment.role == Role.ADMIN:
            admins = (
                RoleAssignment.objects.select_for_update()
                .filter(municipality_id=actor.municipality_id, role=Role.ADMIN, person__is_active=True)
                .values_list("person_id", flat=True)
                .distinct()
            )
            others = {pk for pk in admins if pk != assignment.person_id}
            still_admin_elsewhere = (
                RoleAssignment.objects.filter(
                    municipality_id=actor.municipality_id, role=Role.ADMIN, person_id=assignment.person_id
                )
                .exclude(pk=assignment.pk)
                .exists()
            )
            if not others and not still_admin_elsewhere:
                raise LastAdministratorError
        person = assignment.person
        unit_name = assignment.unit.name
        role = assignment.role
        assignment.delete()
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="role.revoke",
            obj=person,
            changes={"role": role, "unit": unit_name},
        )
    access.forget_roles(person)

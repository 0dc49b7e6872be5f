"""Every change in the core app: one transactional function each, which checks permission,
validates, saves and writes the audit row."""

from __future__ import annotations

from django.db import transaction

from forankring.privacy.fields import PersonalDataValidator

from . import access, audit
from .models import AuditCheck, Municipality, Person, Role, RoleAssignment, Unit


def update_municipality_settings(
    *, actor: Person, level_names: list[str], accessibility_statement_url: str, k_min: int
) -> Municipality:
    if not access.can_change_settings(actor):
        access.deny()
    # level_names is JSON, which no field type can screen; the form screens it, and this covers
    # every other caller.
    for name in level_names:
        PersonalDataValidator(anonymous=False)(name)
    with transaction.atomic():
        # NO KEY UPDATE, like audit.record: plain FOR UPDATE would also block every insert into
        # a tenant table (their foreign keys take KEY SHARE on this row) until we commit.
        municipality = Municipality.objects.select_for_update(no_key=True).get(pk=actor.municipality_id)
        before = _settings_snapshot(municipality)
        municipality.level_names = level_names
        municipality.accessibility_statement_url = accessibility_statement_url
        municipality.k_min = k_min
        municipality.full_clean()
        changes = audit.diff(before, _settings_snapshot(municipality))
        # Saving unchanged settings changes nothing, so there is nothing to log.
        if changes:
            municipality.save(update_fields=["level_names", "accessibility_statement_url", "k_min"])
            audit.record(
                municipality=municipality,
                actor=actor,
                action="municipality.update_settings",
                obj=municipality,
                changes=changes,
            )
    return municipality


def _settings_snapshot(m: Municipality) -> dict[str, object]:
    return {
        "level_names": m.level_names,
        "accessibility_statement_url": m.accessibility_statement_url,
        "k_min": m.k_min,
    }


def grant_role(*, actor: Person, person: Person, role: str, unit: Unit) -> RoleAssignment:
    """Give `person` the role in `unit`. Granting a role the person already holds there changes
    nothing and logs nothing (an import may repeat itself)."""
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
                changes=audit.diff({}, _role_snapshot(role, unit)),
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
            # Lock every admin assignment so two administrators removing each other at the same
            # time cannot both succeed. No DISTINCT: PostgreSQL refuses it with FOR UPDATE.
            # of=("self",) keeps the lock off the joined person rows.
            admins = (
                RoleAssignment.objects.select_for_update(of=("self",))
                .filter(municipality_id=actor.municipality_id, role=Role.ADMIN, person__is_active=True)
                .values_list("person_id", flat=True)
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
        before = _role_snapshot(assignment.role, assignment.unit)
        # Deleted by query, not instance: if someone else removed it a moment ago, nothing is
        # deleted and nothing may be logged.
        deleted, _ = RoleAssignment.objects.filter(municipality_id=actor.municipality_id, pk=assignment.pk).delete()
        if not deleted:
            access.deny()
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="role.revoke",
            obj=person,
            changes=audit.diff(before, {}),
        )
    access.forget_roles(person)


def _role_snapshot(role: str, unit: Unit) -> dict[str, object]:
    return {"role": role, "unit": unit.name}


def check_audit_chain(*, actor: Person) -> tuple[audit.ChainReport, AuditCheck]:
    """Verify the municipality's audit chain now and store the result.

    Not itself logged: it changes no data, and a log row per check would move the chain's head
    every time someone looks."""
    if not access.can_view_audit_log(actor):
        access.deny()
    return audit.run_check(actor.municipality)


def create_municipality(
    *,
    name: str,
    slug: str,
    root_unit_name: str,
    admin_name: str,
    admin_username: str,
    admin_email: str = "",
) -> tuple[Municipality, Person]:
    """Set up a new tenant with its top unit and its first administrator.

    Run by the operator from the command line (`manage.py create_municipality`), so there is no
    acting person; the audit row records the administrator as the object instead.
    """
    from django.contrib.auth.models import User

    with transaction.atomic():
        municipality = Municipality(name=name, slug=slug)
        municipality.full_clean()
        municipality.save()
        root = Unit.objects.create(municipality=municipality, name=root_unit_name, depth=0)
        root.path = f"/{root.pk}/"
        root.save(update_fields=["path"])
        user, created = User.objects.get_or_create(username=admin_username, defaults={"email": admin_email})
        if created:
            user.set_unusable_password()  # the command prints a one-time password next
            user.save(update_fields=["password"])
        admin = Person.objects.create(municipality=municipality, name=admin_name, email=admin_email, user=user)
        RoleAssignment.objects.create(municipality=municipality, person=admin, role=Role.ADMIN, unit=root)
        audit.record(
            municipality=municipality,
            actor=None,
            action="municipality.create",
            obj=municipality,
            changes={"root": root_unit_name, "administrator": admin_name},
        )
    return municipality, admin

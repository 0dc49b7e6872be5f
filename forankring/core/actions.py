"""Every change in the core app: one transactional function each, which checks permission,
validates, saves and writes the audit row."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction

from forankring.privacy.fields import PersonalDataValidator, screen_for_write
from forankring.privacy.screen import screen_text

from . import access, administrators, audit, orgsync
from .administrators import LastAdministratorError as LastAdministratorError  # raised by revoke_role
from .models import AuditCheck, Municipality, Person, Role, RoleAssignment, Unit
from .orgfile import OrgRow
from .orgsync import ImportResult

logger = logging.getLogger(__name__)


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
        # NO KEY UPDATE, like audit.record: plain FOR UPDATE would also hold up every insert into
        # a tenant table (its foreign key check takes KEY SHARE on this row) until we commit.
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


def revoke_role(*, actor: Person, assignment: RoleAssignment) -> None:
    if not access.can_manage_roles(actor) or not access.same_tenant(actor, assignment):
        access.deny()
    with transaction.atomic():
        if assignment.role == Role.ADMIN:
            administrators.ensure_administrator_remains(actor.municipality_id, removing_roles={assignment.pk})
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


def verify_audit_chain(*, actor: Person) -> tuple[audit.ChainReport, AuditCheck]:
    """Verify the municipality's audit chain now and store the result.

    Not itself logged: it changes no data, and a log row per check would move the chain's head
    every time someone looks."""
    if not access.can_view_audit_log(actor):
        access.deny()
    return audit.verify_and_store(actor.municipality)


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

    from forankring.privacy.data_classes import ensure_default_data_classes

    # Not free text, so their model fields are not screened types, but an operator could still
    # type a CPR number into them; the write must not store it (auth's User is not ours).
    for label, value in (
        ("core.Municipality.slug", slug),
        ("auth.User.username", admin_username),
        ("core.Person.email", admin_email),
    ):
        screen_for_write(value, label=label, field_name=label.rsplit(".", 1)[1], anonymous=False)
    with transaction.atomic():
        municipality = Municipality(name=name, slug=slug)
        municipality.full_clean()
        municipality.save()
        root = Unit.objects.create_in_tree(municipality=municipality, name=root_unit_name)
        user, created = User.objects.get_or_create(username=admin_username, defaults={"email": admin_email})
        if created:
            user.set_unusable_password()  # the command prints a one-time password next
            user.save(update_fields=["password"])
        admin = Person.objects.create(municipality=municipality, name=admin_name, email=admin_email, user=user)
        RoleAssignment.objects.create(municipality=municipality, person=admin, role=Role.ADMIN, unit=root)
        # The AI-kompas starts from the default data classes and tool tiers (PRIVACY.md).
        ensure_default_data_classes(municipality)
        audit.record(
            municipality=municipality,
            actor=None,
            action="municipality.create",
            obj=municipality,
            changes={"root": root_unit_name, "administrator": admin_name},
        )
    return municipality, admin


class SsoLinkConflictError(Exception):
    """Refused: the person or the account is already tied to another sign-in."""


def sync_sso_sign_in(
    *,
    person: Person,
    subject: str,
    matched_by: str,
    username: str,
    grants: list[tuple[str, Unit]],
) -> User:
    """Record an accepted sign-in with the municipality's OpenID provider and return the user.

    Links the person to the provider's subject the first time, creates their account if they
    have none (with no usable password: it signs in only through the provider), and sets the
    person's SSO roles to exactly `grants`. Roles granted by an administrator or the organisation
    file are never touched. There is no permission check: the provider's verified claims, checked
    by `oidc.sign_in_with_claims`, are the authority. An audit row is written only when something
    changed, so a daily sign-in does not fill the log.
    """
    # The username is derived from the subject and lives in auth's table, which no screened
    # field guards; Person.external_subject is screened by its field.
    screen_for_write(username, label="auth.User.username", field_name="username", anonymous=False)
    with transaction.atomic():
        locked = (
            # Only the person's row: PostgreSQL cannot lock the outer-joined (nullable) user.
            Person.objects.select_for_update(of=("self",))
            .select_related("municipality", "user")
            .get(pk=person.pk, municipality_id=person.municipality_id)
        )
        if locked.external_subject not in ("", subject):
            raise SsoLinkConflictError("the person is linked to another subject")
        changes: dict[str, object] = {}
        if not locked.external_subject:
            locked.external_subject = subject
            changes["linked_by"] = matched_by
        user = locked.user
        if user is None:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                changes["account_created"] = True
            elif Person.objects.filter(municipality_id=locked.municipality_id, user=user).exists():
                raise SsoLinkConflictError("the account belongs to another person")
            locked.user = user
        if changes:
            locked.save(update_fields=["external_subject", "user"])

        changes.update(_sync_sso_roles(locked, grants))
        if changes:
            audit.record(
                municipality=locked.municipality,
                actor=locked,
                action="sso.sync",
                obj=locked,
                changes=changes,
            )
    access.forget_roles(person)
    return user


# --- The organisation from HR ------------------------------------------------------------------

# Who the audit log names when the management command imports without --actor-employee-id.
COMMAND_LINE_LABEL = "Kommandolinjen (import_organisation)"


class OrganisationImportRefused(Exception):
    """Every line is valid, but importing the file would lock the municipality out."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def import_organisation(
    *,
    actor: Person | None,
    rows: Sequence[OrgRow],
    source_name: str,
    municipality: Municipality | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Make units, people, memberships and file roles match a checked organisation file.

    `rows` come from `orgfile.parse` or `orgfile.validate`. An administrator imports into their
    own municipality. `actor=None` is for the `import_organisation` management command only (the
    person at the server's command line has no Person); it then needs `municipality`, and the
    audit row names COMMAND_LINE_LABEL. Views always pass the signed-in person.

    One transaction; one audit row "organisation.import" with the counts. An import that would
    change nothing writes nothing at all, not even the audit row: a nightly run of the same file
    would otherwise fill the log with entries that record no change, and the log records changes.
    With `dry_run` nothing is written and the result says what would happen.
    """
    if actor is not None:
        if not access.can_manage_organisation(actor):
            access.deny()
        if municipality is not None and municipality.pk != actor.municipality_id:
            access.deny()
        municipality = actor.municipality
    elif municipality is None:
        raise ValueError("import_organisation needs an actor, or a municipality from the command line")
    if dry_run:
        return orgsync.plan(municipality, rows, actor=actor).result
    with transaction.atomic():
        # Two imports at once would each plan against the same old state; take the
        # municipality's row lock first (SQLite's IMMEDIATE transactions serialise anyway).
        # NO KEY UPDATE still excludes a second import but, unlike FOR UPDATE, lets other
        # inserts that reference the municipality go on meanwhile.
        Municipality.objects.select_for_update(no_key=True).filter(pk=municipality.pk).values_list("pk").first()
        plan = orgsync.plan(municipality, rows, actor=actor)
        if plan.result.blocking:
            raise OrganisationImportRefused(plan.result.blocking)
        try:
            # The plan checked the rule already; again under lock, so a role removed on the
            # administrator page at the same moment cannot slip between the two.
            administrators.ensure_administrator_remains(
                municipality.pk,
                removing_roles=plan.role_delete_ids,
                deactivating=plan.deactivate_person_ids,
                activating={q.pk for q in plan.changed_people},
            )
        except LastAdministratorError as error:
            raise OrganisationImportRefused([orgsync.last_administrator_reason()]) from error
        if plan.result.changed:
            orgsync.apply(plan)
            audit.record(
                municipality=municipality,
                actor=actor,
                actor_label=None if actor is not None else COMMAND_LINE_LABEL,
                action="organisation.import",
                obj=municipality,
                changes={"file": _file_name_for_log(source_name), "lines": len(rows), **plan.result.counts()},
            )
    if actor is not None:
        access.forget_roles(actor)
    return plan.result


def _file_name_for_log(name: str) -> str:
    """The uploaded file's name for the audit log, with any CPR number in it replaced whole:
    even masked (DDMMYY-XXXX) it would keep a birth date, which is personal data."""
    name = name.replace("\x00", "")
    for finding in reversed(screen_text(name, anonymous=False)):
        name = name[: finding.start] + "[CPR-nummer]" + name[finding.end :]
    return name[:200]


def drop_sso_roles(*, person: Person) -> None:
    """Take away the roles earlier sign-ins gave a linked person whose provider now gives them
    none here. Their sign-in is refused as well, but the stale roles must not outlive it (a
    session or a local password could still use them)."""
    with transaction.atomic():
        locked = (
            Person.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=person.pk, municipality_id=person.municipality_id)
        )
        changes = _sync_sso_roles(locked, [])
        if changes:
            audit.record(municipality=locked.municipality, actor=locked, action="sso.sync", obj=locked, changes=changes)
    access.forget_roles(person)


def _sync_sso_roles(person: Person, grants: list[tuple[str, Unit]]) -> dict[str, object]:
    """Make the person's SSO roles exactly `grants`; return what was added and removed."""
    current = list(
        RoleAssignment.objects.filter(municipality_id=person.municipality_id, person=person).select_related("unit")
    )
    from_sso = {(a.role, a.unit_id): a for a in current if a.source == RoleAssignment.Source.SSO}
    from_elsewhere = {(a.role, a.unit_id) for a in current if a.source != RoleAssignment.Source.SSO}
    wanted = {(role, unit.pk): (role, unit) for role, unit in grants}
    removed = [a for key, a in from_sso.items() if key not in wanted]
    added = [(role, unit) for key, (role, unit) in wanted.items() if key not in from_sso and key not in from_elsewhere]
    changes: dict[str, object] = {}
    removed_admin = {a.pk for a in removed if a.role == Role.ADMIN}
    if removed_admin:
        roles = administrators.admin_roles(person.municipality_id, lock=True)
        if administrators.leaves_no_administrator(roles, removing_roles=removed_admin):
            # The provider no longer says this person is an administrator, but nobody else is:
            # the role stays (the sign-in goes on with it) until someone else holds it. Same
            # rule as the administrator page and the organisation file. Logged, not audited:
            # nothing changed, and every sign-in would otherwise add a row.
            removed = [a for a in removed if a.pk not in removed_admin]
            logger.warning(
                "Sign-in claims no longer make person %s an administrator of municipality %s, but they "
                "are its last one: the role is kept until someone else holds it.",
                person.pk,
                person.municipality_id,
            )
    if removed:
        RoleAssignment.objects.filter(municipality_id=person.municipality_id, pk__in=[a.pk for a in removed]).delete()
        changes["removed"] = sorted((_role_snapshot(a.role, a.unit) for a in removed), key=str)
    if added:
        RoleAssignment.objects.bulk_create(
            RoleAssignment(
                municipality_id=person.municipality_id,
                person=person,
                role=role,
                unit=unit,
                source=RoleAssignment.Source.SSO,
            )
            for role, unit in added
        )
        changes["added"] = sorted((_role_snapshot(role, unit) for role, unit in added), key=str)
    return changes

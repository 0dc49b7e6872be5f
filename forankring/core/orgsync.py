"""Working out and carrying out what a checked organisation file changes.

`plan()` only reads (five queries, plus one per other table that points at units when some
units drop out of the file) and says exactly what would change; `apply()` writes it with bulk
statements. Both run inside `actions.import_organisation`, which owns the transaction, the
permission check and the audit row; the dry run is `plan()` alone, so the preview and the real
import cannot disagree.

The file is the truth for everyone with an employee number ("in scope"): their memberships and
their roles from the file (source IMPORT) become exactly the file's. People without an employee
number (an external facilitator, an administrator set up by hand) and roles given by hand or by
sign-in are never touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _

from . import administrators
from .models import Membership, Municipality, Person, ProfessionalArea, Role, RoleAssignment, Unit, ids_in_path
from .orgfile import PATH_SEPARATOR, OrgRow

UnitPath = tuple[str, ...]
# An import that writes this many rows refreshes the planner's statistics afterwards.
ANALYZE_AFTER_ROWS = 1000
# Below SQLite's oldest limit of 999 parameters, so an `IN (...)` list never gets too long.
_CHUNK = 500


@dataclass
class ImportResult:
    """What an import did, or, for a dry run, would do. Counts are of people and units."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    units_created: int = 0
    units_reactivated: int = 0
    units_deactivated: int = 0
    areas_created: int = 0
    # Reasons the import is refused even though every line is valid (see `_blocking`).
    blocking: list[str] = field(default_factory=list)
    # For the preview, so an administrator can see who would be made inactive before saying yes.
    deactivated_people: list[tuple[str, str]] = field(default_factory=list)
    new_unit_paths: list[str] = field(default_factory=list)
    # True when anything at all would be written, including clean-up that no count shows.
    changed: bool = False

    def counts(self) -> dict[str, int]:
        return {
            "people_created": self.created,
            "people_updated": self.updated,
            "people_unchanged": self.unchanged,
            "people_deactivated": self.deactivated,
            "units_created": self.units_created,
            "units_reactivated": self.units_reactivated,
            "units_deactivated": self.units_deactivated,
            "areas_created": self.areas_created,
        }


@dataclass
class _MembershipWant:
    job_title: str
    area: str
    is_leader: bool


@dataclass
class Plan:
    municipality: Municipality
    result: ImportResult
    unit_by_path: dict[UnitPath, Unit]
    new_unit_paths: list[UnitPath] = field(default_factory=list)
    reactivate_unit_ids: list[int] = field(default_factory=list)
    deactivate_unit_ids: list[int] = field(default_factory=list)
    areas: dict[str, ProfessionalArea] = field(default_factory=dict)
    new_areas: list[str] = field(default_factory=list)
    new_people: list[Person] = field(default_factory=list)
    changed_people: list[Person] = field(default_factory=list)
    deactivate_person_ids: list[int] = field(default_factory=list)
    # (employee id, unit path, wanted values) for memberships to create.
    membership_creates: list[tuple[str, UnitPath, _MembershipWant]] = field(default_factory=list)
    membership_updates: list[tuple[Membership, _MembershipWant]] = field(default_factory=list)
    membership_delete_ids: list[int] = field(default_factory=list)
    role_creates: list[tuple[str, str, UnitPath]] = field(default_factory=list)
    role_delete_ids: list[int] = field(default_factory=list)
    # Employee id -> primary key of everyone in scope, so memberships and roles can be written
    # for people whose own row does not change.
    person_pks: dict[str, int] = field(default_factory=dict)


def plan(municipality: Municipality, rows: Sequence[OrgRow], *, actor: Person | None = None) -> Plan:
    m_id = municipality.pk
    units = list(Unit.objects.filter(municipality_id=m_id))
    unit_names = name_paths(units)
    unit_by_path = {unit_names[u.pk]: u for u in units}
    areas = {a.name: a for a in ProfessionalArea.objects.filter(municipality_id=m_id)}
    area_names = {a.pk: a.name for a in areas.values()}
    everyone = list(Person.objects.filter(municipality_id=m_id))
    in_scope = {p.employee_id: p for p in everyone if p.employee_id}
    memberships_of: dict[int, list[Membership]] = defaultdict(list)
    all_memberships = list(Membership.objects.filter(municipality_id=m_id))
    for membership in all_memberships:
        memberships_of[membership.person_id].append(membership)
    roles_of: dict[int, list[RoleAssignment]] = defaultdict(list)
    all_roles = list(RoleAssignment.objects.filter(municipality_id=m_id))
    for assignment in all_roles:
        roles_of[assignment.person_id].append(assignment)

    result = ImportResult()
    p = Plan(municipality=municipality, result=result, unit_by_path=unit_by_path, areas=areas)
    p.person_pks = {eid: q.pk for eid, q in in_scope.items()}

    # Units: every prefix of every path in the file must exist and be active.
    file_paths: set[UnitPath] = set()
    for row in rows:
        for depth in range(1, len(row.unit_path) + 1):
            file_paths.add(row.unit_path[:depth])
    p.new_unit_paths = sorted((path for path in file_paths if path not in unit_by_path), key=lambda x: (len(x), x))
    p.reactivate_unit_ids = sorted(
        unit_by_path[path].pk for path in file_paths if path in unit_by_path and not unit_by_path[path].is_active
    )
    p.new_areas = list(dict.fromkeys(r.professional_area for r in rows if r.professional_area not in areas))
    p.new_areas = [a for a in p.new_areas if a]

    # People, one at a time but without a query each: everything is already in memory.
    rows_of: dict[str, list[OrgRow]] = {}
    for row in rows:
        rows_of.setdefault(row.employee_id, []).append(row)
    for employee_id, person_rows in rows_of.items():
        first = person_rows[0]
        wanted = {r.unit_path: _MembershipWant(r.job_title, r.professional_area, r.is_leader) for r in person_rows}
        wanted_roles = {(str(Role.EMPLOYEE), r.unit_path) for r in person_rows} | {
            (str(Role.LEADER), r.unit_path) for r in person_rows if r.is_leader
        }
        person = in_scope.get(employee_id)
        if person is None:
            p.new_people.append(
                Person(municipality_id=m_id, employee_id=employee_id, name=first.name, email=first.email)
            )
            p.membership_creates.extend((employee_id, path, want) for path, want in wanted.items())
            p.role_creates.extend((employee_id, role, path) for role, path in sorted(wanted_roles))
            result.created += 1
            continue
        changed = (person.name, person.email, person.is_active) != (first.name, first.email, True)
        if changed:
            person.name, person.email, person.is_active = first.name, first.email, True
            p.changed_people.append(person)
        changed |= _plan_memberships(p, person, wanted, memberships_of[person.pk], unit_names, area_names)
        changed |= _plan_roles(p, person, wanted_roles, roles_of[person.pk], unit_names)
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1

    # People with an employee number who are not in the file have left: made inactive, never
    # deleted (their named contributions and the audit log still point at them).
    leaving = sorted((q for eid, q in in_scope.items() if eid not in rows_of), key=lambda q: (q.name, q.pk))
    for person in leaving:
        if person.is_active:
            p.deactivate_person_ids.append(person.pk)
            result.deactivated_people.append((person.employee_id, person.name))
        p.role_delete_ids.extend(a.pk for a in roles_of[person.pk] if a.source == RoleAssignment.Source.IMPORT)
    result.deactivated = len(p.deactivate_person_ids)

    p.deactivate_unit_ids = _units_to_deactivate(
        municipality, units, unit_names, file_paths, everyone, all_memberships, all_roles
    )
    result.units_created = len(p.new_unit_paths)
    result.units_reactivated = len(p.reactivate_unit_ids)
    result.units_deactivated = len(p.deactivate_unit_ids)
    result.areas_created = len(p.new_areas)
    result.new_unit_paths = [PATH_SEPARATOR.join(path) for path in p.new_unit_paths]
    result.blocking = _blocking(p, rows, units, everyone, all_roles, set(rows_of), actor)
    result.changed = any(
        (
            p.new_unit_paths,
            p.reactivate_unit_ids,
            p.deactivate_unit_ids,
            p.new_areas,
            p.new_people,
            p.changed_people,
            p.deactivate_person_ids,
            p.membership_creates,
            p.membership_updates,
            p.membership_delete_ids,
            p.role_creates,
            p.role_delete_ids,
        )
    )
    return p


def name_paths(units: list[Unit]) -> dict[int, UnitPath]:
    by_id = {u.pk: u for u in units}
    names: dict[int, UnitPath] = {}

    def path_of(unit: Unit) -> UnitPath:
        if unit.pk not in names:
            parent = by_id.get(unit.parent_id) if unit.parent_id else None
            names[unit.pk] = (*(path_of(parent) if parent else ()), unit.name)
        return names[unit.pk]

    for unit in units:
        path_of(unit)
    return names


def _plan_memberships(
    p: Plan,
    person: Person,
    wanted: dict[UnitPath, _MembershipWant],
    existing: list[Membership],
    unit_names: dict[int, UnitPath],
    area_names: dict[int, str],
) -> bool:
    changed = False
    have = {unit_names[m.unit_id]: m for m in existing}
    for path, want in wanted.items():
        membership = have.get(path)
        if membership is None:
            p.membership_creates.append((person.employee_id, path, want))
            changed = True
            continue
        current = _MembershipWant(
            membership.job_title,
            area_names.get(membership.professional_area_id or 0, ""),
            membership.is_leader,
        )
        if current != want:
            p.membership_updates.append((membership, want))
            changed = True
    for path, membership in have.items():
        if path not in wanted:
            p.membership_delete_ids.append(membership.pk)
            changed = True
    return changed


def _plan_roles(
    p: Plan,
    person: Person,
    wanted: set[tuple[str, UnitPath]],
    existing: list[RoleAssignment],
    unit_names: dict[int, UnitPath],
) -> bool:
    from_file: dict[tuple[str, UnitPath], RoleAssignment] = {}
    other: set[tuple[str, UnitPath]] = set()
    for assignment in existing:
        key = (assignment.role, unit_names[assignment.unit_id])
        if assignment.source == RoleAssignment.Source.IMPORT:
            from_file[key] = assignment
        else:
            other.add(key)
    # A role already given by hand or by sign-in covers the file's: it is left as it is, and no
    # second row is made (the unique constraint would refuse it anyway).
    wanted = wanted - other
    deletes = [a.pk for key, a in from_file.items() if key not in wanted]
    creates = sorted(wanted - set(from_file))
    p.role_delete_ids.extend(deletes)
    p.role_creates.extend((person.employee_id, role, path) for role, path in creates)
    return bool(deletes or creates)


def _units_to_deactivate(
    municipality: Municipality,
    units: list[Unit],
    unit_names: dict[int, UnitPath],
    file_paths: set[UnitPath],
    everyone: list[Person],
    memberships: list[Membership],
    roles: list[RoleAssignment],
) -> list[int]:
    """Active units the file no longer names, and that nothing else uses.

    A unit is kept when it, or a unit below it, still has something: a member who is not managed
    by the file, a role given by hand or by sign-in, or a row of any other table (a pilot, a
    focus area, ...). Units are never deleted: they may hold history.
    """
    candidates = [u for u in units if u.is_active and unit_names[u.pk] not in file_paths]
    if not candidates:
        return []
    unmanaged_active = {q.pk for q in everyone if q.is_active and not q.employee_id}
    managed = {q.pk for q in everyone if q.employee_id}
    used: set[int] = {m.unit_id for m in memberships if m.person_id in unmanaged_active}
    used |= {a.unit_id for a in roles if a.source != RoleAssignment.Source.IMPORT or a.person_id not in managed}
    candidate_ids = [u.pk for u in candidates]
    for relation in Unit._meta.related_objects:
        if relation.related_model in (Unit, Membership, RoleAssignment):
            continue
        model = relation.related_model
        name = relation.field.name
        for chunk in _chunks(candidate_ids):
            used.update(
                model._base_manager.filter(**{f"{name}__in": chunk})  # type: ignore[union-attr]
                .values_list(name, flat=True)
                .distinct()
            )
    by_id = {u.pk: u for u in units}
    kept: set[int] = set()
    for unit_id in used:
        unit = by_id.get(unit_id)
        if unit is not None:
            kept.update(unit.path_ids())
    return sorted(u.pk for u in candidates if u.pk not in kept)


def _blocking(
    p: Plan,
    rows: Sequence[OrgRow],
    units: list[Unit],
    everyone: list[Person],
    roles: list[RoleAssignment],
    in_file: set[str],
    actor: Person | None,
) -> list[str]:
    reasons: list[str] = []
    roots = {u.name for u in units if u.parent_id is None}
    file_roots = {r.unit_path[0] for r in rows}
    # orgfile has checked this already; repeated here because the action must not trust that
    # every caller went through orgfile.
    if len(file_roots) > 1 or (roots and not file_roots <= roots):
        reasons.append(_("Alle enheder skal ligge under kommunens øverste enhed."))
    leaving = set(p.deactivate_person_ids)
    if actor is not None and actor.pk in leaving:
        reasons.append(
            _(
                "Filen ville gøre dig selv inaktiv, fordi dit medarbejdernummer %(id)s ikke står i den. "
                "Tilføj dig selv i filen, eller bed en anden administrator om at indlæse den."
            )
            % {"id": actor.employee_id}
        )
    by_id = {q.pk: q for q in everyone}
    admin_roles = [
        administrators.AdminRole(a.pk, a.person_id, by_id[a.person_id].is_active) for a in roles if a.role == Role.ADMIN
    ]
    if administrators.leaves_no_administrator(
        admin_roles,
        removing_roles=set(p.role_delete_ids),
        deactivating=leaving,
        activating={q.pk for q in everyone if q.employee_id in in_file},
    ):
        reasons.append(last_administrator_reason())
    return reasons


def last_administrator_reason() -> str:
    return _(
        "Filen ville gøre kommunens sidste administrator inaktiv. "
        "Tilføj administratoren i filen, eller giv først en anden person rollen som administrator."
    )


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def refresh_head_counts(municipality_id: int) -> int:
    """Recount `Unit.head_count` for the whole municipality; returns how many units changed.

    Whatever writes memberships, people's `is_active` or units' `is_active` calls this inside
    its own transaction (the import here, the demo, the test factories), so readers never see
    a stale figure. Two queries plus one bulk update of the units whose figure changed: reading
    the (person, unit path) pairs of 45,000 people once per import is cheap; doing it on every
    page view was not.
    """
    units = list(Unit.objects.filter(municipality_id=municipality_id).only("pk", "head_count"))
    below: dict[int, set[int]] = defaultdict(set)
    pairs = Membership.objects.filter(
        municipality_id=municipality_id, person__is_active=True, unit__is_active=True
    ).values_list("person_id", "unit__path")
    for person_id, path in pairs.iterator(chunk_size=5000):
        for ancestor in ids_in_path(path):
            below[ancestor].add(person_id)
    changed = []
    for unit in units:
        count = len(below.get(unit.pk, ()))
        if unit.head_count != count:
            unit.head_count = count
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["head_count"], batch_size=_CHUNK)
    return len(changed)


def apply(p: Plan) -> None:
    """Write the plan. The caller holds the transaction."""
    m_id = p.municipality.pk
    unit_by_path = p.unit_by_path
    # New units level by level: a unit's path holds its own primary key, which exists only once
    # the row is inserted, so each level is one insert and one update, whatever its size.
    by_depth: dict[int, list[UnitPath]] = defaultdict(list)
    for path in p.new_unit_paths:
        by_depth[len(path)].append(path)
    for depth in sorted(by_depth):
        level = [
            Unit(
                municipality_id=m_id,
                parent=unit_by_path.get(path[:-1]) if depth > 1 else None,
                name=path[-1],
                depth=depth - 1,
            )
            for path in by_depth[depth]
        ]
        Unit.objects.bulk_create(level)
        for path, unit in zip(by_depth[depth], level, strict=True):
            unit.path = unit.tree_path()
            unit_by_path[path] = unit
        Unit.objects.bulk_update(level, ["path"])
    for chunk in _chunks(p.reactivate_unit_ids):
        Unit.objects.filter(municipality_id=m_id, pk__in=chunk).update(is_active=True)
    for chunk in _chunks(p.deactivate_unit_ids):
        Unit.objects.filter(municipality_id=m_id, pk__in=chunk).update(is_active=False)

    if p.new_areas:
        created = ProfessionalArea.objects.bulk_create(
            [ProfessionalArea(municipality_id=m_id, name=name) for name in p.new_areas]
        )
        p.areas.update({a.name: a for a in created})

    Person.objects.bulk_create(p.new_people)
    if p.changed_people:
        Person.objects.bulk_update(p.changed_people, ["name", "email", "is_active"])
    for chunk in _chunks(p.deactivate_person_ids):
        Person.objects.filter(municipality_id=m_id, pk__in=chunk).update(is_active=False)
    person_pks = {**p.person_pks, **{q.employee_id: q.pk for q in p.new_people}}

    for chunk in _chunks(p.membership_delete_ids):
        Membership.objects.filter(municipality_id=m_id, pk__in=chunk).delete()
    updates = []
    for membership, want in p.membership_updates:
        membership.job_title = want.job_title
        membership.professional_area = p.areas[want.area] if want.area else None
        membership.is_leader = want.is_leader
        updates.append(membership)
    if updates:
        Membership.objects.bulk_update(updates, ["job_title", "professional_area", "is_leader"])
    Membership.objects.bulk_create(
        [
            Membership(
                municipality_id=m_id,
                person_id=person_pks[eid],
                unit=unit_by_path[path],
                job_title=want.job_title,
                professional_area=p.areas[want.area] if want.area else None,
                is_leader=want.is_leader,
            )
            for eid, path, want in p.membership_creates
        ]
    )

    for chunk in _chunks(p.role_delete_ids):
        RoleAssignment.objects.filter(municipality_id=m_id, pk__in=chunk).delete()
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                municipality_id=m_id,
                person_id=person_pks[eid],
                role=role,
                unit=unit_by_path[path],
                source=RoleAssignment.Source.IMPORT,
            )
            for eid, role, path in p.role_creates
        ]
    )
    refresh_head_counts(m_id)
    written = len(p.new_people) + len(p.membership_creates) + len(p.membership_delete_ids) + len(p.role_creates)
    if written >= ANALYZE_AFTER_ROWS:
        # Right after a large import the planner still has the old statistics and picks slow
        # plans for subtree queries (measured: 57 ms instead of 19 ms) until autovacuum gets
        # round to it. After the commit, so the analysis sees the new rows and holds no lock of
        # the import's.
        transaction.on_commit(refresh_statistics)


def refresh_statistics() -> None:
    """Bring the query planner's statistics for the organisation tables up to date."""
    tables = [model._meta.db_table for model in (Unit, Person, Membership, RoleAssignment)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

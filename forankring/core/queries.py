"""Access-checked reads. Views fetch objects only through these functions."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from . import access, orgfile, orgsync
from .models import (
    AuditCheck,
    AuditEvent,
    Membership,
    Municipality,
    Person,
    ProfessionalArea,
    RoleAssignment,
    Unit,
    ids_in_path,
    under_paths,
)


def municipality_units(person: Person) -> QuerySet[Unit]:
    """Every active unit of the person's municipality (not only the person's own units).

    The organisation tree is not secret inside a municipality: everyone may browse it."""
    return Unit.objects.filter(municipality_id=person.municipality_id, is_active=True)


@dataclass(frozen=True)
class PeopleTree:
    """The active units under some scopes (materialised paths), and for each unit the active
    people placed in it or anywhere below it, each once. For figures that need to know *who*
    (a share of the people who did something); a plain head count is `Unit.head_count`."""

    units: list[Unit]
    people: dict[int, set[int]]  # unit id -> person ids in the unit or below it
    children: dict[int | None, list[Unit]]

    def root(self, path: str) -> Unit | None:
        return next((u for u in self.units if u.path == path), None)


def people_tree(person: Person, scopes: list[str]) -> PeopleTree:
    """Two queries, whatever the size; each placement is added to the unit and the units above
    it (`ids_in_path`), so the work grows with the placements, not with units × placements."""
    units = list(municipality_units(person).filter(under_paths(scopes)).order_by("path"))
    people: dict[int, set[int]] = {unit.pk: set() for unit in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    placements = Membership.objects.filter(
        municipality_id=person.municipality_id, person__is_active=True, unit__is_active=True, unit__in=units
    ).values_list("person_id", "unit__path")
    for person_id, path in placements:
        for unit_id in ids_in_path(path):
            if unit_id in people:
                people[unit_id].add(person_id)
    return PeopleTree(units, people, children)


@dataclass(frozen=True)
class ScopeTree:
    """The active units under some scopes (materialised paths), with their head counts, as a
    tree: for pages of figures per unit that show a unit and its children at a time (the
    coverage pages) and decide suppression over the whole tree. One query, no people read."""

    units: list[Unit]
    by_pk: dict[int, Unit]
    children: dict[int | None, list[Unit]]  # parent id -> children, by name
    tops: list[Unit]  # the unit at the top of each scope

    def top_of(self, unit: Unit) -> Unit:
        return next(top for top in self.tops if unit.path.startswith(top.path))

    def trail(self, unit: Unit) -> list[Unit]:
        """The units from the top of the scope down to `unit`, without it: the way back."""
        return [self.by_pk[pk] for pk in unit.path_ids()[:-1] if pk in self.by_pk]


def scope_tree(person: Person, scopes: list[str]) -> ScopeTree:
    units = list(
        municipality_units(person)
        .filter(under_paths(scopes))
        .only("pk", "parent_id", "path", "depth", "name", "head_count", "municipality_id")
        .order_by("path")
    )
    children: dict[int | None, list[Unit]] = {}
    for unit in sorted(units, key=lambda u: (u.name.lower(), u.pk)):
        children.setdefault(unit.parent_id, []).append(unit)
    tops = [unit for unit in units if unit.path in scopes]
    return ScopeTree(units, {unit.pk: unit for unit in units}, children, tops)


def subtree_hits(person: Person, units: list[Unit], sets: dict[str, QuerySet[Any]]) -> dict[int, dict[str, int]]:
    """For each of `units`, how many of the active people placed in it or below it (in active
    units, each person once per unit) are in each of `sets`: {unit id: {set name: count}}.

    For coverage pages that show a few units (a unit and the units directly under it) rather
    than the whole tree: the counting is done by the database for the units shown, never in
    Python over every placement. A set is a queryset of person ids (`.values("person_id")`),
    e.g. the people with training in force; the database reads each set once. The units may
    be nested (a parent shown above its children): units at the same depth never overlap, so
    each depth is one aggregate, and all of them go in one query. The head count (the
    denominator) is `Unit.head_count`, read with the unit.
    """
    if not units or not sets:
        return {unit.pk: dict.fromkeys(sets, 0) for unit in units}
    by_depth: dict[int, list[Unit]] = {}
    for unit in units:
        by_depth.setdefault(unit.depth, []).append(unit)
    placed = Membership.objects.filter(
        municipality_id=person.municipality_id, person__is_active=True, unit__is_active=True
    )
    aggregates = {name: Count("person_id", distinct=True, filter=Q(person_id__in=ids)) for name, ids in sets.items()}
    parts = []
    for level in by_depth.values():
        covering = under_paths((unit.path for unit in level), "unit__path")
        branch = Case(
            *(When(unit__path__startswith=unit.path, then=Value(unit.pk)) for unit in level),
            output_field=IntegerField(),
        )
        parts.append(placed.filter(covering).annotate(branch=branch).values("branch").annotate(**aggregates).order_by())
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    found: dict[int, dict[str, int]] = {unit.pk: dict.fromkeys(sets, 0) for unit in units}
    for row in query:
        found[row["branch"]] = {name: row[name] for name in sets}
    return found


def professional_areas(person: Person) -> list[ProfessionalArea]:
    return list(ProfessionalArea.objects.filter(municipality_id=person.municipality_id))


def roles_of_person(person: Person) -> QuerySet[RoleAssignment]:
    """The person's own role assignments, with their units (their "Mine oplysninger" page)."""
    return RoleAssignment.objects.filter(municipality_id=person.municipality_id, person=person).select_related("unit")


def memberships_of_person(person: Person) -> QuerySet[Membership]:
    """Where the person is placed, with the unit and professional area, from the top down."""
    return person.memberships.select_related("unit", "professional_area").order_by("unit__path")


_PLACEMENTS_ATTR = "_forankring_placements"


def placements(person: Person) -> list[Membership]:
    """The person's placements with their units, from the top down: one query, read once per
    request and kept on the instance (as `access.role_paths` keeps the roles). The home page's
    "your units" and every track's "what waits for you" ask for the same rows; reading them
    once is what keeps everyone's first page cheap."""
    cached: list[Membership] | None = getattr(person, _PLACEMENTS_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(municipality_id=person.municipality_id, person=person)
            .select_related("unit")
            .order_by("unit__path")
        )
        setattr(person, _PLACEMENTS_ATTR, cached)
    return cached


def placement_paths(person: Person, *, active_only: bool = False) -> list[str]:
    """The unit paths the person is placed in (see `placements`; no query after the first)."""
    return [m.unit.path for m in placements(person) if m.unit.is_active or not active_only]


def counts(**querysets: QuerySet[Any]) -> dict[str, int]:
    """Several counts in one round trip to the database: `counts(a=qs1, b=qs2)` gives
    `{"a": qs1.count(), "b": qs2.count()}` from a single `SELECT (SELECT COUNT(*) ...), ...`.

    For pages that show a handful of small figures from different tables (the home page's
    "Det venter på dig"): each figure alone costs little in the database but a round trip and
    the ORM's work around it, and those add up on everyone's first page. The querysets are
    compiled by the ORM as usual, so tenant filters and parameters stay as written. Pass them
    unsliced (a count of a slice is the slice's length, which the caller knows)."""
    if not querysets:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    for qs in querysets.values():
        sql, qs_params = qs.order_by().values("pk").query.sql_with_params()
        # The ORM compiled `sql` with placeholders; values travel in `params`, never in the text.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608
        params.extend(qs_params)
    database = next(iter(querysets.values())).db
    with connections[database].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {name: int(value) for name, value in zip(querysets, row, strict=True)}


def get_role_assignment_for_admin(person: Person, target: Person, pk: int) -> RoleAssignment:
    """One of `target`'s role assignments, for an administrator of their municipality to revoke."""
    if not access.can_manage_roles(person):
        access.deny()
    found = (
        RoleAssignment.objects.filter(municipality_id=person.municipality_id, person=target, pk=pk)
        .select_related("unit", "person")
        .first()
    )
    return found if found is not None else access.deny()


def get_unit_for(person: Person, pk: int) -> Unit:
    unit = municipality_units(person).select_related("parent").filter(pk=pk).first()
    if unit is None:
        access.deny()
    return unit


# --- The organisation tree -------------------------------------------------------------------
#
# Patterns for every page that shows units (the tracks reuse them):
# - head counts are `Unit.head_count`, kept by the writer of memberships: never count people
#   on a page;
# - a page shows a few levels and opens a subtree on request (`child_units`), never the whole
#   tree;
# - a unit is chosen by searching (`search_units`, the `unit_picker` component), never from
#   a list of every unit.

# The organisation page shows the top unit and this many levels below it.
TOP_LEVELS_SHOWN = 1
# A unit search shows at most this many matches; the person narrows the search for more.
UNIT_SEARCH_LIMIT = 20


@dataclass
class UnitNode:
    unit: Unit
    has_children: bool
    children: list[UnitNode] = field(default_factory=list)


def _with_children_flag(units: QuerySet[Unit]) -> QuerySet[Unit]:
    active_children = Unit.objects.filter(parent=OuterRef("pk"), is_active=True)
    return units.annotate(has_children=Exists(active_children))


def top_units(person: Person) -> list[UnitNode]:
    """The top of the organisation as nested nodes (siblings by name), one query whatever the
    size: the top unit and TOP_LEVELS_SHOWN levels under it, each with its head count and
    whether it has units below it to open."""
    units = list(
        _with_children_flag(municipality_units(person).filter(depth__lte=TOP_LEVELS_SHOWN)).order_by(
            "depth", Lower("name")
        )
    )
    nodes = {u.pk: UnitNode(u, u.has_children) for u in units}  # type: ignore[attr-defined]
    roots: list[UnitNode] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(nodes[unit.pk])
    return roots


def child_units(person: Person, unit: Unit) -> list[UnitNode]:
    """The active units directly under `unit`, by name, with their head counts; one query."""
    if unit.municipality_id != person.municipality_id:
        access.deny()
    children = _with_children_flag(municipality_units(person).filter(parent=unit)).order_by(Lower("name"), "pk")
    return [UnitNode(u, u.has_children) for u in children]  # type: ignore[attr-defined]


def search_units(person: Person, text: str, *, within: list[str] | None = None) -> tuple[list[Unit], bool]:
    """Active units whose name contains `text`, by depth then name, with their parent for
    telling two "Team Nord" apart; at most UNIT_SEARCH_LIMIT, and whether there were more.

    `within` limits the search to the subtrees of these materialised paths (a picker scoped to
    the units a person reads for); None means the whole municipality. One query."""
    text = text.strip()
    if not text:
        return [], False
    units = municipality_units(person).filter(name__icontains=text)
    if within is not None:
        if not within:
            return [], False
        units = units.filter(under_paths(within))
    found = list(units.select_related("parent").order_by("depth", Lower("name"), "pk")[: UNIT_SEARCH_LIMIT + 1])
    return found[:UNIT_SEARCH_LIMIT], len(found) > UNIT_SEARCH_LIMIT


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


def people_list_for_admin(
    person: Person, *, search: str = "", unit: Unit | None = None, role: str = ""
) -> QuerySet[Person]:
    """The administrator's people list: by name (the index `person_name_order_idx` serves the
    order), narrowed by a name or employee number, a unit (people placed in it or below it) and
    a role; each person with their units, so two people of the same name can be told apart.
    Two queries a page whatever the size, besides the paginator's count."""
    people = people_for_admin(person)
    if search:
        people = people.filter(Q(name__icontains=search) | Q(employee_id=search))
    if unit is not None:
        # EXISTS rather than a join: a person in two matching units is listed once, without DISTINCT.
        in_unit = Membership.objects.filter(
            municipality_id=person.municipality_id, person=OuterRef("pk"), unit__path__startswith=unit.path
        )
        people = people.filter(Exists(in_unit))
    if role:
        holds = RoleAssignment.objects.filter(municipality_id=person.municipality_id, person=OuterRef("pk"), role=role)
        people = people.filter(Exists(holds))
    units = (
        Membership.objects.filter(municipality_id=person.municipality_id)
        .select_related("unit__parent")
        .order_by("unit__path")
    )
    return people.order_by("name", "pk").prefetch_related(Prefetch("memberships", queryset=units))


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
    ids = unit.path_ids()[:-1]
    by_id = {u.pk: u for u in Unit.objects.filter(municipality_id=unit.municipality_id, pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


# --- The organisation file -----------------------------------------------------------------


def root_unit_names(person: Person) -> list[str]:
    """Names of the top units; an imported file must start with one of them."""
    return list(
        Unit.objects.filter(municipality_id=person.municipality_id, parent__isnull=True).values_list("name", flat=True)
    )


def export_organisation(person: Person, fmt: str) -> Iterator[bytes]:
    """The organisation as a file in the import format (fmt "csv" or "xlsx"), for administrators,
    in pieces for a streamed download. Importing it again changes nothing."""
    if not access.can_manage_organisation(person):
        access.deny()
    return orgfile.write_chunks(organisation_rows_of(person.municipality), fmt)


def organisation_rows_of(municipality: Municipality) -> Iterator[orgfile.OrgRow]:
    """Every active person with an employee number, one row per membership, in tree order
    (a unit, then the units under it), leaders first in each unit, then by name.

    Rows come as the database sends them (`iterator`), so an export of 45,000 people holds a
    few thousand at a time, not all of them: the order is the database's, by the units'
    materialised path. Two queries, whatever the size.

    Not access-checked: only `export_organisation` above and the `export_organisation`
    management command (run by whoever operates the server) call it. People without an
    employee number or without a unit cannot be written in the format and are left out; so are
    people who have left.
    """
    units = list(Unit.objects.filter(municipality_id=municipality.pk).only("pk", "parent_id", "name"))
    names = orgsync.name_paths(units)
    memberships = (
        Membership.objects.filter(municipality_id=municipality.pk, person__is_active=True)
        .exclude(person__employee_id="")
        .order_by("unit__path", "-is_leader", "person__name", "person__employee_id")
        .values_list(
            "unit_id",
            "person__employee_id",
            "person__name",
            "person__email",
            "job_title",
            "professional_area__name",
            "is_leader",
        )
    )
    for line, (unit_id, eid, name, email, title, area, leader) in enumerate(
        memberships.iterator(chunk_size=2000), start=2
    ):
        yield orgfile.OrgRow(line, eid, name, email, names[unit_id], title, area or "", leader)

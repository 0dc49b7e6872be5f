"""Access-checked reads for concerns and the data-and-tools matrix."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Q

from forankring.core import access
from forankring.core.models import Membership, Person, Role, Unit, ids_in_path
from forankring.core.queries import municipality_units

from .models import Concern, DataClass, TierAllowance, ToolTier
from .suppression import k_min_for

# Concerns and wishes are routed to the leaders and MED of the unit they are about (DESIGN.md,
# glossary); the direktion leads the root unit and reads the whole municipality's.
CONCERN_READERS = (Role.LEADER, Role.MED, Role.EXECUTIVE)

# Free text is read, not scanned: a page reads in one sitting, and costs the same to show in a
# municipality of 800 and of 45,000 (docs/performance.md).
CONCERNS_PER_PAGE = 25


def enough_people(unit: Unit, k_min: int) -> bool:
    """At least K_MIN active people in the unit or below it (`Unit.head_count`, kept by the
    writer of memberships, so no query)."""
    return unit.head_count >= k_min


def concern_units_for(person: Person) -> list[Unit]:
    """The units a person may send a concern about: their own units and every unit above them
    (or the top unit, for someone placed nowhere), as long as at least K_MIN people sit in it
    or below it, so the author is always one of at least K_MIN."""
    paths = Membership.objects.filter(
        municipality_id=person.municipality_id, person=person, unit__is_active=True
    ).values_list("unit__path", flat=True)
    ids = {unit_id for path in paths for unit_id in ids_in_path(path)}
    units = list(municipality_units(person).filter(Q(pk__in=ids) | Q(parent__isnull=True)).order_by("path"))
    k_min = k_min_for(person.municipality)
    return [unit for unit in units if enough_people(unit, k_min)]


def can_read_concerns(person: Person, unit: Unit) -> bool:
    return any(access.has_role(person, role, unit=unit) for role in CONCERN_READERS)


def concern_scope_paths(person: Person) -> list[str]:
    """The paths of the units whose concerns the person may read (each with everything below
    it): where they are leader, MED or direktion. Empty for everyone else. No query beyond the
    role paths the request has already read."""
    role_paths = access.role_paths(person)
    paths = sorted({p for role in CONCERN_READERS for p in role_paths.get(str(role), [])})
    # A path inside another one adds nothing.
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


def first_concern_unit(person: Person) -> Unit | None:
    """The highest unit the person reads concerns for: MED and the direktion start with the
    whole municipality, a team leader with their team. One query."""
    paths = concern_scope_paths(person)
    if not paths:
        return None
    top = min(paths, key=lambda p: (p.count("/"), p))
    return municipality_units(person).filter(pk=ids_in_path(top)[-1]).first()


@dataclass(frozen=True)
class ConcernDay:
    day: date
    concerns: list[Concern]


@dataclass(frozen=True)
class ConcernList:
    unit: Unit
    k_min: int
    # False when fewer than K_MIN people sit in the unit and below: then nothing is shown,
    # not even how many concerns there are.
    enough_people: bool
    page: Page[Concern] | None
    days: list[ConcernDay]
    # True when some concerns on this page are about a unit that has since become too small
    # to show them; they are left out without saying how many.
    some_held_back: bool


def concerns_for(person: Person, unit: Unit, *, page_number: str | int | None = None) -> ConcernList:
    """The concerns and wishes about `unit` and the units below it, for its leaders and MED.

    Shown only when the unit's subtree holds at least K_MIN people; newest date first and, within
    a date, in the stable shuffled order."""
    if unit.municipality_id != person.municipality_id or not can_read_concerns(person, unit):
        access.deny()
    k_min = k_min_for(person.municipality)
    if not enough_people(unit, k_min):
        return ConcernList(unit, k_min, False, None, [], False)
    concerns = (
        Concern.objects.filter(
            municipality_id=person.municipality_id, unit__path__startswith=unit.path, unit__is_active=True
        )
        .select_related("unit")
        .by_date_in_display_order()
    )
    page = Paginator(concerns, CONCERNS_PER_PAGE).get_page(page_number)
    items = list(page.object_list)
    # Units that were big enough when the concern was sent may have shrunk since.
    shown = [c for c in items if enough_people(c.unit, k_min)]
    days = [ConcernDay(day, list(group)) for day, group in itertools.groupby(shown, key=lambda c: c.created_on)]
    return ConcernList(unit, k_min, True, page, days, len(shown) < len(items))


# --- Data classes and tool tiers -------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    tier: ToolTier
    state: str  # TierAllowance.State
    note: str

    @property
    def state_label(self) -> str:
        return str(TierAllowance.State(self.state).label)


@dataclass(frozen=True)
class MatrixRow:
    data_class: DataClass
    cells: list[MatrixCell]


@dataclass(frozen=True)
class DataToolMatrix:
    tiers: list[ToolTier]
    rows: list[MatrixRow]


def data_tool_matrix(person: Person) -> DataToolMatrix:
    """Which data may go into which tier of tool, for everyone in the municipality. Three
    queries whatever the size; a pair nobody has decided reads as not allowed. Names and notes
    in the reader's language (see privacy.models.Localized)."""
    m = person.municipality_id
    tiers = list(ToolTier.objects.filter(municipality_id=m))
    classes = list(DataClass.objects.filter(municipality_id=m))
    allowances = {
        (a.data_class_id, a.tool_tier_id): a
        for a in TierAllowance.objects.filter(
            municipality_id=m, data_class__municipality_id=m, tool_tier__municipality_id=m
        )
    }
    rows = []
    for data_class in classes:
        cells = []
        for tier in tiers:
            found = allowances.get((data_class.pk, tier.pk))
            if found is None:
                cells.append(MatrixCell(tier, TierAllowance.State.NOT_ALLOWED, ""))
            else:
                cells.append(MatrixCell(tier, found.state, found.display_note))
        rows.append(MatrixRow(data_class, cells))
    return DataToolMatrix(tiers, rows)

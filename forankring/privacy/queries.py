"""Access-checked reads for concerns and the data-and-tools matrix."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from forankring.core import access
from forankring.core.models import Membership, Person, Role, Unit, ids_in_path
from forankring.core.queries import municipality_units

from .models import Concern, DataClass, TierAllowance, ToolTier
from .suppression import k_min_for

# Concerns and wishes are routed to the leaders and MED of the unit they are about (DESIGN.md,
# glossary); the direktion leads the root unit and reads the whole municipality's.
CONCERN_READERS = (Role.LEADER, Role.MED, Role.EXECUTIVE)

CONCERNS_PER_PAGE = 50


def people_in_subtrees(municipality_id: int, units: list[Unit]) -> dict[int, int]:
    """Active people placed in each unit or anywhere below it, in one query.

    A person placed in two teams of the same centre counts once for the centre."""
    if not units:
        return {}
    counts = Person.objects.filter(municipality_id=municipality_id, is_active=True).aggregate(
        **{
            f"u{unit.pk}": Count(
                "pk",
                filter=Q(memberships__unit__path__startswith=unit.path, memberships__unit__is_active=True),
                distinct=True,
            )
            for unit in units
        }
    )
    return {unit.pk: int(counts[f"u{unit.pk}"] or 0) for unit in units}


def concern_units_for(person: Person) -> list[Unit]:
    """The units a person may send a concern about: their own units and every unit above them
    (or the top unit, for someone placed nowhere), as long as at least K_MIN people sit in it
    or below it, so the author is always one of at least K_MIN."""
    paths = Membership.objects.filter(
        municipality_id=person.municipality_id, person=person, unit__is_active=True
    ).values_list("unit__path", flat=True)
    ids = {unit_id for path in paths for unit_id in ids_in_path(path)}
    units = list(municipality_units(person).filter(Q(pk__in=ids) | Q(parent__isnull=True)).order_by("path"))
    sizes = people_in_subtrees(person.municipality_id, units)
    k_min = k_min_for(person.municipality)
    return [unit for unit in units if sizes[unit.pk] >= k_min]


def can_read_concerns(person: Person, unit: Unit) -> bool:
    return any(access.has_role(person, role, unit=unit) for role in CONCERN_READERS)


def concern_scopes_for(person: Person) -> list[Unit]:
    """Every unit whose concerns the person may read: the units where they are leader, MED or
    direktion, and everything below them. Empty for everyone else."""
    role_paths = access.role_paths(person)
    paths = sorted({p for role in CONCERN_READERS for p in role_paths.get(str(role), [])})
    if not paths:
        return []
    covering = Q()
    for path in paths:
        covering |= Q(path__startswith=path)
    return list(municipality_units(person).filter(covering).order_by("path"))


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
    if people_in_subtrees(person.municipality_id, [unit])[unit.pk] < k_min:
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
    about = list({c.unit_id: c.unit for c in items}.values())
    sizes = people_in_subtrees(person.municipality_id, about)
    shown = [c for c in items if sizes[c.unit_id] >= k_min]
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

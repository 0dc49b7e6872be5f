"""Access-checked reads for concerns and the data-and-tools matrix."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Q

from forankring.core import access
from forankring.core.models import Membership, Person, Unit, ids_in_path
from forankring.core.queries import municipality_units

from .models import Concern, DataClass, TierAllowance, ToolTier
from .suppression import enough_people, k_min_for

# Free text is read, not scanned: a page reads in one sitting, and costs the same to show in a
# municipality of 800 and of 45,000 (docs/performance.md).
CONCERNS_PER_PAGE = 25


def own_unit_paths(person: Person) -> list[str]:
    """The paths of the active units the person is placed in."""
    return list(
        Membership.objects.filter(
            municipality_id=person.municipality_id, person=person, unit__is_active=True
        ).values_list("unit__path", flat=True)
    )


def concern_units_for(person: Person) -> list[Unit]:
    """The units a person may send a concern about (`access.can_send_concern_about`): their own
    units, every unit above them and the top unit, when big enough. Two queries."""
    paths = own_unit_paths(person)
    ids = {unit_id for path in paths for unit_id in ids_in_path(path)}
    units = municipality_units(person).filter(Q(pk__in=ids) | Q(parent__isnull=True)).order_by("path")
    k_min = k_min_for(person.municipality)
    return [unit for unit in units if access.can_send_concern_about(person, unit, own_paths=paths, k_min=k_min)]


def first_concern_unit(person: Person) -> Unit | None:
    """The highest unit the person reads concerns for: MED and the direktion start with the
    whole municipality, a team leader with their team. One query."""
    paths = access.concern_scopes(person)
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
    if unit.municipality_id != person.municipality_id or not access.can_read_concerns(person, unit):
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


def tool_tiers(person: Person) -> list[ToolTier]:
    return list(ToolTier.objects.filter(municipality_id=person.municipality_id))


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

"""Small-group suppression: figures that are safe to show outside the group they come from.

PRIVACY.md: a figure shown outside its group is computed only from groups of at least K_MIN
respondents; smaller groups show "for få svar"; and a figure that could be derived by
subtraction must not reveal a suppressed group.

How it works
------------
Every table is a set of cells (groups with a respondent count) and a set of *equations* that a
reader could use: a parent is the sum of its children (plus the people placed directly in it);
a row or column total is the sum of its cells; two groupings of the same population (by unit,
and by professional area) both add up to the same total.

1. Primary suppression: every group with fewer than K_MIN respondents (including none) is hidden.
   People placed directly in a parent (an institution's leader, say) form an invisible group of
   their own; when there are between 1 and K_MIN - 1 of them it counts as a hidden small group.
2. Complementary suppression, local: while some equation has exactly one hidden term, that term
   could be computed by subtraction (parent minus visible children) or by addition (a hidden
   parent from its visible children), so one more term of that equation is hidden: the smallest
   visible part, else the total. This repeats across levels until no equation has exactly one
   hidden term.
3. Complementary suppression, global: a small group can still be pinned down by combining
   several equations (two overlapping groupings, a cross table's rows and columns). For each
   small group we check exactly, with rational linear algebra over all the equations, whether
   the visible figures determine it; while one is determined, one more cell next to it is hidden.

Shares and averages are shown only for visible groups. Their numerators (people who said yes,
the sum of the answers) obey the same equations as the counts, so hiding the same cells keeps a
parent's share or average from backing out a hidden child's.

What is guaranteed
------------------
No hidden small group's count, and no hidden group's share numerator or sum of answers, equals
any linear combination of the figures shown in *one call* (one table, including every grouping
passed in `other_groupings`). In particular parent minus visible children, a hidden parent from
its children, and one grouping's total minus another grouping's visible groups never give it.

What is not guaranteed
----------------------
* Ranges. Counts are never negative, so "two hidden cells add up to 14" says each is at most 14.
  A hidden *average* can be pinned down by the bounds of the scale (if the parent's average is
  the top of the scale, every answer was the top).
* Figures from other pages, other dates or other calls: differencing last month's table against
  this month's, or a table here against a table elsewhere, is not covered. Offer one grouping per
  call and pass every grouping a page shows in the same call.
* The suppression pattern itself: seeing *which* cells are hidden says that at least one of them
  is small.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Final, overload

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from forankring.core.models import Municipality, Unit

from .rules import K_MIN_FLOOR

# Below K_MIN_FLOOR a municipality may not go (PRIVACY.md); Municipality.k_min enforces it as well.


class _Suppressed:
    """Stands in for a figure from a group that is too small. Renders as "for få svar"."""

    __slots__ = ()
    is_suppressed = True

    def __str__(self) -> str:
        return str(_("for få svar"))

    def __repr__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED: Final = _Suppressed()


def enough_people(unit: Unit, k_min: int) -> bool:
    """At least `k_min` active people in the unit or below it (`Unit.head_count`, kept by the
    writer of memberships, so no query)."""
    return unit.head_count >= k_min


def validate_k_min(k_min: int) -> int:
    if k_min < K_MIN_FLOOR:
        raise ValueError(f"K_MIN must be at least {K_MIN_FLOOR}, not {k_min}")
    return k_min


def k_min_for(municipality: Municipality | None) -> int:
    """The municipality's smallest group size, or the site default; never below 3."""
    value = municipality.k_min if municipality is not None and municipality.k_min else settings.K_MIN_DEFAULT
    return validate_k_min(int(value))


# --- The engine: cells, equations, and which cells to hide -----------------------------------


@dataclass(frozen=True)
class Equation:
    """`total` is the sum of `parts` (cell keys)."""

    total: str
    parts: tuple[str, ...]


def cells_to_hide(
    counts: Mapping[str, int],
    equations: Sequence[Equation],
    *,
    k_min: int,
    shown: Iterable[str] | None = None,
) -> frozenset[str]:
    """The keys of `counts` to hide.

    `shown` is the keys that would be displayed (default: all). A key that is not shown is a
    term nobody sees, like the people placed directly in a parent: it is treated as a hidden
    small group when its count is between 1 and k_min - 1, and otherwise, to be safe, as if the
    reader knew it.
    """
    validate_k_min(k_min)
    shown_keys = set(counts) if shown is None else set(shown)
    for eq in equations:
        for key in (eq.total, *eq.parts):
            if key not in counts:
                raise KeyError(key)
    primary = {k for k in shown_keys if counts[k] < k_min}
    primary |= {k for k in counts if k not in shown_keys and 0 < counts[k] < k_min}
    hidden = set(primary)
    totals = {eq.total for eq in equations}
    order = {key: index for index, key in enumerate(counts)}

    def rank(key: str) -> tuple[int, int, int]:
        # Hide the smallest figure first (least loss), a leaf before a subtotal (a hidden
        # subtotal would need one of its own parts hidden too), then in input order.
        return (counts[key], 1 if key in totals else 0, order[key])

    def candidates(eq: Equation) -> list[str]:
        parts = sorted((k for k in eq.parts if k in shown_keys and k not in hidden), key=rank)
        if parts:
            return parts
        return [eq.total] if eq.total in shown_keys and eq.total not in hidden else []

    while True:
        # Local: an equation with exactly one hidden term gives that term away.
        lone = next((eq for eq in equations if sum(1 for k in (eq.total, *eq.parts) if k in hidden) == 1), None)
        if lone is not None:
            choice = candidates(lone)
            if not choice:  # pragma: no cover - every equation has a shown total or part
                raise RuntimeError("nothing left to hide")
            hidden.add(choice[0])
            continue
        # Global: a small group pinned down by combining equations.
        pinned = determined_cells(primary, hidden, equations)
        if not pinned:
            return frozenset(hidden)
        first = min(pinned, key=order.__getitem__)
        touching = [eq for eq in equations if first in (eq.total, *eq.parts)]
        near = sorted({c for eq in touching for c in candidates(eq)}, key=rank)
        if not near:
            linked = [eq for eq in equations if any(k in hidden for k in (eq.total, *eq.parts))]
            near = sorted({c for eq in linked for c in candidates(eq)}, key=rank)
        if not near:  # pragma: no cover - with everything hidden nothing is determined
            raise RuntimeError("nothing left to hide")
        hidden.add(near[0])


def determined_cells(keys: Iterable[str], hidden: set[str], equations: Sequence[Equation]) -> set[str]:
    """Which of `keys` the equations fix exactly when every term outside `hidden` is known.

    A hidden term is fixed exactly when its unit vector lies in the row space of the equations
    restricted to the hidden terms; in reduced row echelon form that means one row is exactly
    that unit vector. Exact rational arithmetic on sparse rows: the systems are small and
    sparse, and a rounding error here would be a privacy bug."""
    pivots: dict[str, dict[str, Fraction]] = {}
    for eq in equations:
        row: dict[str, Fraction] = {}
        if eq.total in hidden:
            row[eq.total] = Fraction(1)
        for part in eq.parts:
            if part in hidden:
                row[part] = row.get(part, Fraction(0)) - 1
        _add_row(pivots, {k: v for k, v in row.items() if v})
    return {k for k in keys if k in pivots and len(pivots[k]) == 1}


def _add_row(pivots: dict[str, dict[str, Fraction]], row: dict[str, Fraction]) -> None:
    """Add one row to a reduced row echelon form kept as {pivot column: row}."""
    for column in [c for c in row if c in pivots]:
        factor = row.get(column)
        if factor:
            _axpy(row, -factor, pivots[column])
    if not row:
        return
    column = min(row)
    scale = row[column]
    row = {k: v / scale for k, v in row.items()}
    for other in pivots.values():
        factor = other.get(column)
        if factor:
            _axpy(other, -factor, row)
    pivots[column] = row


def _axpy(target: dict[str, Fraction], factor: Fraction, source: dict[str, Fraction]) -> None:
    """target += factor * source, dropping zeros."""
    for key, value in source.items():
        new = target.get(key, Fraction(0)) + factor * value
        if new:
            target[key] = new
        else:
            target.pop(key, None)


# --- Hierarchical groups (a tree, plus other groupings of the same population) ---------------


@dataclass
class Group:
    """One group's raw figures. `n` counts every respondent in the group, subgroups included.

    `hits` (for a share: how many of the n said yes, chose the option, ...) and `total` (for an
    average: the sum of the n answers) are optional."""

    key: str
    label: str
    n: int
    children: Sequence[Group] = field(default_factory=list)
    hits: int | None = None
    total: float | None = None


@dataclass(frozen=True)
class Grouping:
    """Another way of dividing the root's population, shown on the same page (e.g. by
    professional area beside the tree of units). Its groups must add up to the root at most."""

    key: str
    label: str
    groups: Sequence[Group]


Shown = int | float | _Suppressed


@dataclass(frozen=True)
class Figure:
    """One group after suppression. Hidden figures are SUPPRESSED; share and mean are None when
    the group has no such figure at all."""

    key: str
    label: str
    depth: int
    n: int | _Suppressed
    share: float | _Suppressed | None
    mean: float | _Suppressed | None

    @property
    def suppressed(self) -> bool:
        return isinstance(self.n, _Suppressed)


@dataclass(frozen=True)
class TableRow:
    """What components/suppressed_table.html renders: a label, its depth and the cells."""

    label: str
    depth: int
    values: tuple[Any, ...]


def table_rows(figures: Sequence[Figure], columns: Sequence[str] = ("n",)) -> list[TableRow]:
    """Rows for the table component. Columns: "n" (count), "share" (in per cent), "mean"."""
    rows = []
    for figure in figures:
        values = []
        for column in columns:
            value = getattr(figure, column)
            if value is None or isinstance(value, _Suppressed):
                values.append(SUPPRESSED if value is not None else "–")
            elif column == "share":
                values.append(f"{number_format(value * 100, 0)}\u00a0%")
            elif column == "mean":
                values.append(number_format(value, 1))
            else:
                values.append(number_format(value, 0))
        rows.append(TableRow(figure.label, figure.depth, tuple(values)))
    return rows


@dataclass(frozen=True)
class SuppressedGroups:
    tree: list[Figure]
    groupings: dict[str, list[Figure]]

    def by_key(self) -> dict[str, Figure]:
        figures = {f.key: f for f in self.tree}
        for rows in self.groupings.values():
            figures.update({f.key: f for f in rows})
        return figures


def suppress_tree(
    root: Group, *, k_min: int, other_groupings: Sequence[Grouping] = (), parts_may_overlap: bool = False
) -> SuppressedGroups:
    """Suppress a tree of groups (and other groupings of the same population, see Grouping).

    `parts_may_overlap`: the tree counts people by where they are placed, and a person placed
    in two units under the same parent counts once in each, so the children may add up to
    more than the parent. Without the flag that raises (a sum that does not hold is a bug in
    the caller's counts). With it, the parent still ties its children together, as if they
    were added: a hidden child then always has a hidden sibling, exactly as in a tree without
    overlaps. That is the safe side: overlaps only make a hidden figure harder to work out
    from the others, never easier."""
    validate_k_min(k_min)
    counts: dict[str, int] = {}
    equations: list[Equation] = []
    shown: set[str] = set()
    nodes: dict[str, tuple[Group, int]] = {}

    def add(group: Group, depth: int) -> None:
        if group.key in counts or "#" in group.key:
            raise ValueError(f"group keys must be unique and without '#': {group.key!r}")
        if group.n < 0:
            raise ValueError(f"negative count in {group.key!r}")
        counts[group.key] = group.n
        shown.add(group.key)
        nodes[group.key] = (group, depth)
        for child in group.children:
            add(child, depth + 1)
        if group.children:
            equations.append(_equation(group.key, group.n, group.children, counts, overlap=parts_may_overlap))

    add(root, 0)
    for grouping in other_groupings:
        for group in grouping.groups:
            add(group, 1)
        equations.append(_equation(root.key, root.n, grouping.groups, counts, residual_key=f"{grouping.key}#rest"))

    hidden = cells_to_hide(counts, equations, k_min=k_min, shown=shown)

    def figure(key: str) -> Figure:
        group, depth = nodes[key]
        if key in hidden:
            return Figure(
                key,
                group.label,
                depth,
                SUPPRESSED,
                None if group.hits is None else SUPPRESSED,
                None if group.total is None else SUPPRESSED,
            )
        share = None if group.hits is None else (group.hits / group.n if group.n else None)
        mean = None if group.total is None else (group.total / group.n if group.n else None)
        return Figure(key, group.label, depth, group.n, share, mean)

    tree_keys: list[str] = []

    def walk(group: Group) -> None:
        tree_keys.append(group.key)
        for child in group.children:
            walk(child)

    walk(root)
    groupings = {g.key: [figure(k) for k in _keys(g.groups)] for g in other_groupings}
    return SuppressedGroups(tree=[figure(k) for k in tree_keys], groupings=groupings)


def suppress_unit_tree(root: Unit, children: Mapping[int | None, Sequence[Unit]], k_min: int) -> dict[str, Figure]:
    """Which units of a scope's whole tree are hidden, decided on `Unit.head_count` alone
    (read with the units: no people are read). For pages that show a unit and its children at
    a time: suppress over the *whole* tree, never only the rows on the screen, so every view
    hides exactly what the full table would and two views together give nothing more away.
    Each unit's figures (a share, a count of people who did something) then follow the head
    count's verdict: every numerator obeys the same sums. A person placed in two units counts
    in both, so the parts may overlap. Keys are the units' ids as text."""

    def group(unit: Unit) -> Group:
        return Group(
            key=str(unit.pk),
            label=unit.name,
            n=unit.head_count,
            children=[group(child) for child in children.get(unit.pk, [])],
        )

    figures = suppress_tree(group(root), k_min=k_min, parts_may_overlap=True)
    return {figure.key: figure for figure in figures.tree}


def _keys(groups: Sequence[Group]) -> list[str]:
    keys: list[str] = []
    for group in groups:
        keys.append(group.key)
        keys.extend(_keys(group.children))
    return keys


def _equation(
    total_key: str,
    total_n: int,
    parts: Sequence[Group],
    counts: dict[str, int],
    *,
    residual_key: str | None = None,
    overlap: bool = False,
) -> Equation:
    rest = total_n - sum(p.n for p in parts)
    if rest < 0 and not overlap:
        raise ValueError(f"the parts of {total_key!r} add up to more than it holds")
    keys = tuple(p.key for p in parts)
    if rest < 0:
        # People counted in two parts: the people placed directly in the parent cannot be told
        # from the sums any more, so no residual term; the parts stay tied to the parent.
        return Equation(total_key, keys)
    if rest:
        # The people placed directly in the parent: a term nobody sees but a reader could
        # compute if every other term were shown.
        key = residual_key or f"{total_key}#direct"
        counts[key] = rest
        keys = (*keys, key)
    return Equation(total_key, keys)


# --- Row × column tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class CrossTable:
    """Counts by row and column, e.g. units × answer options. Totals are computed."""

    rows: Sequence[tuple[str, str]]  # (key, label)
    columns: Sequence[tuple[str, str]]
    counts: Mapping[tuple[str, str], int]


@dataclass(frozen=True)
class SuppressedCrossTable:
    rows: Sequence[tuple[str, str]]
    columns: Sequence[tuple[str, str]]
    cells: dict[tuple[str, str], int | _Suppressed]
    row_totals: dict[str, int | _Suppressed]
    column_totals: dict[str, int | _Suppressed]
    grand_total: int | _Suppressed

    def table_rows(self) -> list[TableRow]:
        rows = [
            TableRow(label, 0, (*(self.cells[(r, c)] for c, _ in self.columns), self.row_totals[r]))
            for r, label in self.rows
        ]
        totals = (*(self.column_totals[c] for c, _ in self.columns), self.grand_total)
        rows.append(TableRow(str(_("I alt")), 0, totals))
        return rows


def suppress_crosstab(table: CrossTable, *, k_min: int) -> SuppressedCrossTable:
    validate_k_min(k_min)

    def cell_key(r: str, c: str) -> str:
        return f"cell:{r}:{c}"

    counts: dict[str, int] = {}
    for r, _label in table.rows:
        for c, _clabel in table.columns:
            counts[cell_key(r, c)] = int(table.counts.get((r, c), 0))
    row_totals = {r: sum(counts[cell_key(r, c)] for c, _ in table.columns) for r, _ in table.rows}
    column_totals = {c: sum(counts[cell_key(r, c)] for r, _ in table.rows) for c, _ in table.columns}
    counts.update({f"row:{r}": v for r, v in row_totals.items()})
    counts.update({f"col:{c}": v for c, v in column_totals.items()})
    counts["total"] = sum(row_totals.values())
    equations = [Equation(f"row:{r}", tuple(cell_key(r, c) for c, _ in table.columns)) for r, _ in table.rows]
    equations += [Equation(f"col:{c}", tuple(cell_key(r, c) for r, _ in table.rows)) for c, _ in table.columns]
    equations.append(Equation("total", tuple(f"row:{r}" for r, _ in table.rows)))
    equations.append(Equation("total", tuple(f"col:{c}" for c, _ in table.columns)))
    hidden = cells_to_hide(counts, equations, k_min=k_min)

    def show(key: str) -> int | _Suppressed:
        return SUPPRESSED if key in hidden else counts[key]

    return SuppressedCrossTable(
        rows=table.rows,
        columns=table.columns,
        cells={(r, c): show(cell_key(r, c)) for r, _ in table.rows for c, _ in table.columns},
        row_totals={r: show(f"row:{r}") for r, _ in table.rows},
        column_totals={c: show(f"col:{c}") for c, _ in table.columns},
        grand_total=show("total"),
    )


@overload
def suppress_counts(data: Group, k_min: int) -> SuppressedGroups: ...


@overload
def suppress_counts(data: CrossTable, k_min: int) -> SuppressedCrossTable: ...


def suppress_counts(data: Group | CrossTable, k_min: int) -> SuppressedGroups | SuppressedCrossTable:
    """One entry point for both shapes: a tree of groups, or a row × column table."""
    if isinstance(data, Group):
        return suppress_tree(data, k_min=k_min)
    return suppress_crosstab(data, k_min=k_min)

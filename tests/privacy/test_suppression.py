"""Small-group suppression: primary and complementary suppression, and what a reader can and
cannot work out from what is shown."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import pytest
from django.template.loader import render_to_string

from forankring.core.models import Municipality
from forankring.privacy.suppression import (
    SUPPRESSED,
    CrossTable,
    Group,
    Grouping,
    k_min_for,
    suppress_counts,
    suppress_crosstab,
    suppress_tree,
    table_rows,
)


def shown(result, key):
    return result.by_key()[key].n


# --- The named attack -----------------------------------------------------------------------


def centre(a: int, b: int, c: int, *, means=(None, None, None)) -> Group:
    teams = [
        Group("a", "Team A", a, total=None if means[0] is None else means[0] * a),
        Group("b", "Team B", b, total=None if means[1] is None else means[1] * b),
        Group("c", "Team C", c, total=None if means[2] is None else means[2] * c),
    ]
    totals = [t.total for t in teams if t.total is not None]
    total = sum(totals) if len(totals) == len(teams) else None
    return Group("centre", "Center", a + b + c, teams, total=total)


def visible(result) -> list[tuple]:
    """Everything a reader of the table sees."""
    return [(f.label, f.n, f.share, f.mean) for f in result.tree]


def test_it_defeats_the_subtraction_attack():
    result = suppress_tree(centre(12, 9, 2), k_min=5)
    # The centre total is shown, and so is the big team; the team of 2 is hidden ...
    assert shown(result, "centre") == 23
    assert shown(result, "a") == 12
    assert shown(result, "c") is SUPPRESSED
    # ... and so is a second team, so the attack "centre minus the visible teams" gives 11:
    # the two hidden teams together, not the 2.
    attack = shown(result, "centre") - sum(f.n for f in result.tree[1:] if isinstance(f.n, int))
    assert attack == 11
    assert shown(result, "b") is SUPPRESSED
    # A different centre where the small team had 4 people (and the other 7) looks exactly the
    # same to the reader, so the 2 cannot be recovered from the table.
    other = suppress_tree(centre(12, 7, 4), k_min=5)
    assert visible(other) == visible(result)


def test_it_would_give_the_small_team_away_without_complementary_suppression():
    # Guards the test above: with primary suppression only, the attack recovers the 2.
    result = suppress_tree(centre(12, 9, 2), k_min=5)
    primary_only: dict[str, Any] = {f.key: (SUPPRESSED if f.key == "c" else f.n) for f in result.tree}
    primary_only["b"] = 9
    assert primary_only["centre"] - primary_only["a"] - primary_only["b"] == 2


def test_it_does_not_let_a_parent_average_reveal_a_hidden_average():
    # Answers on a 1-5 scale. The centre's average is shown; the small team's is not, and it
    # cannot be backed out: a world where the small team answered 5.0 looks the same.
    real = suppress_tree(centre(12, 9, 2, means=(4.0, 3.0, 1.0)), k_min=5)
    other = suppress_tree(centre(12, 9, 2, means=(4.0, 19 / 9, 5.0)), k_min=5)
    assert real.by_key()["centre"].mean == pytest.approx((48 + 27 + 2) / 23)
    assert real.by_key()["c"].mean is SUPPRESSED
    assert real.by_key()["b"].mean is SUPPRESSED
    assert visible(real) == visible(other)


def test_it_never_shows_shares_or_averages_for_suppressed_groups():
    root = Group(
        "root",
        "Alle",
        20,
        [Group("big", "Stor", 16, hits=8, total=48.0), Group("small", "Lille", 4, hits=4, total=20.0)],
        hits=12,
        total=68.0,
    )
    figures = suppress_tree(root, k_min=5).by_key()
    assert figures["small"].share is SUPPRESSED and figures["small"].mean is SUPPRESSED
    # The big group is hidden too (otherwise 20 - 16 = 4), so the root's figures stand alone.
    assert figures["big"].share is SUPPRESSED
    assert figures["root"].share == pytest.approx(12 / 20)
    assert figures["root"].mean == pytest.approx(68 / 20)


# --- Primary suppression and K_MIN ----------------------------------------------------------


def test_it_shows_groups_at_k_min_and_hides_groups_below():
    root = Group("r", "Alle", 10, [Group("x", "X", 5), Group("y", "Y", 5)])
    assert [f.n for f in suppress_tree(root, k_min=5).tree] == [10, 5, 5]
    root = Group("r", "Alle", 10, [Group("x", "X", 6), Group("y", "Y", 4)])
    assert [f.n for f in suppress_tree(root, k_min=5).tree] == [10, SUPPRESSED, SUPPRESSED]


def test_it_hides_an_empty_group():
    root = Group("r", "Alle", 12, [Group("x", "X", 12), Group("y", "Y", 0), Group("z", "Z", 0)])
    assert [f.n for f in suppress_tree(root, k_min=5).tree] == [12, 12, SUPPRESSED, SUPPRESSED]


def test_it_refuses_k_min_below_three():
    with pytest.raises(ValueError):
        suppress_tree(Group("r", "Alle", 10), k_min=2)
    with pytest.raises(ValueError):
        suppress_crosstab(CrossTable([("r", "R")], [("c", "C")], {("r", "c"): 9}), k_min=1)


@pytest.mark.django_db
def test_it_takes_k_min_from_the_municipality(settings):
    m = Municipality.objects.create(name="Lilleby Kommune", slug="lilleby", k_min=7)
    assert k_min_for(m) == 7
    settings.K_MIN_DEFAULT = 6
    assert k_min_for(None) == 6
    m.k_min = 2  # the database refuses this; the helper refuses it too
    with pytest.raises(ValueError):
        k_min_for(m)


# --- Complementary suppression in trees -----------------------------------------------------


def test_it_suppresses_a_second_cell_at_every_level():
    root = Group(
        "kommune",
        "Kommunen",
        60,
        [
            Group("c1", "Center 1", 30, [Group("t1", "Team 1", 27), Group("t2", "Team 2", 3)]),
            Group("c2", "Center 2", 30, [Group("t3", "Team 3", 15), Group("t4", "Team 4", 15)]),
        ],
    )
    figures = suppress_tree(root, k_min=5).by_key()
    # Team 2 is small; Team 1 is hidden with it (Center 1 - Team 1 = Team 2).
    assert figures["t2"].n is SUPPRESSED and figures["t1"].n is SUPPRESSED
    # Center 1 and the municipality stay visible: nothing small can be computed from them.
    assert figures["c1"].n == 30 and figures["kommune"].n == 60
    assert figures["t3"].n == 15


def test_it_protects_a_hidden_parent_from_being_added_up_from_its_children():
    # Center 2 (10) is chosen as the second hidden cell beside Center 1 (4). Its teams are
    # shown in full (5 + 5), so a reader could add them up to 10 and then take 40 - 10 - 26 = 4,
    # unless one of the teams is hidden too.
    root = Group(
        "kommune",
        "Kommunen",
        40,
        [
            Group("c1", "Center 1", 4),
            Group("c2", "Center 2", 10, [Group("t1", "Team 1", 5), Group("t2", "Team 2", 5)]),
            Group("c3", "Center 3", 26),
        ],
    )
    figures = suppress_tree(root, k_min=5).by_key()
    assert figures["c1"].n is SUPPRESSED and figures["c2"].n is SUPPRESSED
    assert SUPPRESSED in (figures["t1"].n, figures["t2"].n)
    assert figures["kommune"].n == 40 and figures["c3"].n == 26


def test_it_protects_the_people_placed_directly_in_a_parent():
    # The institution has 2 respondents placed directly in it (its leaders), besides its teams.
    # Showing the institution and both teams would give 22 - 10 - 10 = 2.
    root = Group("inst", "Institution", 22, [Group("t1", "Team 1", 10), Group("t2", "Team 2", 10)])
    figures = suppress_tree(root, k_min=5).by_key()
    assert figures["inst"].n == 22
    assert (figures["t1"].n is SUPPRESSED) or (figures["t2"].n is SUPPRESSED)


def test_it_protects_across_two_groupings_of_the_same_population():
    # The same 30 people by unit (the tree) and by professional area (another grouping on the
    # same page). The area "Sundhed" has 3 people. Hiding it and one more area is not enough
    # on its own if the unit view gives the total: 30 - (visible areas) must not give 3.
    root = Group("alle", "Alle", 30, [Group("u1", "Enhed 1", 15), Group("u2", "Enhed 2", 15)])
    areas = Grouping(
        "fag",
        "Fagområde",
        [Group("a1", "Pædagogik", 20), Group("a2", "Administration", 7), Group("a3", "Sundhed", 3)],
    )
    result = suppress_tree(root, k_min=5, other_groupings=[areas])
    figures = result.by_key()
    assert figures["a3"].n is SUPPRESSED
    assert figures["a2"].n is SUPPRESSED  # else 30 - 20 - 7 = 3
    assert figures["alle"].n == 30
    assert [f.key for f in result.groupings["fag"]] == ["a1", "a2", "a3"]


def test_it_protects_cross_tables_by_row_and_column():
    table = CrossTable(
        rows=[("t1", "Team 1"), ("t2", "Team 2"), ("t3", "Team 3")],
        columns=[("ja", "Ja"), ("nej", "Nej")],
        counts={
            ("t1", "ja"): 10,
            ("t1", "nej"): 8,
            ("t2", "ja"): 9,
            ("t2", "nej"): 2,
            ("t3", "ja"): 12,
            ("t3", "nej"): 7,
        },
    )
    result = suppress_counts(table, 5)
    assert result.cells[("t2", "nej")] is SUPPRESSED
    # Row: Team 2's total minus its "ja" would give the 2, so "ja" is hidden; column: the "nej"
    # total minus the other "nej" cells would too, so a second "nej" cell is hidden.
    assert result.cells[("t2", "ja")] is SUPPRESSED
    assert sum(1 for r in ("t1", "t2", "t3") if result.cells[(r, "nej")] is SUPPRESSED) >= 2
    assert result.grand_total == 48


def test_it_protects_a_small_cell_that_only_a_combination_of_totals_gives_away():
    # Two blocks of small cells, and one small cell between them. Every row and column has at
    # least two hidden cells, so no single subtraction works, but (rows 1+2) - (columns 1+2)
    # leaves exactly the cell between the blocks. Only the check over all equations sees it.
    small = {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2"), ("r3", "c3"), ("r3", "c4")}
    small |= {("r4", "c3"), ("r4", "c4"), ("r2", "c3")}
    rows = [(f"r{i}", f"R{i}") for i in range(1, 5)]
    columns = [(f"c{j}", f"C{j}") for j in range(1, 5)]
    counts = {(r, c): (1 if (r, c) in small else 10) for r, _ in rows for c, _ in columns}
    result = suppress_crosstab(CrossTable(rows, columns, counts), k_min=3)
    attack = cross_table_attack(result, rows, columns, counts, k_min=3)
    assert attack.recoverable() == []
    # Guard: with the nine small cells hidden and nothing else, the cell between the blocks
    # is recoverable, so the assertion above tests something.
    naive = Attack(attack.equations, [f"{r}:{c}" for r, c in sorted(small)], [f"{r}:{c}" for r, c in sorted(small)])
    assert naive.lone_unknowns() == []
    assert naive.recoverable() == ["r2:c3"]


def test_it_treats_a_tree_and_a_table_through_one_entry_point():
    assert suppress_counts(Group("r", "Alle", 9), 5).tree[0].n == 9


def test_it_refuses_children_that_add_up_to_more_than_their_parent():
    with pytest.raises(ValueError):
        suppress_tree(Group("r", "Alle", 5, [Group("x", "X", 6)]), k_min=3)


def test_it_takes_overlapping_children_when_people_are_placed_twice():
    # Two people are placed in both team A and team B: the teams hold 12 + 9 + 2 = 23 places
    # but the centre 21 people. Counted by placement, as coverage figures are.
    overlapping = Group("centre", "Center", 21, [Group("a", "A", 12), Group("b", "B", 9), Group("c", "C", 2)])
    result = suppress_tree(overlapping, k_min=5, parts_may_overlap=True)
    assert shown(result, "centre") == 21 and shown(result, "a") == 12
    # The small team is hidden, and still not alone: a sibling is hidden with it, as without overlaps.
    assert shown(result, "c") is SUPPRESSED
    assert shown(result, "b") is SUPPRESSED


def test_it_ties_overlapping_children_to_their_parent_at_every_level():
    tree = Group(
        "root",
        "Alle",
        30,
        [
            Group("x", "X", 20, [Group("x1", "X1", 15), Group("x2", "X2", 8)]),  # 23 places, 20 people
            Group("y", "Y", 12),
        ],
    )
    result = suppress_tree(tree, k_min=10, parts_may_overlap=True)
    hidden = {f.key for f in result.tree if f.suppressed}
    assert "x2" in hidden and "x1" in hidden  # a lone hidden part would stand out against X


# --- Property tests: no hidden small group can be computed ----------------------------------

PRIME = 2**61 - 1  # rank over this field equals the rational rank for these small 0/±1 systems


def modular_rank(rows: list[list[int]]) -> int:
    """Rank by Gaussian elimination modulo a large prime: written apart from the code under test
    (which uses exact fractions), so the two cannot share a bug."""
    matrix = [[v % PRIME for v in row] for row in rows]
    rank = 0
    width = len(matrix[0]) if matrix else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        inverse = pow(matrix[rank][column], PRIME - 2, PRIME)
        matrix[rank] = [v * inverse % PRIME for v in matrix[rank]]
        for i in range(len(matrix)):
            if i != rank and matrix[i][column]:
                factor = matrix[i][column]
                matrix[i] = [(a - factor * b) % PRIME for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


@dataclass
class Attack:
    """What a reader knows: every shown figure and (to be safe) every group of people that is
    not small; unknown are the hidden figures and the small groups nobody is shown."""

    equations: list[tuple[str, list[str]]]
    unknown: list[str]
    small: list[str]

    def recoverable(self) -> list[str]:
        index = {k: i for i, k in enumerate(self.unknown)}
        rows = []
        for total, parts in self.equations:
            row = [0] * len(self.unknown)
            if total in index:
                row[index[total]] += 1
            for part in parts:
                if part in index:
                    row[index[part]] -= 1
            rows.append(row)
        base = modular_rank(rows)
        found = []
        for key in self.small:
            unit = [0] * len(self.unknown)
            unit[index[key]] = 1
            if modular_rank([*rows, unit]) == base:
                found.append(key)
        return found

    def lone_unknowns(self) -> list[str]:
        return [t for t, parts in self.equations if sum(1 for k in (t, *parts) if k in self.unknown) == 1]


def random_tree(rng: random.Random, depth: int, prefix: str) -> Group:
    if depth == 0 or rng.random() < 0.25:
        return Group(prefix, prefix, rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 10, 14, 20]))
    children = [random_tree(rng, depth - 1, f"{prefix}.{i}") for i in range(rng.randint(1, 4))]
    direct = rng.choice([0, 0, 0, 1, 2, 5, 9])
    return Group(prefix, prefix, sum(c.n for c in children) + direct, children)


def attack_on(root: Group, groupings: list[Grouping], result, k_min: int) -> Attack:
    figures = result.by_key()
    equations: list[tuple[str, list[str]]] = []
    unknown: list[str] = []
    small: list[str] = []

    def direct(key: str, total: int, parts: list[Group]) -> list[str]:
        rest = total - sum(p.n for p in parts)
        names = [p.key for p in parts]
        if 0 < rest < k_min:
            unknown.append(f"{key}/rest")
            small.append(f"{key}/rest")
            names.append(f"{key}/rest")
        return names

    def walk(group: Group) -> None:
        if figures[group.key].n is SUPPRESSED:
            unknown.append(group.key)
            if group.n < k_min:
                small.append(group.key)
        else:
            assert figures[group.key].n == group.n
            assert group.n >= k_min, f"{group.key} has {group.n} and is shown"
        for child in group.children:
            walk(child)
        if group.children:
            equations.append((group.key, direct(group.key, group.n, list(group.children))))

    walk(root)
    for grouping in groupings:
        for group in grouping.groups:
            walk(group)
        equations.append((root.key, direct(grouping.key, root.n, list(grouping.groups))))
    return Attack(equations, unknown, small)


@pytest.mark.parametrize("seed", range(300))
def test_it_protects_every_small_group_in_random_trees(seed: int):
    rng = random.Random(seed)
    k_min = rng.choice([3, 4, 5])
    root = random_tree(rng, rng.randint(1, 4), "r")
    groupings = []
    if seed % 3 == 0:  # every third case also shows another grouping of the same people
        remaining = root.n
        groups = []
        for i in range(rng.randint(2, 4)):
            n = rng.randint(0, remaining)
            groups.append(Group(f"g{i}", f"g{i}", n))
            remaining -= n
        groupings.append(Grouping("g", "g", groups))
    result = suppress_tree(root, k_min=k_min, other_groupings=groupings)
    attack = attack_on(root, groupings, result, k_min)
    # The rule from the issue: no equation (a parent and its children, a total and a grouping)
    # has exactly one hidden term, i.e. a parent with a hidden child has a second hidden child
    # or is hidden itself, and a hidden parent has a hidden child.
    assert attack.lone_unknowns() == []
    # And the stronger one: no combination of the shown figures gives a small group.
    assert attack.recoverable() == []


@pytest.mark.parametrize("seed", range(100))
def test_it_protects_every_small_cell_in_random_cross_tables(seed: int):
    rng = random.Random(seed)
    rows = [(f"r{i}", f"r{i}") for i in range(rng.randint(1, 5))]
    columns = [(f"c{j}", f"c{j}") for j in range(rng.randint(1, 4))]
    counts = {(r, c): rng.choice([0, 1, 2, 4, 5, 7, 12, 30]) for r, _ in rows for c, _ in columns}
    k_min = rng.choice([3, 5])
    result = suppress_crosstab(CrossTable(rows, columns, counts), k_min=k_min)
    attack = cross_table_attack(result, rows, columns, counts, k_min=k_min)
    assert attack.lone_unknowns() == []
    assert attack.recoverable() == []


def cross_table_attack(result, rows, columns, counts, *, k_min: int) -> Attack:
    cells = {f"{r}:{c}": result.cells[(r, c)] for r, _ in rows for c, _ in columns}
    cells |= {f"row:{r}": result.row_totals[r] for r, _ in rows}
    cells |= {f"col:{c}": result.column_totals[c] for c, _ in columns}
    cells["total"] = result.grand_total
    equations = [(f"row:{r}", [f"{r}:{c}" for c, _ in columns]) for r, _ in rows]
    equations += [(f"col:{c}", [f"{r}:{c}" for r, _ in rows]) for c, _ in columns]
    equations += [("total", [f"row:{r}" for r, _ in rows]), ("total", [f"col:{c}" for c, _ in columns])]
    unknown = [k for k, v in cells.items() if v is SUPPRESSED]
    small = [f"{r}:{c}" for (r, c), n in counts.items() if n < k_min]
    assert set(small) <= set(unknown)
    return Attack(equations, unknown, small)


def test_it_would_notice_a_recoverable_group():
    # Guards the property tests: the attack finds the 2 when only it is hidden.
    attack = Attack(equations=[("centre", ["a", "b", "c"])], unknown=["c"], small=["c"])
    assert attack.recoverable() == ["c"]
    assert attack.lone_unknowns() == ["centre"]


# --- The table component --------------------------------------------------------------------


def test_it_renders_suppressed_cells_with_words_and_a_note():
    result = suppress_tree(centre(12, 9, 2), k_min=5)
    html = render_to_string(
        "components/suppressed_table.html",
        {
            "caption": "Svar pr. team",
            "columns": ["Enhed", "Antal svar"],
            "rows": table_rows(result.tree),
            "k_min": 5,
            "note_id": "svar-note",
        },
    )
    assert "<caption>Svar pr. team</caption>" in html
    assert '<th scope="col">Enhed</th>' in html
    assert html.count('<th scope="row"') == 4
    assert html.count("for få svar<span") == 2
    assert 'aria-describedby="svar-note"' in html and 'id="svar-note"' in html
    assert "færre end 5 svar" in html
    assert ">23<" in html and ">12<" in html
    assert ">9<" not in html and ">2<" not in html


def test_it_formats_shares_and_averages_for_the_table():
    root = Group(
        "r",
        "Alle",
        20,
        [Group("x", "X", 10, hits=5, total=35.0), Group("y", "Y", 10, hits=2, total=30.0)],
        hits=7,
        total=65.0,
    )
    rows = table_rows(suppress_tree(root, k_min=5).tree, columns=("n", "share", "mean"))
    assert rows[0].values == ("20", "35\u00a0%", "3,2")
    assert rows[1].values == ("10", "50\u00a0%", "3,5")

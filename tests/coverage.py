"""What one table of a scope's whole tree hides: the reference the coverage pages' views (a unit
and its children at a time) are compared with in tests/direction and tests/competence."""

from __future__ import annotations

from forankring.core import queries as core_queries
from forankring.core.models import Person
from forankring.privacy import suppression


def whole_tree_hidden(person: Person, scopes: list[str]) -> dict[str, bool]:
    """Unit name -> hidden, from one call of the suppression helper over every unit of each
    scope, people counted one by one (not from head counts, as the pages do)."""
    tree = core_queries.people_tree(person, scopes)

    def group(unit):
        return suppression.Group(
            key=str(unit.pk),
            label=unit.name,
            n=len(tree.people[unit.pk]),
            children=[group(child) for child in tree.children.get(unit.pk, [])],
        )

    hidden: dict[str, bool] = {}
    for path in scopes:
        figures = suppression.suppress_tree(
            group(tree.root(path)), k_min=suppression.k_min_for(person.municipality), parts_may_overlap=True
        )
        hidden.update({f.label: f.suppressed for f in figures.tree})
    return hidden

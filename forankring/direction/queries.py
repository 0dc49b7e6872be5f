"""Every read track 1's pages need, access-checked and with a fixed number of queries."""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.formats import number_format

from forankring.core import access
from forankring.core import queries as core_queries
from forankring.core.models import Person, Role, Unit, under_paths
from forankring.privacy import suppression
from forankring.privacy.models import Concern, DataClass, TierAllowance, ToolTier
from forankring.privacy.queries import concern_units_for
from forankring.privacy.suppression import enough_people

from . import rules
from .models import (
    Acknowledgement,
    Compass,
    CompassRule,
    ConcernAnswer,
    DecisionArea,
    DecisionRight,
    FocusArea,
    HearingComment,
    Principle,
    Purpose,
    RulesVersion,
    Tool,
)

# --- Purpose and focus areas -----------------------------------------------------------------


def purpose_of(person: Person) -> Purpose | None:
    return Purpose.objects.filter(municipality_id=person.municipality_id).first()


def focus_areas_of(person: Person) -> list[FocusArea]:
    return list(FocusArea.objects.filter(municipality_id=person.municipality_id))


def get_focus_area_for(person: Person, pk: int) -> FocusArea:
    found = FocusArea.objects.filter(municipality_id=person.municipality_id, pk=pk).first()
    return found if found is not None else access.deny()


# --- The AI-kompas ----------------------------------------------------------------------------


def _compasses(person: Person) -> QuerySet[Compass]:
    return Compass.objects.filter(municipality_id=person.municipality_id).prefetch_related("principles", "rules")


def current_compass(person: Person) -> Compass | None:
    return _compasses(person).filter(status=Compass.Status.PUBLISHED).first()


def _readable(person: Person, compass: Compass) -> bool:
    return access.can_read_compass(
        person, public=compass.is_public, in_hearing=compass.status == Compass.Status.HEARING
    )


def compass_for(person: Person, pk: int) -> Compass:
    compass = _compasses(person).filter(pk=pk).first()
    if compass is None or not _readable(person, compass):
        access.deny()
    return compass


def principle_of(compass: Compass, pk: int) -> Principle:
    """One principle of this version (already access-checked through compass_for)."""
    found = next((p for p in compass.principles.all() if p.pk == pk), None)
    return found if found is not None else access.deny()


def rule_of(compass: Compass, pk: int) -> CompassRule:
    found = next((r for r in compass.rules.all() if r.pk == pk), None)
    return found if found is not None else access.deny()


def versions_for(person: Person) -> list[Compass]:
    return [c for c in Compass.objects.filter(municipality_id=person.municipality_id) if _readable(person, c)]


def has_acknowledged(person: Person, compass: Compass) -> bool:
    return Acknowledgement.objects.filter(compass=compass, person=person).exists()


def hearing_comments(person: Person, compass: Compass) -> list[HearingComment]:
    if not access.can_read_hearing(person):
        return []
    return list(compass.comments.select_related("author"))


@dataclass(frozen=True)
class DiffLine:
    left: str
    right: str
    changed: bool


def _lines(compass: Compass) -> list[str]:
    lines = [f"{p.headline}: {p.explanation}" for p in compass.principles.all()]
    lines += [
        f"{r.get_kind_display()}: {r.text}" + (f" ({r.example})" if r.example else "") for r in compass.rules.all()
    ]
    lines += [line for line in compass.ethics.splitlines() if line.strip()]
    return lines


def side_by_side(old: Compass, new: Compass) -> list[DiffLine]:
    """The two versions line by line (principles, rules, ethics), with what changed marked."""
    a, b = _lines(old), _lines(new)
    result: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            result += [DiffLine(line, line, False) for line in a[i1:i2]]
        else:
            left, right = a[i1:i2], b[j1:j2]
            for k in range(max(len(left), len(right))):
                result.append(DiffLine(left[k] if k < len(left) else "", right[k] if k < len(right) else "", True))
    return result


# --- Acknowledgement coverage ----------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    """One unit's row: its figures after suppression, and whether it has units under it to open."""

    unit: Unit
    depth: int
    values: tuple[object, ...]
    has_children: bool

    # What components/suppressed_table.html reads: the label, and a link that opens the unit.
    @property
    def label(self) -> str:
        return self.unit.name

    @property
    def url(self) -> str:
        return f"?enhed={self.unit.pk}" if self.depth and self.has_children else ""


@dataclass(frozen=True)
class Coverage:
    root: Unit
    rows: list[CoverageRow]
    k_min: int
    # The units from the top of the person's scope down to `root`, for the way back.
    above: list[Unit]

    @property
    def note_id(self) -> str:
        return f"coverage-note-{self.root.pk}"


def coverage_for(person: Person, compass: Compass, opened: str | None = None) -> list[Coverage]:
    """Share of people per unit who have acknowledged `compass`, for the units the person leads
    or holds MED/direktion in, through the suppression helper: a unit with fewer than K_MIN
    people shows "for få svar", and nobody is ever listed.

    A table is a unit and the units directly under it: the top of each of the person's scopes,
    or the unit `opened` (its id, in a scope) and the units under it. Suppression is decided
    over the scope's whole tree from `Unit.head_count` (`suppression.suppress_unit_tree`), so
    every view hides what the full table would; the acknowledgements are counted by the
    database for the units shown only (`core.queries.subtree_hits`). A fixed number of
    queries, the same as competence's coverage page does."""
    scopes = access.coverage_scopes(person)
    if not scopes:
        access.deny()
    tree = core_queries.scope_tree(person, scopes)
    children = tree.children
    if opened:
        target = tree.by_pk.get(int(opened)) if opened.isdigit() else None
        if target is None:
            access.deny()  # a unit outside the person's scopes answers as if it did not exist
        roots = [target]
    else:
        roots = tree.tops
    shown = [unit for root in roots for unit in [root, *children.get(root.pk, [])]]
    acknowledged = Acknowledgement.objects.filter(municipality_id=person.municipality_id, compass=compass)
    hits = core_queries.subtree_hits(person, shown, {"ack": acknowledged.values("person_id")})
    k_min = suppression.k_min_for(person.municipality)
    verdicts: dict[int, dict[str, suppression.Figure]] = {}
    result = []
    for root in roots:
        top = tree.top_of(root)
        if top.pk not in verdicts:
            verdicts[top.pk] = suppression.suppress_unit_tree(top, children, k_min)
        figures = verdicts[top.pk]
        rows = [
            _coverage_row(unit, depth, figures[str(unit.pk)], hits[unit.pk]["ack"], bool(children.get(unit.pk)))
            for unit, depth in [(root, 0), *((child, 1) for child in children.get(root.pk, []))]
        ]
        above = tree.trail(root)
        result.append(Coverage(root, rows, k_min, above))
    return result


def _coverage_row(unit: Unit, depth: int, figure: suppression.Figure, hits: int, has_children: bool) -> CoverageRow:
    if figure.suppressed:
        values: tuple[object, ...] = (suppression.SUPPRESSED, suppression.SUPPRESSED)
    elif not unit.head_count:
        values = (number_format(0, 0), "–")
    else:
        share = min(hits, unit.head_count) / unit.head_count
        values = (number_format(unit.head_count, 0), f"{number_format(share * 100, 0)}\u00a0%")
    return CoverageRow(unit, depth, values, has_children)


# --- Tools and data rules ---------------------------------------------------------------------


def tools_for(person: Person) -> list[Tool]:
    # What may be used comes first: a person looking for a tool should not meet the forbidden ones first.
    status_order = Case(
        When(status=Tool.Status.APPROVED, then=Value(0)),
        When(status=Tool.Status.REVIEW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(
        Tool.objects.filter(municipality_id=person.municipality_id)
        .order_by(status_order, "name", "pk")
        .select_related("tier")
        .prefetch_related(Prefetch("data_classes", queryset=DataClass.objects.order_by("sensitivity")))
    )


def tool_for(person: Person, pk: int) -> Tool:
    found = (
        Tool.objects.filter(municipality_id=person.municipality_id, pk=pk)
        .select_related("tier")
        .prefetch_related("data_classes")
        .first()
    )
    return found if found is not None else access.deny()


def tiers_of(person: Person) -> QuerySet[ToolTier]:
    return ToolTier.objects.filter(municipality_id=person.municipality_id)


def data_classes_of(person: Person) -> QuerySet[DataClass]:
    return DataClass.objects.filter(municipality_id=person.municipality_id)


def allowances_of(person: Person) -> dict[tuple[int, int], TierAllowance]:
    m = person.municipality_id
    return {
        (a.data_class_id, a.tool_tier_id): a
        for a in TierAllowance.objects.filter(
            municipality_id=m, data_class__municipality_id=m, tool_tier__municipality_id=m
        )
    }


def rules_versions(person: Person) -> list[RulesVersion]:
    return list(RulesVersion.objects.filter(municipality_id=person.municipality_id).select_related("changed_by"))


@dataclass(frozen=True)
class UseAnswer:
    tool: Tool
    data_class: DataClass
    answer: rules.Answer
    whom_to_ask: list[str]


def may_i_use(person: Person, tool: Tool, data_class: DataClass) -> UseAnswer:
    """ "Må jeg bruge X til Y?" for a tool and a data class of the person's municipality."""
    if not access.same_tenant(person, tool) or not access.same_tenant(person, data_class):
        access.deny()
    allowance = TierAllowance.objects.filter(
        municipality_id=person.municipality_id, data_class=data_class, tool_tier_id=tool.tier_id
    ).first()
    allowed_here = tool.data_classes.filter(pk=data_class.pk).exists()
    who = [name for name in (tool.professional_owner, tool.technical_owner) if name]
    return UseAnswer(tool, data_class, rules.answer(tool, allowed_here, allowance), who)


def search_tools(person: Person, text: str) -> list[Tool]:
    tools = Tool.objects.filter(municipality_id=person.municipality_id).select_related("tier")
    if text:
        tools = tools.filter(Q(name__icontains=text) | Q(vendor__icontains=text) | Q(purpose__icontains=text))
    return list(tools)


# --- Decision rights --------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRow:
    key: str
    name: str  # in the reader's language when it is a default name
    raw_name: str  # as stored, for the edit form
    scope: str
    scope_label: str
    parts: dict[str, str]  # role -> part value

    def cells(self, roles: Sequence[str]) -> list[str]:
        labels = dict(DecisionRight.Part.choices)
        return [str(labels[self.parts[r]]) if r in self.parts else "" for r in roles]

    def who(self, part: str) -> list[str]:
        return [str(Role(r).label) for r in Role.values if self.parts.get(r) == part]

    @property
    def by_part(self) -> list[tuple[str, list[str]]]:
        """(part label, role labels) for each of the four parts, for the readable page."""
        return [(str(label), self.who(value)) for value, label in DecisionRight.Part.choices]


DECISION_ROLES = [Role.EXECUTIVE, Role.LEADER, Role.IT, Role.MED, Role.LIGHTHOUSE, Role.EMPLOYEE]


def decision_rows(person: Person) -> list[AreaRow]:
    """The municipality's decision areas, or the defaults until it has changed any."""
    scope_labels = dict(DecisionArea.Scope.choices)
    areas = list(DecisionArea.objects.filter(municipality_id=person.municipality_id).prefetch_related("rights"))
    if areas:
        return [
            AreaRow(
                a.key,
                rules.area_label(a.name),
                a.name,
                a.scope,
                str(scope_labels[a.scope]),
                {r.role: r.part for r in a.rights.all()},
            )
            for a in areas
        ]
    return [
        AreaRow(
            d.key,
            rules.area_label(d.name),
            d.name,
            d.scope,
            str(scope_labels[d.scope]),
            {str(r): p for r, p in d.parts.items()},
        )
        for d in rules.DEFAULT_AREAS
    ]


def decision_row(person: Person, key: str) -> AreaRow:
    found = next((row for row in decision_rows(person) if row.key == key), None)
    return found if found is not None else access.deny()


# --- Concerns and wishes answered -------------------------------------------------------------

CONCERNS_PER_PAGE = 50
# The list to answer: each concern has its own form (opened on request), so a shorter page.
TO_ANSWER_PER_PAGE = 25


def _covering(paths: Sequence[str]) -> Q:
    """Concerns about the units at these materialised paths and every unit below them."""
    return under_paths(paths, "unit__path")


def _big_enough(person: Person, concerns: list[Concern]) -> list[Concern]:
    """Leave out concerns about a unit that has shrunk below K_MIN since (as the concern list
    does): its few people could be told apart."""
    k_min = suppression.k_min_for(person.municipality)
    return [c for c in concerns if enough_people(c.unit, k_min)]


@dataclass(frozen=True)
class ConcernPage:
    page: Page[Concern]
    concerns: list[Concern]


def concerns_to_answer(person: Person, page_number: str | None) -> ConcernPage:
    """Every concern the person reads (leaders, MED and direktion, for their units and below),
    the ones still waiting for an answer first, then newest date first, with its status and
    answer. Four queries, whatever the number."""
    scopes = access.concern_scopes(person)
    if not scopes:
        access.deny()
    # Within a date the order stays the anonymous shuffle (by_date_in_display_order's keys); the
    # status leads because it is shown anyway, and those who answer should meet the open ones first.
    answered_last = Case(
        When(answer__status=ConcernAnswer.Status.ANSWERED, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    concerns = (
        Concern.objects.filter(_covering(scopes), municipality_id=person.municipality_id, unit__is_active=True)
        .select_related("unit", "answer")
        .order_by(answered_last, "-created_on", "shuffle_key", "pk")
    )
    page = Paginator(concerns, TO_ANSWER_PER_PAGE).get_page(page_number)
    return ConcernPage(page, _big_enough(person, list(page.object_list)))


def answered_concerns(person: Person, page_number: str | None) -> ConcernPage:
    """The answered concerns everyone in a unit may read: those about their own units and the
    units above them, and, for leaders and MED, every unit they read. Newest answer first."""
    about_own_units = Q(unit__in=concern_units_for(person))
    concerns = (
        Concern.objects.filter(
            about_own_units | _covering(access.concern_scopes(person)),
            municipality_id=person.municipality_id,
            unit__is_active=True,
            answer__status=ConcernAnswer.Status.ANSWERED,
        )
        .select_related("unit", "answer")
        .order_by("-answer__answered_on", "shuffle_key", "pk")
    )
    page = Paginator(concerns, CONCERNS_PER_PAGE).get_page(page_number)
    return ConcernPage(page, _big_enough(person, list(page.object_list)))


def concern_to_answer(person: Person, pk: str) -> Concern:
    try:
        key = uuid.UUID(pk)
    except ValueError:
        access.deny()
    found = Concern.objects.filter(municipality_id=person.municipality_id, pk=key).select_related("unit").first()
    if found is None or not access.can_read_concerns(person, found.unit):
        access.deny()
    return found


def unanswered_count(person: Person) -> int:
    """For the home page: concerns in the person's units that have no answer yet. One query for
    those who read concerns (`core.queries.counts`, which skips the ORM's aggregation machinery),
    none for anyone else."""
    scopes = access.concern_scopes(person)
    if not scopes:
        return 0
    unanswered = Concern.objects.filter(
        _covering(scopes), municipality_id=person.municipality_id, unit__is_active=True
    ).exclude(answer__status=ConcernAnswer.Status.ANSWERED)
    return core_queries.counts(unanswered=unanswered)["unanswered"]


def tool_names(municipality_id: int) -> list[str]:
    """The names in the tool register, for the name check in anonymous texts (privacy.roster)."""
    return list(Tool.objects.filter(municipality_id=municipality_id).values_list("name", flat=True))

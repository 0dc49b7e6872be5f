"""Track 4's reads: access-checked, in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from forankring.core import access
from forankring.core import queries as core_queries
from forankring.core.models import (
    Membership,
    Person,
    ProfessionalArea,
    Role,
    RoleAssignment,
    Unit,
    ids_in_path,
    under_paths,
)
from forankring.direction import rules as direction_rules
from forankring.direction.models import Tool
from forankring.practice.models import UseCase
from forankring.privacy import suppression

from . import rules
from .actions import receipt_key
from .models import Pilot, PilotStatusChange, PulseAnswer

PER_PAGE = 20
PilotUnit = Pilot.units.through
S = Pilot.Status


def pilots_for(person: Person) -> QuerySet[Pilot]:
    """The municipality's pilots, newest first. Pilots are open to everyone in the municipality:
    learning from each other is the point."""
    return (
        Pilot.objects.filter(municipality_id=person.municipality_id)
        .select_related("use_case", "use_case__area", "leader")
        .order_by("-starts_on", "-pk")
    )


def _with_units(pilots: QuerySet[Pilot]) -> QuerySet[Pilot]:
    return pilots.prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("path")))


def _in_subtrees(paths: list[str]) -> Exists:
    """Pilots with a team in one of these subtrees: EXISTS, so no DISTINCT over a join."""
    return Exists(PilotUnit.objects.filter(under_paths(paths, "unit__path"), pilot_id=OuterRef("pk")))


# --- The landing page ---------------------------------------------------------------------------


@dataclass
class Landing:
    running: list[Pilot]
    waiting: list[Pilot]  # ideas the person may approve
    mine: list[Pilot]  # the person's own, not closed
    pulses_due: list[Pilot]
    counts: dict[str, int] = field(default_factory=dict)


LANDING_LIMIT = 8


def landing(person: Person) -> Landing:
    pilots = _with_units(pilots_for(person))
    roles = direction_rules.who_decides(person.municipality, "approve_pilot")
    paths = access.deciding_paths(person, roles)
    waiting = list(pilots.filter(_in_subtrees(paths), status=S.IDEA)[:LANDING_LIMIT]) if paths else []
    counts = dict(
        Pilot.objects.filter(municipality_id=person.municipality_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Landing(
        running=list(pilots.filter(status=S.RUNNING)[:LANDING_LIMIT]),
        waiting=waiting,
        mine=list(pilots.filter(Q(leader=person) | Q(created_by=person)).exclude(status=S.CLOSED)[:LANDING_LIMIT]),
        pulses_due=pulses_due(person),
        counts={status: counts.get(status, 0) for status in S.values},
    )


# --- The list -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PilotFilter:
    status: str = ""
    area: int | None = None
    unit: Unit | None = None


def pilots_page(person: Person, f: PilotFilter, page_number: str | int | None) -> Page[Pilot]:
    pilots = _with_units(pilots_for(person))
    if f.status in S.values:
        pilots = pilots.filter(status=f.status)
    if f.area:
        pilots = pilots.filter(use_case__area_id=f.area)
    if f.unit is not None:
        pilots = pilots.filter(_in_subtrees([f.unit.path]))
    return Paginator(pilots, PER_PAGE).get_page(page_number)


def areas(person: Person) -> QuerySet[ProfessionalArea]:
    return ProfessionalArea.objects.filter(municipality_id=person.municipality_id).order_by("name", "pk")


# --- One pilot ----------------------------------------------------------------------------------


def get_pilot_for(person: Person, pk: int) -> Pilot:
    pilot = (
        _with_units(pilots_for(person))
        .select_related("approved_by", "created_by")
        .prefetch_related(
            "data_classes",
            Prefetch("tools", queryset=pilot_tools()),
            Prefetch(
                "history", queryset=PilotStatusChange.objects.select_related("decided_by").order_by("decided_at", "pk")
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if pilot is None:
        access.deny()
    return pilot


def pilot_tools() -> QuerySet[Tool]:

    return Tool.objects.select_related("tier").prefetch_related("data_classes").order_by("name", "pk")


def flags_for(pilot: Pilot) -> list[rules.practice_rules.Flag]:
    """Track 1's answer for the pilot's tools and data that is not a plain yes: one query more
    (the pilot's tools and data classes are prefetched)."""
    from forankring.practice import rules as practice_rules

    tools = list(pilot.tools.all())
    return practice_rules.flags_for(
        tools, list(pilot.data_classes.all()), practice_rules.allowances_for(pilot.municipality_id)
    )


def is_in_team(person: Person, pilot: Pilot) -> bool:
    """The team: people placed in the pilot's teams (or below them), and the responsible leader."""
    if not person.is_active or person.municipality_id != pilot.municipality_id:
        return False
    if person.pk == pilot.leader_id:
        return True
    return is_participant(person, pilot)


def is_participant(person: Person, pilot: Pilot) -> bool:
    """Who gives the pulse: people placed in the pilot's teams or below them (the leader only if placed there)."""
    if not person.is_active or person.municipality_id != pilot.municipality_id:
        return False
    covering = under_paths((unit.path for unit in pilot.units.all()), "unit__path")
    return Membership.objects.filter(covering, municipality_id=pilot.municipality_id, person=person).exists()


def get_running_pilot_for_pulse(person: Person, pk: int) -> Pilot:
    """A running pilot the person takes part in; anything else is missing."""
    pilot = (
        _with_units(Pilot.objects.filter(municipality_id=person.municipality_id, status=S.RUNNING))
        .filter(pk=pk)
        .first()
    )
    if pilot is None or not is_participant(person, pilot):
        access.deny()
    return pilot


def has_answered(person: Person, pilot: Pilot, today: datetime.date | None = None) -> bool:
    from .models import PulseReceipt

    week = rules.week_of(today or timezone.localdate())
    key = receipt_key(person=person, pilot=pilot, week=week)
    return PulseReceipt.objects.filter(municipality_id=person.municipality_id, key=key).exists()


# --- Choices for the form -------------------------------------------------------------------------


def proposer_paths(person: Person) -> list[str]:
    """Where the person may put teams into a pilot (the unit picker's scope)."""
    return access.pilot_proposer_paths(person)


def use_case_choices(person: Person) -> QuerySet[UseCase]:
    """Use cases a pilot can try: not stopped, not already in operation."""
    return (
        UseCase.objects.filter(municipality_id=person.municipality_id)
        .exclude(status__in=[UseCase.Status.STOPPED, UseCase.Status.OPERATION])
        .select_related("area")
        .order_by("title", "pk")
    )


# A use-case search shows at most this many matches; the person narrows the search for more.
USE_CASE_SEARCH_LIMIT = 20


def search_use_cases(person: Person, text: str) -> tuple[list[UseCase], bool]:
    """Use cases a pilot can try whose task contains `text`, at most USE_CASE_SEARCH_LIMIT, and
    whether there were more. Nothing without a search: a large municipality has hundreds, and
    a `<select>` of every one of them was most of the proposal page. One query."""
    text = text.strip()
    if not text:
        return [], False
    found = list(use_case_choices(person).filter(title__icontains=text)[: USE_CASE_SEARCH_LIMIT + 1])
    return found[:USE_CASE_SEARCH_LIMIT], len(found) > USE_CASE_SEARCH_LIMIT


def use_case_choice(person: Person, value: object) -> UseCase | None:
    """The use case chosen (an id as sent), if the person's pilot may try it. One query."""
    text = str(value)
    if not text.isdigit():
        return None
    return use_case_choices(person).filter(pk=int(text)).first()


def leader_choices(person: Person, units: list[Unit]) -> QuerySet[Person]:
    """People who lead one of `units` (hold the leader role in it or above it), the person first
    among equals when they are one of them. One query."""
    ids: set[int] = set()
    for unit in units:
        ids.update(ids_in_path(unit.path))
    leads = RoleAssignment.objects.filter(
        municipality_id=person.municipality_id, role=Role.LEADER, unit_id__in=ids, person=OuterRef("pk")
    )
    return (
        Person.objects.filter(municipality_id=person.municipality_id, is_active=True)
        .filter(Exists(leads))
        .order_by("name", "pk")
    )


# --- "Det venter på dig": pulses due this week ---------------------------------------------------

PULSE_DUE_LIMIT = 5


def pulses_due(person: Person, today: datetime.date | None = None) -> list[Pilot]:
    """Running pilots the person takes part in and has not answered this week: the pilots, then
    (if there are any) the receipts, whatever the data. The person's places come from
    `core.queries.placements`, which the home page has already read; a pilot covers a person
    placed in one of its teams or below, so its team is one of the units on the person's paths.
    Only the title is read: it is all the home page and the landing page show."""
    if not person.is_active:
        return []
    ids: set[int] = set()
    for path in core_queries.placement_paths(person):
        ids.update(ids_in_path(path))
    if not ids:
        return []
    covering = Exists(PilotUnit.objects.filter(pilot_id=OuterRef("pk"), unit_id__in=ids))
    pilots = list(
        Pilot.objects.filter(covering, municipality_id=person.municipality_id, status=S.RUNNING)
        .only("pk", "title")
        .order_by("ends_on", "pk")[: PULSE_DUE_LIMIT * 2]
    )
    if not pilots:
        return []
    from .models import PulseReceipt

    week = rules.week_of(today or timezone.localdate())
    keys = {receipt_key(person=person, pilot=p, week=week): p for p in pilots}
    done = set(
        PulseReceipt.objects.filter(municipality_id=person.municipality_id, key__in=list(keys)).values_list(
            "key", flat=True
        )
    )
    return [p for key, p in keys.items() if key not in done][:PULSE_DUE_LIMIT]


# --- Pulse results --------------------------------------------------------------------------------


@dataclass
class WeekResult:
    week: datetime.date
    n: int
    average: float | None
    distribution: list[tuple[int, int]]  # (score, count) for 1..5
    easier: list[str]
    harder: list[str]


@dataclass
class PulseResults:
    team: bool  # the team's own view (everything) or the suppressed view for everyone else
    weeks: list[WeekResult]
    rows: list[suppression.TableRow]
    k_min: int
    columns: list[str] = field(default_factory=list)


def pulse_results(person: Person, pilot: Pilot) -> PulseResults | None:
    """The pulse per week. The team sees its own answers: average, distribution and the texts.
    Everyone else sees only the figures of weeks with enough answers (the suppression helper),
    never the texts. Two queries for the team, one for everyone else."""
    if pilot.status in (S.IDEA, S.APPROVED):
        return None
    k_min = suppression.k_min_for(pilot.municipality)
    counts = list(
        PulseAnswer.objects.filter(municipality_id=pilot.municipality_id, pulse__pilot=pilot)
        .values_list("week", "score")
        .annotate(n=Count("pk"))
        .order_by("week", "score")
    )
    by_week: dict[datetime.date, dict[int, int]] = defaultdict(dict)
    for week, score, n in counts:
        by_week[week][score] = n
    team = is_in_team(person, pilot)
    if not team:
        children = [
            suppression.Group(
                key=week.isoformat(),
                label=_week_label(week),
                n=sum(scores.values()),
                total=float(sum(s * n for s, n in scores.items())),
            )
            for week, scores in sorted(by_week.items())
        ]
        root = suppression.Group(
            key="all",
            label=str(_("Alle uger")),
            n=sum(c.n for c in children),
            total=sum(c.total or 0 for c in children),
            children=children,
        )
        figures = suppression.suppress_tree(root, k_min=k_min)
        columns = [_("Uge"), _("Svar"), _("Gennemsnit (1–5)")]
        return PulseResults(False, [], suppression.table_rows(figures.tree, ("n", "mean")), k_min, columns)
    texts: dict[datetime.date, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    answers = (
        PulseAnswer.objects.filter(municipality_id=pilot.municipality_id, pulse__pilot=pilot)
        .exclude(easier="", harder="")
        .in_display_order()
        .values_list("week", "easier", "harder")
    )
    for week, easier, harder in answers:
        if easier:
            texts[week][0].append(easier)
        if harder:
            texts[week][1].append(harder)
    weeks = []
    for week, scores in sorted(by_week.items(), reverse=True):
        n = sum(scores.values())
        weeks.append(
            WeekResult(
                week=week,
                n=n,
                average=sum(s * c for s, c in scores.items()) / n if n else None,
                distribution=[(s, scores.get(s, 0)) for s in (1, 2, 3, 4, 5)],
                easier=texts[week][0],
                harder=texts[week][1],
            )
        )
    return PulseResults(True, weeks, [], k_min)


def _week_label(week: datetime.date) -> str:
    return _("Uge %(week)d, %(year)d") % {"week": week.isocalendar()[1], "year": week.isocalendar()[0]}

"""Every read track 2's pages need, access-checked and with the joins they need, so a page's
query count does not grow with the data."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from forankring.core import access, tracks
from forankring.core import queries as core_queries
from forankring.core.models import Membership, Person, ProfessionalArea, RoleAssignment, Unit, ids_in_path
from forankring.direction.models import FocusArea, Tool

from . import rules
from .models import (
    CENTRE_DEPTH,
    AnonymousIdea,
    CentreFocusArea,
    Idea,
    IdeaStatus,
    Lighthouse,
    LighthouseQuestion,
    StatusChange,
    TeamNote,
    UseCase,
    UseCaseUnit,
    ValueType,
)

PER_PAGE = 20
# An idea without an answer after this many days shows for the leader on the home page.
IDEA_ANSWER_DAYS = 14


# --- Units ----------------------------------------------------------------------------------


def own_units(person: Person) -> list[Unit]:
    """The units a person works in or leads: where they may register or join a use case. Never
    every unit of the municipality (a large municipality has thousands). The placements are read
    once per request (`core.queries.placements`) and the roles come with the person, so this
    costs at most one query: the units of the person's writer roles, by their indexed paths
    (a join over memberships and role assignments read the whole municipality's)."""
    units = {m.unit.pk: m.unit for m in core_queries.placements(person) if m.unit.is_active}
    writer_paths = set(access.use_case_writer_paths(person)) - {unit.path for unit in units.values()}
    if writer_paths:
        held = Unit.objects.filter(municipality_id=person.municipality_id, is_active=True, path__in=writer_paths)
        units.update((unit.pk, unit) for unit in held)
    return sorted(units.values(), key=lambda unit: unit.path)


def idea_units(person: Person) -> list[Unit]:
    """Where a person may point to a workflow: their own units and the units above them."""
    ids: set[int] = set()
    for unit in own_units(person):
        ids.update(unit.path_ids())
    return list(Unit.objects.filter(municipality_id=person.municipality_id, pk__in=ids).order_by("path"))


def centres_led_by(person: Person) -> list[Unit]:
    """The centres whose focus areas the person chooses (a municipality has a handful)."""
    centres = Unit.objects.filter(municipality_id=person.municipality_id, depth=CENTRE_DEPTH, is_active=True)
    return [unit for unit in centres.order_by("path") if access.can_edit_centre_focus(person, unit)]


# --- Focus areas ----------------------------------------------------------------------------


def centre_focus_areas(person: Person) -> list[CentreFocusArea]:
    return list(
        CentreFocusArea.objects.filter(municipality_id=person.municipality_id)
        .select_related("unit", "strategic")
        .annotate(use_case_count=Count("use_cases"))
        .order_by("unit__path", "created_at", "pk")
    )


def strategic_focus_areas(person: Person) -> QuerySet[FocusArea]:
    return FocusArea.objects.filter(municipality_id=person.municipality_id)


def get_centre_focus_area_for(person: Person, pk: int) -> CentreFocusArea:
    area = CentreFocusArea.objects.filter(municipality_id=person.municipality_id, pk=pk).select_related("unit").first()
    if area is None:
        access.deny()
    return area


# --- Use cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UseCaseFilter:
    q: str = ""
    area: int | None = None
    unit: int | None = None
    status: str = ""
    value: str = ""
    tool: int | None = None


def use_cases_page(person: Person, f: UseCaseFilter, page_number: str | int | None) -> Page[UseCase]:
    rows = UseCase.objects.filter(municipality_id=person.municipality_id)
    if f.q:
        for word in f.q.split()[:6]:
            rows = rows.filter(Q(title__icontains=word) | Q(today__icontains=word) | Q(ai_help__icontains=word))
    if f.area:
        rows = rows.filter(area_id=f.area)
    if f.unit:
        rows = rows.filter(Q(unit_id=f.unit) | Q(joined__unit_id=f.unit))
    if f.status in UseCase.Status.values:
        rows = rows.filter(status=f.status)
    if f.value in ValueType.values:
        rows = rows.filter(value_types__key=f.value)
    if f.tool:
        rows = rows.filter(tools__id=f.tool)
    if f.unit or f.value or f.tool:
        rows = rows.distinct()
    rows = (
        rows.select_related("area", "unit")
        .prefetch_related(
            "value_types", "tools", Prefetch("joined", queryset=UseCaseUnit.objects.select_related("unit"))
        )
        .order_by("-updated_at", "-pk")
    )
    return Paginator(rows, PER_PAGE).get_page(page_number)


def professional_areas(person: Person) -> list[ProfessionalArea]:
    """The municipality's professional areas (a few dozen), for a filter."""
    return list(ProfessionalArea.objects.filter(municipality_id=person.municipality_id))


def filter_choices(person: Person) -> dict[str, object]:
    """The filters' options: areas and tools of the municipality (a few dozen), and the person's
    own units (never every unit)."""
    return {
        "areas": professional_areas(person),
        "tools": list(Tool.objects.filter(municipality_id=person.municipality_id).only("pk", "name")),
        "units": own_units(person),
    }


def get_use_case_for(person: Person, pk: int) -> UseCase:
    use_case = (
        UseCase.objects.filter(municipality_id=person.municipality_id, pk=pk)
        .select_related("area", "unit", "focus_area", "created_by", "idea", "anonymous_idea")
        .prefetch_related(
            "value_types",
            "data_classes",
            Prefetch("tools", queryset=Tool.objects.select_related("tier").prefetch_related("data_classes")),
            Prefetch("joined", queryset=UseCaseUnit.objects.select_related("unit")),
            Prefetch("history", queryset=StatusChange.objects.select_related("decided_by")),
        )
        .first()
    )
    if use_case is None:
        access.deny()
    return use_case


def flags_for(use_case: UseCase) -> list[rules.Flag]:
    return rules.flags_for(
        list(use_case.tools.all()), list(use_case.data_classes.all()), rules.allowances_for(use_case.municipality_id)
    )


def similar_use_cases(person: Person, title: str, *, exclude: int | None = None, limit: int = 5) -> list[UseCase]:
    """Use cases whose title shares a longer word with `title`: enough to catch "Skrive referat"
    against "Referater fra teammøder" without a search engine."""
    words = [w for w in title.lower().replace(",", " ").split() if len(w) >= 5][:6]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition |= Q(title__icontains=word[:7])
    rows = UseCase.objects.filter(condition, municipality_id=person.municipality_id).select_related("unit")
    if exclude:
        rows = rows.exclude(pk=exclude)
    return list(rows.order_by("-updated_at", "-pk")[:limit])


def is_following(person: Person, use_case: UseCase) -> bool:
    return use_case.followers.filter(pk=person.pk).exists()


# --- Ideas ----------------------------------------------------------------------------------


def ideas_page(person: Person, page_number: str | int | None, *, status: str = "") -> Page[Idea]:
    """Named ideas in the municipality, newest first. Everyone may read them: pointing to a
    workflow is meant to be seen, and the answers are the official ones."""
    rows = Idea.objects.filter(municipality_id=person.municipality_id)
    if status in IdeaStatus.values:
        rows = rows.filter(status=status)
    rows = rows.select_related("unit", "proposer").order_by("-created_at", "-pk")
    return Paginator(rows, PER_PAGE).get_page(page_number)


def anonymous_ideas_page(person: Person, page_number: str | int | None, *, status: str = "") -> Page[AnonymousIdea]:
    rows = AnonymousIdea.objects.filter(municipality_id=person.municipality_id)
    if status in IdeaStatus.values:
        rows = rows.filter(status=status)
    return Paginator(rows.select_related("unit").by_date_in_display_order(), PER_PAGE).get_page(page_number)


def get_idea_for(person: Person, pk: int) -> Idea:
    idea = (
        Idea.objects.filter(municipality_id=person.municipality_id, pk=pk)
        .select_related("unit", "proposer", "answered_by")
        .first()
    )
    if idea is None:
        access.deny()
    return idea


def get_anonymous_idea_for(person: Person, pk: uuid.UUID) -> AnonymousIdea:
    idea = AnonymousIdea.objects.filter(municipality_id=person.municipality_id, pk=pk).select_related("unit").first()
    if idea is None:
        access.deny()
    return idea


def waiting_counts(person: Person, now: datetime.datetime | None = None) -> dict[str, int]:
    """For "Det venter på dig", in one query (`core.queries.counts`): how many named and
    anonymous ideas in the units the person leads have waited longer than IDEA_ANSWER_DAYS, and,
    for a lighthouse, how many questions wait for their answer. No query for anyone who is
    neither leader nor lighthouse, so most people pay nothing for it."""
    now = now or timezone.now()
    figures: dict[str, QuerySet[Any]] = {}
    paths = access.led_paths(person)
    if paths:
        in_units = Q()
        for path in paths:
            in_units |= Q(unit__path__startswith=path)
        figures["named"] = Idea.objects.filter(
            in_units,
            municipality_id=person.municipality_id,
            status=IdeaStatus.NEW,
            created_at__lt=now - datetime.timedelta(days=IDEA_ANSWER_DAYS),
        )
        figures["anonymous"] = AnonymousIdea.objects.filter(
            in_units,
            municipality_id=person.municipality_id,
            status=IdeaStatus.NEW,
            created_on__lt=timezone.localdate(now) - datetime.timedelta(days=IDEA_ANSWER_DAYS),
        )
    if access.is_lighthouse(person):
        figures["questions"] = LighthouseQuestion.objects.filter(
            municipality_id=person.municipality_id, lighthouse__person=person, answered_at__isnull=True
        )
    found = core_queries.counts(**figures)
    return {name: found.get(name, 0) for name in ("named", "anonymous", "questions")}


# --- Lighthouses ----------------------------------------------------------------------------


def _lighthouses_of_active_people(person: Person) -> QuerySet[Lighthouse]:
    """The municipality's lighthouses whose person is still active. Asked per lighthouse by the
    person's primary key (a scalar subquery, which PostgreSQL does not turn into a join): as a
    join, it reads every person of the municipality to find the few hundred appointed."""
    active = Subquery(Person.objects.filter(pk=OuterRef("person_id")).order_by().values("is_active")[:1])
    return Lighthouse.objects.filter(municipality_id=person.municipality_id).alias(active=active).filter(active=True)


def lighthouses_page(person: Person, page_number: str | int | None, *, area: int | None = None) -> Page[Lighthouse]:
    rows = _lighthouses_of_active_people(person)
    if area:
        rows = rows.filter(area_id=area)
    rows = rows.select_related("person", "unit", "area").order_by("area__name", "unit__path", "pk")
    return Paginator(rows, PER_PAGE).get_page(page_number)


def appointable_people(person: Person) -> QuerySet[Person]:
    """Colleagues in the units the person works in or leads (never the whole municipality)."""
    return (
        Person.objects.filter(
            municipality_id=person.municipality_id,
            is_active=True,
            memberships__unit__in=[u.pk for u in own_units(person)],
        )
        .distinct()
        .order_by("name", "pk")
    )


def get_lighthouse_for(person: Person, pk: int) -> Lighthouse:
    lighthouse = (
        Lighthouse.objects.filter(municipality_id=person.municipality_id, pk=pk)
        .select_related("unit", "person")
        .first()
    )
    if lighthouse is None:
        access.deny()
    return lighthouse


def get_lighthouse_to_remove(person: Person, pk: int) -> tuple[Lighthouse, int]:
    """An appointment the person may end, with how many questions to it are still unanswered
    (their askers are told when it ends). Anyone else gets 404, as for a missing one."""
    from . import actions

    lighthouse = get_lighthouse_for(person, pk)
    if not actions.may_end_lighthouse(person, lighthouse):
        access.deny()
    unanswered = LighthouseQuestion.objects.filter(
        municipality_id=person.municipality_id, lighthouse=lighthouse, answered_at__isnull=True
    ).count()
    return lighthouse, unanswered


def get_lighthouse_to_ask(person: Person, pk: int) -> Lighthouse:
    """A lighthouse anyone in the municipality may ask (an active person's appointment)."""
    lighthouse = (
        Lighthouse.objects.filter(municipality_id=person.municipality_id, pk=pk, person__is_active=True)
        .select_related("person", "unit", "area")
        .first()
    )
    if lighthouse is None:
        access.deny()
    return lighthouse


def questions_to_me(person: Person, page_number: str | int | None) -> Page[LighthouseQuestion]:
    """The questions to the person's appointments as lighthouse, the unanswered first."""
    rows = (
        LighthouseQuestion.objects.filter(municipality_id=person.municipality_id, lighthouse__person=person)
        .select_related("asker", "lighthouse__area", "lighthouse__unit")
        .order_by(F("answered_at").asc(nulls_first=True), "-asked_at", "-pk")
    )
    return Paginator(rows, PER_PAGE).get_page(page_number)


def my_questions(person: Person, page_number: str | int | None) -> Page[LighthouseQuestion]:
    """The questions the person has asked, newest first."""
    rows = (
        LighthouseQuestion.objects.filter(municipality_id=person.municipality_id, asker=person)
        .select_related("lighthouse__person", "lighthouse__area", "lighthouse__unit")
        .order_by("-asked_at", "-pk")
    )
    return Paginator(rows, PER_PAGE).get_page(page_number)


def get_question_for(person: Person, pk: int) -> LighthouseQuestion:
    """A question, for its asker and its lighthouse only: to anyone else it does not exist."""
    question = (
        LighthouseQuestion.objects.filter(municipality_id=person.municipality_id, pk=pk)
        .filter(Q(asker=person) | Q(lighthouse__person=person))
        .select_related("asker", "lighthouse__person", "lighthouse__area", "lighthouse__unit")
        .first()
    )
    if question is None:
        access.deny()
    return question


# How many lighthouses "Sådan arbejder vi med AI" shows: the person's nearest, then a link.
PANEL_LIGHTHOUSES = 8


def nearest_lighthouses(person: Person) -> list[Lighthouse]:
    """The lighthouses of the person's own units and the units above them, nearest first. Two
    queries, whatever the size of the municipality.

    The units are those of `own_units`, read by `IN` subqueries on the person's placements and
    roles: "Sådan arbejder vi med AI" is everyone's page, and own_units' joins over every
    membership cost a large municipality 40 times the demo's time."""
    writer_roles = RoleAssignment.objects.filter(person=person, role__in=access.USE_CASE_WRITERS).values("unit_id")
    own_paths = Unit.objects.filter(
        Q(pk__in=Membership.objects.filter(person=person).values("unit_id")) | Q(pk__in=writer_roles),
        municipality_id=person.municipality_id,
        is_active=True,
    ).values_list("path", flat=True)
    ids: set[int] = set()
    for path in own_paths:
        ids.update(ids_in_path(path))
    if not ids:
        return []
    return list(
        Lighthouse.objects.filter(municipality_id=person.municipality_id, unit_id__in=ids, person__is_active=True)
        .select_related("person", "unit", "area")
        .order_by("-unit__depth", "area__name", "pk")[:PANEL_LIGHTHOUSES]
    )


# --- The team's AI item ---------------------------------------------------------------------

# A team whose leader has written no note for this many weeks shows on the leader's home page.
AI_ITEM_WEEKS = 6


def my_teams(person: Person) -> list[Unit]:
    """The units a person is in or leads directly, where the AI item is held."""
    return own_units(person)


def get_team_for(person: Person, pk: int) -> Unit:
    unit = Unit.objects.filter(municipality_id=person.municipality_id, pk=pk).first()
    if unit is None or not access.can_see_team(person, unit):
        access.deny()
    return unit


@dataclass(frozen=True)
class MeetingKit:
    unit: Unit
    stage: str
    questions: list[str]
    open_ideas: list[Idea]
    use_cases: list[UseCase]
    last_note: TeamNote | None
    # Other tracks' sections (core.tracks.register_team_kit_section): running pilots, learnings, ...
    sections: list[tracks.Panel]


def meeting_kit(person: Person, unit: Unit) -> MeetingKit:
    """What the team talks about at its AI item, from the team's own data."""
    from .kit import questions_for, stage_of

    in_unit = Q(unit=unit) | Q(joined__unit=unit)
    use_cases = list(
        UseCase.objects.filter(in_unit, municipality_id=person.municipality_id)
        .distinct()
        .select_related("area")
        .order_by("-updated_at", "-pk")[:10]
    )
    open_ideas = list(
        Idea.objects.filter(
            municipality_id=person.municipality_id, unit=unit, status__in=[IdeaStatus.NEW, IdeaStatus.EXPLORING]
        ).order_by("-created_at", "-pk")[:10]
    )
    stage = stage_of([uc.status for uc in use_cases])
    last = TeamNote.objects.filter(municipality_id=person.municipality_id, unit=unit).first()
    sections = tracks.team_kit_sections(person, unit)
    return MeetingKit(unit, stage, questions_for(stage), open_ideas, use_cases, last, sections)


def team_notes(person: Person, unit: Unit) -> list[TeamNote]:
    return list(
        TeamNote.objects.filter(municipality_id=person.municipality_id, unit=unit).select_related("written_by")[:20]
    )


def teams_without_ai_item(person: Person, today: datetime.date | None = None) -> list[Unit]:
    """Units the person leads directly, at team level or below, with no note for AI_ITEM_WEEKS.
    One query, whatever the data; none for anyone who leads nothing at that level (a unit's
    depth is the length of its path, so the role paths tell). Only the id and the name are
    read, which is all "Det venter på dig" shows."""
    team_ids = [ids[-1] for ids in map(ids_in_path, access.led_paths(person)) if len(ids) - 1 > CENTRE_DEPTH + 1]
    if not team_ids:
        return []
    today = today or timezone.localdate()
    recent_note = TeamNote.objects.filter(
        municipality_id=person.municipality_id,
        unit=OuterRef("pk"),
        held_on__gte=today - datetime.timedelta(weeks=AI_ITEM_WEEKS),
    )
    return list(
        Unit.objects.filter(~Exists(recent_note), municipality_id=person.municipality_id, pk__in=team_ids)
        .order_by("path")
        .only("pk", "name")
    )

"""Every read track 3's pages need: access-checked, tenant-filtered, a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from forankring.core import access
from forankring.core import queries as core_queries
from forankring.core.models import Membership, Person, Role, Unit, under_paths
from forankring.direction.models import Tool
from forankring.privacy import suppression

from .defaults import ensure_default_levels
from .models import (
    Activity,
    CompetenceSettings,
    LearningPath,
    Level,
    PathStep,
    Prompt,
    Record,
    Session,
    Signup,
    UsefulMark,
)
from .useful import useful_key

REGISTER_PER_PAGE = 50
SESSIONS_ON_INDEX = 8


def today() -> datetime.date:
    return timezone.localdate()


# --- Settings and levels ----------------------------------------------------------------------


def leaders_see_mandatory(person: Person) -> bool:
    return CompetenceSettings.objects.filter(
        municipality_id=person.municipality_id, leaders_see_mandatory=True
    ).exists()


def settings_of(person: Person) -> CompetenceSettings | None:
    """The municipality's settings row for this track; None while the defaults hold."""
    return CompetenceSettings.objects.filter(municipality_id=person.municipality_id).first()


def levels_for(person: Person) -> list[Level]:
    levels = list(Level.objects.filter(municipality_id=person.municipality_id))
    if not levels:
        ensure_default_levels(person.municipality)
        levels = list(Level.objects.filter(municipality_id=person.municipality_id))
    return levels


def get_level_for(person: Person, pk: int) -> Level:
    found = Level.objects.filter(municipality_id=person.municipality_id, pk=pk).first()
    return found if found is not None else access.deny()


# --- Activities and sessions -----------------------------------------------------------------


def _activities(person: Person) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(municipality_id=person.municipality_id)
        .select_related("level")
        .prefetch_related("areas", Prefetch("tools", queryset=Tool.objects.order_by("name")))
    )


def activities_for(
    person: Person, *, level: int | None = None, form: str = "", area: int | None = None
) -> list[Activity]:
    found = _activities(person)
    if not access.can_manage_learning(person):
        found = found.filter(is_active=True)
    if level:
        found = found.filter(level_id=level)
    if form:
        found = found.filter(form=form)
    if area:
        # An activity with no areas is for every area.
        found = found.filter(Q(areas=area) | Q(areas__isnull=True)).distinct()
    return list(found)


def get_activity_for(person: Person, pk: int) -> Activity:
    found = _activities(person).filter(pk=pk).first()
    if found is None or not access.can_see_activity(person, is_active=found.is_active):
        access.deny()
    return found


def _signups_counted(status: str) -> Coalesce:
    counted = (
        Signup.objects.filter(session=OuterRef("pk"), status=status)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def _with_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    # A count per session row rather than a join grouped over every session's sign-ups: the
    # landing page takes the next few sessions of many, and only those are counted.
    return sessions.select_related("activity", "host").annotate(
        seats_taken=_signups_counted(Signup.Status.SEAT), waiting=_signups_counted(Signup.Status.WAITING)
    )


def sessions_of(person: Person, activity: Activity) -> list[Session]:
    return list(_with_counts(Session.objects.filter(municipality_id=person.municipality_id, activity=activity)))


def upcoming_sessions(person: Person, limit: int = SESSIONS_ON_INDEX) -> list[Session]:
    found = Session.objects.filter(
        municipality_id=person.municipality_id,
        starts_at__gt=timezone.now(),
        activity__is_active=True,
        cancelled_at__isnull=True,
    )
    return list(_with_counts(found).order_by("starts_at", "pk")[:limit])


def mark_my_status(person: Person, sessions: list[Session]) -> list[Session]:
    """Sets `my_status` ("seat", "waiting" or "") on each session: one query for them all (the
    person's places on coming sessions, asked even for an empty list so the count stays fixed)."""
    mine = dict(
        Signup.objects.filter(
            municipality_id=person.municipality_id,
            person=person,
            status__in=[Signup.Status.SEAT, Signup.Status.WAITING],
            session__starts_at__gt=timezone.now(),
        ).values_list("session_id", "status")
    )
    for session in sessions:
        session.my_status = mine.get(session.pk, "")  # type: ignore[attr-defined]
    return sessions


def get_session_for(person: Person, pk: int) -> Session:
    found = _with_counts(Session.objects.filter(municipality_id=person.municipality_id, pk=pk)).first()
    return found if found is not None else access.deny()


def signup_of(person: Person, session: Session) -> Signup | None:
    return Signup.objects.filter(session=session, person=person).first()


def waiting_position(signup: Signup) -> int:
    """1 for the first in the waiting list."""
    return (
        Signup.objects.filter(session_id=signup.session_id, status=Signup.Status.WAITING)
        .filter(Q(queued_at__lt=signup.queued_at) | Q(queued_at=signup.queued_at, pk__lt=signup.pk))
        .count()
        + 1
    )


@dataclass(frozen=True)
class Roster:
    seats: list[Signup]
    waiting: list[Signup]
    registered: set[int]


def roster_for(person: Person, session: Session) -> Roster | None:
    """Who has a seat and who waits, for the person who runs the session; None for others."""
    if not access.can_register_attendance(person, session.host_id):
        return None
    signups = list(
        Signup.objects.filter(session=session, status__in=[Signup.Status.SEAT, Signup.Status.WAITING])
        .select_related("person")
        .order_by("queued_at", "pk")
    )
    registered = set(Record.objects.filter(session=session).values_list("person_id", flat=True))
    return Roster(
        seats=[s for s in signups if s.status == Signup.Status.SEAT],
        waiting=[s for s in signups if s.status == Signup.Status.WAITING],
        registered=registered,
    )


# --- The person's own page ---------------------------------------------------------------------


def my_records(person: Person) -> list[Record]:
    return list(
        Record.objects.filter(municipality_id=person.municipality_id, person=person).select_related(
            "activity__level", "session"
        )
    )


def my_signups(person: Person) -> list[Signup]:
    return list(
        Signup.objects.filter(
            municipality_id=person.municipality_id,
            person=person,
            status__in=[Signup.Status.SEAT, Signup.Status.WAITING],
            session__ends_at__gt=timezone.now(),
        )
        .select_related("session__activity")
        .order_by("session__starts_at", "pk")
    )


def current_activity_ids(person: Person, on: datetime.date | None = None) -> set[int]:
    """Activities the person has completed and need no refresh yet."""
    on = on or today()
    return set(
        Record.objects.filter(municipality_id=person.municipality_id, person=person)
        .filter(Q(next_refresh__isnull=True) | Q(next_refresh__gte=on))
        .values_list("activity_id", flat=True)
    )


# --- The AI-literacy register ---------------------------------------------------------------------


REGISTER_HEADER = (
    "Navn",
    "Medarbejdernummer",
    "Enhed",
    "Stilling",
    "Roller",
    "Værktøjer",
    "Modul",
    "Version",
    "Niveau",
    "Form",
    "Gennemført",
    "Næste genopfriskning",
    "Registreret",
    "Dokumentation",
)


def _register(person: Person) -> QuerySet[Record]:
    if not access.can_read_register(person):
        access.deny()
    return (
        # The person's municipality too (always the record's): with it the database walks
        # `person_name_order_idx` in name order and stops after a page, instead of sorting every record.
        Record.objects.filter(municipality_id=person.municipality_id, person__municipality_id=person.municipality_id)
        .select_related("person", "activity__level")
        .prefetch_related(
            Prefetch("activity__tools", queryset=Tool.objects.order_by("name")),
            Prefetch("person__memberships", queryset=Membership.objects.select_related("unit").order_by("unit__path")),
            "person__role_assignments",
        )
        .order_by("person__name", "person_id", "-completed_on", "pk")
    )


@dataclass(frozen=True)
class RegisterLine:
    record: Record
    units: str
    job_titles: str
    roles: str
    tools: str


def _line(record: Record) -> RegisterLine:
    memberships = list(record.person.memberships.all())
    role_names = dict(Role.choices)
    roles = sorted({str(role_names.get(a.role, a.role)) for a in record.person.role_assignments.all()})
    return RegisterLine(
        record=record,
        units=", ".join(m.unit.name for m in memberships),
        job_titles=", ".join(sorted({m.job_title for m in memberships if m.job_title})),
        roles=", ".join(roles),
        tools=", ".join(t.name for t in record.activity.tools.all()),
    )


def register_page(person: Person, page_number: str | int | None) -> tuple[Page[Record], list[RegisterLine]]:
    paginator = Paginator(_register(person), REGISTER_PER_PAGE)
    # Counted without the join to people that only the order needs (the same rows: a record's
    # person is always in its municipality).
    paginator.__dict__["count"] = Record.objects.filter(municipality_id=person.municipality_id).count()
    page = paginator.get_page(page_number)
    return page, [_line(r) for r in page.object_list]


def register_rows(person: Person) -> Iterator[Sequence[object]]:
    """The whole register, header first, as the export writes it; read in batches."""
    records = _register(person)
    yield REGISTER_HEADER
    for record in records.iterator(chunk_size=500):
        line = _line(record)
        yield (
            record.person.name,
            record.person.employee_id,
            line.units,
            line.job_titles,
            line.roles,
            line.tools,
            record.activity.title,
            record.version,
            record.activity.level.name,
            str(record.activity.get_form_display()),
            record.completed_on.isoformat(),
            record.next_refresh.isoformat() if record.next_refresh else "",
            str(record.get_source_display()),
            record.evidence,
        )


# --- Coverage, always suppressed ---------------------------------------------------------------


@dataclass(frozen=True)
class CoverageTable:
    root: Unit
    columns: list[str]
    rows: list[suppression.TableRow]
    k_min: int
    kind: str

    @property
    def note_id(self) -> str:
        return f"coverage-{self.kind}-{self.root.pk}"

    @property
    def headings(self) -> list[str]:
        return [_("Enhed"), _("Personer"), *self.columns]


@dataclass(frozen=True)
class CoverageFamily:
    """A unit shown with the units directly under it; `openable` are those of them with units
    below that the reader may open next."""

    unit: Unit
    by_level: CoverageTable
    by_tool: CoverageTable | None
    openable: list[Unit]


@dataclass(frozen=True)
class CoverageView:
    families: list[CoverageFamily]
    # The opened unit's way up to the top of the reader's scope (empty on the first view).
    trail: list[Unit]
    opened: Unit | None
    has_tools: bool


def _row(
    unit: Unit, depth: int, figure: suppression.Figure, hits: dict[str, int], keys: list[str]
) -> suppression.TableRow:
    if figure.suppressed or not figure.n:
        values: tuple[object, ...] = (
            figure.n if not figure.suppressed else suppression.SUPPRESSED,
            *(suppression.SUPPRESSED if figure.suppressed else "–" for _key in keys),
        )
    else:
        n = unit.head_count
        values = (
            number_format(n, 0),
            *(f"{number_format(round(hits[key] * 100 / n), 0)}\u00a0%" for key in keys),
        )
    return suppression.TableRow(figure.label, depth, values)


def _in_force_records(person: Person) -> QuerySet[Record]:
    return Record.objects.filter(_in_force(today()), municipality_id=person.municipality_id)


def _tool_requirements(person: Person) -> tuple[list[Tool], dict[int, set[int]]]:
    """Approved tools, and for each the active activities that teach it (all are needed)."""
    tools = list(Tool.objects.filter(municipality_id=person.municipality_id, status=Tool.Status.APPROVED))
    needs: dict[int, set[int]] = {t.pk: set() for t in tools}
    through = Activity.tools.through
    for activity_id, tool_id in through.objects.filter(
        activity__municipality_id=person.municipality_id, activity__is_active=True, tool__in=tools
    ).values_list("activity_id", "tool_id"):
        needs[tool_id].add(activity_id)
    return tools, needs


def coverage_for(person: Person, unit: int | None = None) -> CoverageView:
    """Per unit: the share of its people with training in force at each level, and the share
    trained for each approved tool that has required training. Never a list of people.

    Shows the top of each of the reader's scopes with the units directly under it, or, when
    `unit` is given, that unit (in a scope) with the units under it: the figures are counted by
    the database for those units only (`core.queries.subtree_hits`). Suppression is decided
    over the scope's whole tree, as the full table would. A fixed number of queries."""
    scopes = access.competence_coverage_scopes(person)
    if not scopes:
        access.deny()
    tree = core_queries.scope_tree(person, scopes)
    children = tree.children
    if unit is not None:
        opened = tree.by_pk.get(unit)
        if opened is None:
            access.deny()
        roots = [opened]
    else:
        opened = None
        roots = tree.tops
    trail = tree.trail(opened) if opened is not None else []

    # Columns: a set of people per level and per tool, each read by the database once.
    records = _in_force_records(person)
    level_sets = [
        (level.display_name, f"level_{level.pk}", records.filter(activity__level_id=level.pk).values("person_id"))
        for level in levels_for(person)
    ]
    tools, needs = _tool_requirements(person)
    tool_sets = [
        (
            tool.name,
            f"tool_{tool.pk}",
            records.filter(activity_id__in=needs[tool.pk])
            .values("person_id")
            .annotate(done=Count("activity_id", distinct=True))
            .filter(done=len(needs[tool.pk]))
            .values("person_id"),
        )
        for tool in tools
        if needs[tool.pk]
    ]
    shown = [u for root in roots for u in [root, *children.get(root.pk, [])]]
    hits = core_queries.subtree_hits(person, shown, {key: ids for _label, key, ids in [*level_sets, *tool_sets]})

    k_min = suppression.k_min_for(person.municipality)
    families = []
    for root in roots:
        top = tree.top_of(root)
        figures = suppression.suppress_unit_tree(top, children, k_min)
        members = [(root, 0), *((child, 1) for child in children.get(root.pk, []))]

        def table(columns: Sequence[tuple[str, str, QuerySet[Any, Any]]], kind: str) -> CoverageTable:
            keys = [key for _label, key, _ids in columns]
            rows = [_row(u, depth, figures[str(u.pk)], hits[u.pk], keys) for u, depth in members]  # noqa: B023
            return CoverageTable(root, [label for label, _key, _ids in columns], rows, k_min, kind)  # noqa: B023

        families.append(
            CoverageFamily(
                unit=root,
                by_level=table(level_sets, "level"),
                by_tool=table(tool_sets, "tool") if tool_sets else None,
                openable=[child for child in children.get(root.pk, []) if children.get(child.pk)],
            )
        )
    return CoverageView(families, trail, opened, bool(tool_sets))


# --- Training per tool -----------------------------------------------------------------------


@dataclass(frozen=True)
class ToolTraining:
    tool: Tool
    activities: list[Activity]
    done: list[bool]

    @property
    def ready(self) -> bool:
        return all(self.done)

    @property
    def pairs(self) -> list[tuple[Activity, bool]]:
        return list(zip(self.activities, self.done, strict=True))


def tool_training_for(person: Person) -> list[ToolTraining]:
    """Each approved tool: the activities a person needs before using it, and which they have."""
    tools, needs = _tool_requirements(person)
    activities = {a.pk: a for a in _activities(person).filter(is_active=True)}
    mine = current_activity_ids(person)
    result = []
    for tool in tools:
        needed = sorted((activities[pk] for pk in needs[tool.pk] if pk in activities), key=lambda a: a.title)
        result.append(ToolTraining(tool, needed, [a.pk in mine for a in needed]))
    return result


# --- Mandatory training: individuals, only when switched on --------------------------------------


MISSING_PER_PAGE = 25


@dataclass(frozen=True)
class MandatoryActivity:
    activity: Activity
    missing: int


@dataclass(frozen=True)
class MissingMandatory:
    """The mandatory activities with how many lack each, and for the chosen one a page of the
    people who lack it (by name). A municipality of 45,000 people is never listed at once."""

    activities: list[MandatoryActivity]
    people: int
    chosen: MandatoryActivity | None
    page: Page[Person] | None

    @property
    def page_query(self) -> str:
        """The query string that keeps the chosen activity while paging."""
        return f"aktivitet={self.chosen.activity.pk}" if self.chosen else ""


def _in_force(on: datetime.date) -> Q:
    return Q(next_refresh__isnull=True) | Q(next_refresh__gte=on)


def mandatory_for(
    person: Person, *, activity: int | None = None, page_number: str | int | None = None
) -> MissingMandatory:
    """For each mandatory activity, how many in the units the person leads have no record in
    force, and who for the chosen activity (the first unless `activity` names another). Only
    when the municipality has switched it on; administrators always. Three queries whatever
    the size: the activities, the counts, one page of names (ordered by `person_name_order_idx`)."""
    scopes = access.mandatory_scopes(person, switched_on=leaders_see_mandatory(person))
    if not scopes:
        access.deny()
    placed = Membership.objects.filter(
        under_paths(scopes, "unit__path"),
        municipality_id=person.municipality_id,
        person=OuterRef("pk"),
        unit__is_active=True,
    )
    # EXISTS rather than a join: a person placed in two units is one person, without DISTINCT.
    staff = Person.objects.filter(municipality_id=person.municipality_id, is_active=True).filter(Exists(placed))
    on = today()

    def done(activity_id: int) -> QuerySet[Record, Any]:
        return Record.objects.filter(
            _in_force(on), municipality_id=person.municipality_id, activity_id=activity_id
        ).values("person_id")

    def missing(activity_id: int) -> QuerySet[Person]:
        return staff.exclude(pk__in=done(activity_id))

    mandatory = list(
        Activity.objects.filter(municipality_id=person.municipality_id, mandatory=True, is_active=True).order_by(
            "level__position", "title", "pk"
        )
    )
    # One pass over the staff: each activity's people with the training are read once (a
    # hashed set in PostgreSQL), not looked up person by person.
    figures = staff.aggregate(
        people=Count("pk"), **{f"missing_{a.pk}": Count("pk", filter=~Q(pk__in=done(a.pk))) for a in mandatory}
    )
    rows = [MandatoryActivity(a, figures[f"missing_{a.pk}"]) for a in mandatory]
    chosen = next((row for row in rows if row.activity.pk == activity), rows[0] if rows else None)
    page = None
    if chosen is not None:
        paginator = Paginator(missing(chosen.activity.pk).order_by("name", "pk"), MISSING_PER_PAGE)
        # The count is already known from `figures`: the paginator need not ask again.
        paginator.__dict__["count"] = chosen.missing
        page = paginator.get_page(page_number)
    return MissingMandatory(rows, figures["people"], chosen, page)


# --- Learning paths -------------------------------------------------------------------------


@dataclass(frozen=True)
class PathView:
    role: str
    label: str
    path: LearningPath | None
    steps: list[PathStep]
    done: list[bool]

    @property
    def pairs(self) -> list[tuple[PathStep, bool]]:
        return list(zip(self.steps, self.done, strict=True))


def paths_for(person: Person) -> list[PathView]:
    paths = {p.role: p for p in LearningPath.objects.filter(municipality_id=person.municipality_id)}
    # The steps read on their own, not prefetched: a prefetch is skipped when there are no
    # paths, and the page would then cost one query less than with them.
    steps_of: dict[int, list[PathStep]] = {}
    for step in PathStep.objects.filter(municipality_id=person.municipality_id).select_related("activity__level"):
        steps_of.setdefault(step.path_id, []).append(step)
    mine = current_activity_ids(person)
    result = []
    for role, label in LearningPath.For.choices:
        path = paths.get(role)
        steps = steps_of.get(path.pk, []) if path else []
        result.append(PathView(role, str(label), path, steps, [s.activity_id in mine for s in steps]))
    return result


def get_step_for(person: Person, pk: int) -> PathStep:
    found = PathStep.objects.filter(municipality_id=person.municipality_id, pk=pk).select_related("path").first()
    return found if found is not None else access.deny()


# --- Prompt library ------------------------------------------------------------------------


PROMPTS_PER_PAGE = 25
PENDING_SHOWN = 25


def prompts_for(
    person: Person, *, area: int | None = None, tier: int | None = None, page_number: str | int | None = None
) -> Page[Prompt]:
    """One page of the approved prompts (a large municipality has hundreds)."""
    found = Prompt.objects.filter(municipality_id=person.municipality_id, status=Prompt.Status.APPROVED)
    if area:
        found = found.filter(area_id=area)
    if tier:
        found = found.filter(tier_id=tier)
    ordered = found.select_related("area", "tier").order_by("area__name", "task", "title", "pk")
    page = Paginator(ordered, PROMPTS_PER_PAGE).get_page(page_number)
    # Read the page even when nothing matches, so the page costs the same queries either way.
    start = (page.number - 1) * PROMPTS_PER_PAGE
    page.object_list = list(ordered[start : start + PROMPTS_PER_PAGE])
    return page


def pending_prompts_for(person: Person) -> tuple[list[Prompt], bool]:
    """Proposals waiting for a decision, oldest first: for lighthouses, leaders and
    administrators, and each person's own proposals. At most PENDING_SHOWN, and whether there
    are more (the oldest are decided first, then the next ones show)."""
    found = Prompt.objects.filter(municipality_id=person.municipality_id, status=Prompt.Status.PROPOSED)
    if not access.can_decide_prompts(person):
        found = found.filter(proposed_by=person)
    shown = list(found.select_related("area", "tier").order_by("created_at", "pk")[: PENDING_SHOWN + 1])
    return shown[:PENDING_SHOWN], len(shown) > PENDING_SHOWN


def get_prompt_for(person: Person, pk: int) -> Prompt:
    """An approved prompt is everyone's; a proposal is its author's and the deciders'."""
    found = Prompt.objects.filter(municipality_id=person.municipality_id, pk=pk).select_related("area", "tier").first()
    if found is None:
        access.deny()
    approved = found.status == Prompt.Status.APPROVED
    if not access.can_see_prompt(person, approved=approved, proposed_by_id=found.proposed_by_id):
        access.deny()
    return found


def has_marked_useful(person: Person, prompt: Prompt) -> bool:
    """Only the person can ask this about themself: the key needs their id and the secret."""
    return UsefulMark.objects.filter(
        municipality_id=person.municipality_id, key=useful_key(person=person, prompt=prompt)
    ).exists()

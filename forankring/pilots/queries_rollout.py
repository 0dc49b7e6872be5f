"""Reads for rollouts: the list, one rollout, its readiness check drawn from tracks 1–3, the
30-day plan and the unit's count of "one concrete problem" (suppressed).

Every function filters by the person's municipality and makes a fixed number of queries,
whatever the size of the organisation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from forankring.competence.models import Activity, Record
from forankring.core import access
from forankring.core.models import Membership, Person, Role, RoleAssignment, Unit
from forankring.direction import rules as direction_rules
from forankring.direction.models import Tool
from forankring.practice.models import UseCase, UseCaseUnit
from forankring.privacy import suppression
from forankring.privacy.models import TierAllowance

from .models import ConcreteProblem, Pilot, Rollout, RolloutWeek
from .models.rollout import PLAN_WEEKS, ROLLOUT_DAYS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Track 1's decision area for starting a rollout (see access.can_start_rollout).
DECISION_AREA = "scale_or_stop"
ROLLOUTS_PER_PAGE = 25
# The closing note is asked for when the four weeks are over; the 30 days end two days later.
CLOSING_DAY = 7 * PLAN_WEEKS
# A pilot that can be scaled: closed with the decision "scale". At most this many are offered.
PILOT_CHOICES = 200
# Use cases shown as the rollout's concrete tasks.
TASKS_SHOWN = 10


@dataclass(frozen=True)
class WeekPrompt:
    title: StrOrPromise
    text: StrOrPromise


# What the owner does each week, in the order the seed gives: leaders show the way, the tasks
# become concrete, barriers are removed, and the gains are shared and decided on.
PLAN: tuple[WeekPrompt, ...] = (
    WeekPrompt(
        gettext_lazy("Vis vejen selv"),
        gettext_lazy(
            "Brug værktøjet sammen med teamet på en rigtig opgave fra jeres hverdag, fx på et personalemøde. "
            "Vis både det, der virker, og det, du selv skulle rette i svaret. Gennemgå kort, hvilke oplysninger "
            "der ikke må skrives ind."
        ),
    ),
    WeekPrompt(
        gettext_lazy("Hver sit konkrete problem"),
        gettext_lazy(
            "Bed hver medarbejder om at vælge én konkret opgave, de vil løse med værktøjet, og skrive den under "
            "»Mit ene konkrete problem«. Hjælp dem, der ikke kan komme på en, fx ud fra enhedens anvendelser."
        ),
    ),
    WeekPrompt(
        gettext_lazy("Følg op og fjern forhindringer"),
        gettext_lazy(
            "Tag en kort snak på teammødet: hvad driller, og hvad har virket? Få hjælp fra et fyrtårn eller IT "
            "til det, der står i vejen, og sørg for, at ingen sidder fast alene."
        ),
    ),
    WeekPrompt(
        gettext_lazy("Del gevinsterne og beslut"),
        gettext_lazy(
            "Lad medarbejderne vise hinanden, hvad de har løst. Beslut sammen, hvad I fortsætter med, og skriv "
            "afslutningsnoten om gevinster og barrierer, så andre enheder kan lære af jer."
        ),
    ),
)


def deciding_roles(person: Person) -> list[str]:
    return direction_rules.who_decides(person.municipality, DECISION_AREA)


def rollouts_for(person: Person) -> QuerySet[Rollout]:
    """The municipality's rollouts, newest first. Open to everyone in the municipality, like the
    pilots: a unit learns from how others took a tool into use."""
    return Rollout.objects.filter(municipality_id=person.municipality_id).select_related("tool", "unit", "owner")


def rollout_page(person: Person, page_number: str | None) -> Page[Rollout]:
    return Paginator(rollouts_for(person).order_by("-starts_on", "-pk"), ROLLOUTS_PER_PAGE).get_page(page_number)


def get_rollout_for(person: Person, pk: int) -> Rollout:
    rollout = rollouts_for(person).select_related("pilot").filter(pk=pk).first()
    if rollout is None:
        access.deny()
    return rollout


def pilot_rollouts(person: Person, pilot: Pilot) -> dict[str, object] | None:
    """For the page of a pilot decided "scale": the rollouts that spread it, and whether the
    person may start one. Nothing (and no query) for any other pilot."""
    if pilot.decision != Pilot.Decision.SCALE:
        return None
    return {
        "rollouts": list(rollouts_for(person).filter(pilot=pilot).order_by("starts_on", "pk")),
        "can_start": access.can_start_rollout(person, deciding_roles(person)),
    }


def approved_tools(person: Person) -> QuerySet[Tool]:
    return Tool.objects.filter(municipality_id=person.municipality_id, status=Tool.Status.APPROVED).order_by(
        "name", "pk"
    )


def scalable_pilots(person: Person) -> QuerySet[Pilot]:
    """Closed pilots whose decision was to scale: the ones a rollout can carry on."""
    ids = Pilot.objects.filter(
        municipality_id=person.municipality_id, status=Pilot.Status.CLOSED, decision=Pilot.Decision.SCALE
    ).order_by("-ends_on", "-pk")[:PILOT_CHOICES]
    return Pilot.objects.filter(pk__in=list(ids.values_list("pk", flat=True))).order_by("-ends_on", "-pk")


def owner_candidates(rollout: Rollout) -> QuerySet[Person]:
    """The leaders of the rollout's unit and of the units above it (any of them may own it)."""
    leads_here = RoleAssignment.objects.filter(
        municipality_id=rollout.municipality_id,
        person=OuterRef("pk"),
        role=Role.LEADER,
        unit_id__in=rollout.unit.path_ids(),
    )
    return Person.objects.filter(municipality_id=rollout.municipality_id, is_active=True).filter(Exists(leads_here))


def is_member(person: Person, unit: Unit) -> bool:
    """Works in the unit or in a unit below it (HR's memberships, not roles)."""
    return Membership.objects.filter(
        municipality_id=person.municipality_id, person=person, unit__path__startswith=unit.path
    ).exists()


# --- The 30 days -------------------------------------------------------------------------


def day_of(rollout: Rollout, today: datetime.date) -> int:
    """Days since the start: 0 on the first day, negative before it."""
    return (today - rollout.starts_on).days


def current_week(rollout: Rollout, today: datetime.date) -> int:
    """1–4 while the plan runs, 0 before the start and after the four weeks."""
    day = day_of(rollout, today)
    return day // 7 + 1 if 0 <= day < CLOSING_DAY else 0


def week_starts(rollout: Rollout, week: int) -> datetime.date:
    return rollout.starts_on + datetime.timedelta(days=7 * (week - 1))


def closing_due(rollout: Rollout, today: datetime.date) -> bool:
    return rollout.closed_at is None and day_of(rollout, today) >= CLOSING_DAY


def may_close(rollout: Rollout, today: datetime.date) -> bool:
    """The closing note can be written from the last week on."""
    return rollout.closed_at is None and day_of(rollout, today) >= 7 * (PLAN_WEEKS - 1)


def ends_on(rollout: Rollout) -> datetime.date:
    return rollout.starts_on + datetime.timedelta(days=ROLLOUT_DAYS - 1)


@dataclass(frozen=True)
class PlanWeek:
    number: int
    prompt: WeekPrompt
    starts_on: datetime.date
    done: RolloutWeek | None
    is_current: bool
    has_started: bool


def plan(rollout: Rollout, today: datetime.date) -> list[PlanWeek]:
    """The four weeks with their prompt and whether the owner has ticked them off. One query."""
    done = {w.week: w for w in RolloutWeek.objects.filter(municipality_id=rollout.municipality_id, rollout=rollout)}
    now = current_week(rollout, today)
    return [
        PlanWeek(
            number=n,
            prompt=PLAN[n - 1],
            starts_on=week_starts(rollout, n),
            done=done.get(n),
            is_current=n == now,
            has_started=week_starts(rollout, n) <= today,
        )
        for n in range(1, PLAN_WEEKS + 1)
    ]


def status_label(rollout: Rollout, today: datetime.date) -> str:
    if rollout.closed_at is not None:
        return _("Afsluttet")
    if day_of(rollout, today) < 0:
        return _("Planlagt")
    if closing_due(rollout, today):
        return _("Afslutningsnoten mangler")
    return _("Uge %(week)d af %(weeks)d") % {"week": current_week(rollout, today), "weeks": PLAN_WEEKS}


# --- The readiness check -------------------------------------------------------------------


@dataclass(frozen=True)
class Fix:
    label: str
    url: str


@dataclass
class Check:
    key: str
    title: str
    ok: bool
    explanation: str  # what the check looks at, always shown
    missing: str = ""  # what is missing, when not ok
    fixes: list[Fix] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


@dataclass
class Readiness:
    checks: list[Check]
    tasks: list[UseCase]

    @property
    def ready(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def missing(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]


def _unit_leader_ids(rollout: Rollout) -> set[int]:
    """The leaders of the unit itself (not of the units above it), plus the owner."""
    ids = set(
        Person.objects.filter(
            municipality_id=rollout.municipality_id,
            is_active=True,
            role_assignments__role=Role.LEADER,
            role_assignments__unit=rollout.unit,
        ).values_list("pk", flat=True)
    )
    if rollout.owner_id is not None and rollout.owner is not None and rollout.owner.is_active:
        ids.add(rollout.owner_id)
    return ids


def _leaders_check(rollout: Rollout, person: Person, today: datetime.date) -> Check:
    """(a) The unit's leaders have tried the tool themselves: each has a current record (not past
    its refresh date) of an active learning activity that teaches this very tool (track 3's
    "required training" for it). A general leader course does not count: the seed asks for
    hands-on experience with the tool before it is rolled out."""
    explanation = _(
        "Lederne i enheden (og ejeren af de 30 dage) har selv prøvet værktøjet: de har gennemført en "
        "læringsaktivitet, der lærer at bruge netop dette værktøj, og den er ikke udløbet."
    )
    title = _("Lederne har prøvet værktøjet først")
    leaders = _unit_leader_ids(rollout)
    activities = list(
        Activity.objects.filter(municipality_id=rollout.municipality_id, tools=rollout.tool, is_active=True)
        .order_by("title", "pk")
        .values_list("pk", "title")
    )
    fixes = [
        Fix(_("Tilmeld dig »%(title)s«") % {"title": title_}, reverse("competence:activity_detail", args=[pk]))
        for pk, title_ in activities[:3]
    ]
    if not leaders:
        return Check(
            "leaders",
            title,
            False,
            explanation,
            _("Enheden har ingen leder registreret, og der er ikke valgt en ejer."),
            [Fix(_("Vælg en leder som ejer"), reverse("pilots:rollout_owner", args=[rollout.pk]))],
        )
    if not activities:
        return Check(
            "leaders",
            title,
            False,
            explanation,
            _("Der er ingen læringsaktivitet, der lærer at bruge værktøjet. Den skal laves i kompetenceudviklingen."),
            [Fix(_("Se læringsaktiviteterne"), reverse("competence:activities"))],
        )
    trained = set(
        Record.objects.filter(
            municipality_id=rollout.municipality_id,
            person_id__in=leaders,
            activity_id__in=[pk for pk, _title in activities],
        )
        .filter(Q(next_refresh__isnull=True) | Q(next_refresh__gte=today))
        .values_list("person_id", flat=True)
    )
    lacking = len(leaders - trained)
    details = [
        ngettext(
            "%(trained)d af %(total)d leder har gennemført træningen.",
            "%(trained)d af %(total)d ledere har gennemført træningen.",
            len(leaders),
        )
        % {"trained": len(leaders & trained), "total": len(leaders)}
    ]
    if person.pk in leaders:
        details.append(_("Du har selv gennemført den.") if person.pk in trained else _("Du mangler selv træningen."))
    if not lacking:
        return Check("leaders", title, True, explanation, details=details)
    missing = ngettext(
        "%(count)d leder mangler at have prøvet værktøjet i en læringsaktivitet.",
        "%(count)d ledere mangler at have prøvet værktøjet i en læringsaktivitet.",
        lacking,
    ) % {"count": lacking}
    return Check("leaders", title, False, explanation, missing, fixes, details)


def _tasks(rollout: Rollout) -> list[UseCase]:
    """(b) Use cases owned or joined by the unit or a unit above it, with the tool, in pilot or
    operation. Two queries (the use cases and their data classes)."""
    path_ids = rollout.unit.path_ids()
    joined = UseCaseUnit.objects.filter(use_case=OuterRef("pk"), unit_id__in=path_ids)
    return list(
        UseCase.objects.filter(
            municipality_id=rollout.municipality_id,
            tools=rollout.tool,
            status__in=[UseCase.Status.PILOT, UseCase.Status.OPERATION],
        )
        .filter(Q(unit_id__in=path_ids) | Exists(joined))
        .prefetch_related("data_classes")
        .order_by("title", "pk")[:TASKS_SHOWN]
    )


def _tasks_check(rollout: Rollout, tasks: list[UseCase]) -> Check:
    title = _("Konkrete opgaver er fundet")
    explanation = _(
        "Enheden (eller en enhed over den) ejer eller er med i mindst én anvendelse med værktøjet, som er i "
        "afprøvning eller i drift."
    )
    if tasks:
        return Check("tasks", title, True, explanation, details=[t.title for t in tasks])
    return Check(
        "tasks",
        title,
        False,
        explanation,
        _("Der er ingen anvendelse med værktøjet i afprøvning eller drift for enheden."),
        [
            Fix(_("Beskriv en anvendelse"), reverse("practice:use_case_new")),
            Fix(_("Find en anvendelse, enheden kan være med i"), reverse("practice:use_cases")),
        ],
    )


def _owner_check(rollout: Rollout) -> Check:
    title = _("En navngiven leder ejer de 30 dage")
    explanation = _("En leder i enheden (eller over den) har påtaget sig at drive adoptionen de første 30 dage.")
    fix = [Fix(_("Vælg ejer"), reverse("pilots:rollout_owner", args=[rollout.pk]))]
    owner = rollout.owner
    if owner is None or not owner.is_active:
        return Check("owner", title, False, explanation, _("Der er ikke valgt en ejer."), fix)
    if not access.can_lead_rollout(owner, rollout.unit):
        return Check("owner", title, False, explanation, _("Ejeren er ikke længere leder i enheden. Vælg en ny."), fix)
    return Check("owner", title, True, explanation, details=[owner.name])


def _data_check(rollout: Rollout, tasks: list[UseCase]) -> Check:
    """(d) Track 1's rules: the tool is approved, and every kind of data the tasks use may go
    into it. "Only if" passes, with the condition shown: the rules allow it on that condition."""
    tool = rollout.tool
    title = _("Værktøjet er tilladt til de data, opgaverne bruger")
    explanation = _(
        "Værktøjet er godkendt i værktøjsregistret, og datareglerne tillader de slags data, som "
        "enhedens opgaver bruger."
    )
    fixes = [
        Fix(_("Se værktøjet i registret"), reverse("direction:tool_detail", args=[tool.pk])),
        Fix(_("Må jeg bruge …?"), reverse("direction:may_i_use")),
    ]
    classes = {dc.pk: dc for task in tasks for dc in task.data_classes.all()}
    allowed_here = set(tool.data_classes.values_list("pk", flat=True))
    allowances = {
        a.data_class_id: a
        for a in TierAllowance.objects.filter(
            municipality_id=rollout.municipality_id, tool_tier_id=tool.tier_id, data_class_id__in=list(classes)
        )
    }
    refused, conditions = [], []
    for pk, data_class in sorted(classes.items(), key=lambda item: (item[1].sensitivity, item[0])):
        answer = direction_rules.answer(tool, pk in allowed_here, allowances.get(pk))
        name = data_class.localized("name")
        if answer.state == direction_rules.NO:
            refused.append(_("%(data)s: %(reason)s") % {"data": name, "reason": answer.reason})
        elif answer.state == direction_rules.ONLY_IF:
            conditions.append(_("%(data)s – kun hvis: %(condition)s") % {"data": name, "condition": answer.example})
    if tool.status != Tool.Status.APPROVED:
        reason = direction_rules.answer(tool, False, None).reason
        return Check("data", title, False, explanation, reason, fixes[:1])
    if refused:
        return Check("data", title, False, explanation, _("Reglerne tillader ikke alle data:"), fixes, refused)
    if not classes:
        return Check(
            "data", title, True, explanation, details=[_("Værktøjet er godkendt. Opgaverne nævner ingen data.")]
        )
    return Check("data", title, True, explanation, details=conditions or [_("Alle opgavernes data er tilladt.")])


def readiness(rollout: Rollout, person: Person, today: datetime.date | None = None) -> Readiness:
    """Ready, or exactly what is missing and where to fix it. At most nine queries."""
    today = today or timezone.localdate()
    tasks = _tasks(rollout)
    return Readiness(
        checks=[
            _leaders_check(rollout, person, today),
            _tasks_check(rollout, tasks),
            _owner_check(rollout),
            _data_check(rollout, tasks),
        ],
        tasks=tasks,
    )


# --- "Mit ene konkrete problem" -------------------------------------------------------------


def own_problem(person: Person, rollout: Rollout) -> ConcreteProblem | None:
    """The person's own problem for this rollout; the only read of the text there is."""
    problem = ConcreteProblem.objects.filter(
        municipality_id=person.municipality_id, rollout=rollout, person=person
    ).first()
    if problem is not None and not access.can_read_concrete_problem(person, problem.person_id):
        access.deny()
    return problem


@dataclass(frozen=True)
class ProblemCount:
    noted: int | object  # a number, or suppression.SUPPRESSED
    percent_solved: int | None  # None when suppressed or nobody has noted one
    k_min: int

    @property
    def suppressed(self) -> bool:
        return self.noted is suppression.SUPPRESSED


def problem_count(person: Person, rollout: Rollout) -> ProblemCount:
    """How many in the unit have noted their problem, and the share solved: shown only when at
    least k_min have noted one (the privacy app's suppression helper). One query."""
    rows = ConcreteProblem.objects.filter(
        municipality_id=rollout.municipality_id, rollout=rollout, person__is_active=True
    ).values_list("solved", flat=True)
    solved = list(rows)
    group = suppression.Group("noted", "", n=len(solved), hits=sum(1 for s in solved if s))
    k_min = suppression.k_min_for(person.municipality)
    figure = suppression.suppress_counts(group, k_min).tree[0]
    share = figure.share if isinstance(figure.share, float) else None
    return ProblemCount(figure.n, round(share * 100) if share is not None else None, k_min)

"""Builders for test data. They write through the ORM directly (the actions are what tests test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from forankring.competence.defaults import ensure_default_levels
from forankring.competence.models import Activity, Level, Prompt, Session
from forankring.core.models import Membership, Municipality, Person, ProfessionalArea, Role, RoleAssignment, Unit
from forankring.core.orgsync import refresh_head_counts
from forankring.direction.models import Compass, CompassRule, FocusArea, Principle, Tool
from forankring.notifications.models import Notification
from forankring.practice.models import AnonymousIdea, Idea, Lighthouse, LighthouseQuestion, UseCase
from forankring.privacy.data_classes import ensure_default_data_classes
from forankring.privacy.models import DataClass, ToolTier

PASSWORD = "test-password-123"


def make_unit(municipality: Municipality, name: str, parent: Unit | None = None) -> Unit:
    return Unit.objects.create_in_tree(municipality=municipality, name=name, parent=parent)


def make_person(
    municipality: Municipality,
    name: str,
    *,
    unit: Unit | None = None,
    roles: list[tuple[Role, Unit]] | None = None,
    username: str | None = None,
    leader: bool = False,
    employee_id: str = "",
    area: ProfessionalArea | None = None,
) -> Person:
    user: User | None = None
    if username:
        user = User.objects.create_user(username=username, password=PASSWORD)
    person = Person.objects.create(
        municipality=municipality,
        name=name,
        user=user,
        employee_id=employee_id,
        email=f"{username or 'x'}@test.example",
    )
    if unit is not None:
        Membership.objects.create(
            municipality=municipality,
            person=person,
            unit=unit,
            is_leader=leader,
            job_title="Tester",
            professional_area=area,
        )
        RoleAssignment.objects.create(municipality=municipality, person=person, role=Role.EMPLOYEE, unit=unit)
        if leader:
            RoleAssignment.objects.create(municipality=municipality, person=person, role=Role.LEADER, unit=unit)
        # As the import does: whoever writes memberships keeps the head counts.
        refresh_head_counts(municipality.pk)
    for role, scope in roles or []:
        RoleAssignment.objects.create(municipality=municipality, person=person, role=role, unit=scope)
    return person


@dataclass
class Personas:
    """One person for every role in "Testkommune", plus an outsider from "Andenkommune"."""

    municipality: Municipality
    other_municipality: Municipality
    root: Unit
    centre: Unit
    institution: Unit
    team: Unit
    other_team: Unit
    other_root: Unit
    people: dict[str, Person] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Person:
        try:
            return self.__dict__["people"][name]
        except KeyError:
            raise AttributeError(name) from None


PERSONA_NAMES = [
    "executive",
    "centre_chief",
    "team_leader",
    "employee",
    "lighthouse",
    "it",
    "med",
    "facilitator",
    "admin",
    "outsider",
]


def build_personas() -> Personas:
    m = Municipality.objects.create(name="Testkommune", slug="test")
    other = Municipality.objects.create(name="Andenkommune", slug="anden")
    area = ProfessionalArea.objects.create(municipality=m, name="Dagtilbud")
    root = make_unit(m, "Direktionen")
    centre = make_unit(m, "Center for Dagtilbud", root)
    institution = make_unit(m, "Børnehuset Mælkebøtten", centre)
    team = make_unit(m, "Team Sol", institution)
    other_team = make_unit(m, "Team Måne", institution)
    other_root = make_unit(other, "Direktionen")
    p = Personas(m, other, root, centre, institution, team, other_team, other_root)
    p.people["executive"] = make_person(
        m, "Ester Direktør", unit=root, username="executive", roles=[(Role.EXECUTIVE, root)]
    )
    p.people["centre_chief"] = make_person(m, "Carl Centerchef", unit=centre, username="centre_chief", leader=True)
    p.people["team_leader"] = make_person(
        m, "Tina Teamleder", unit=team, username="team_leader", leader=True, area=area
    )
    p.people["employee"] = make_person(
        m, "Erik Medarbejder", unit=team, username="employee", area=area, employee_id="E1"
    )
    p.people["lighthouse"] = make_person(
        m, "Frida Fyrtårn", unit=team, username="lighthouse", roles=[(Role.LIGHTHOUSE, institution)]
    )
    p.people["it"] = make_person(m, "Ivan IT", unit=root, username="it", roles=[(Role.IT, root)])
    p.people["med"] = make_person(m, "Maja MED", unit=other_team, username="med", roles=[(Role.MED, root)])
    p.people["facilitator"] = make_person(
        m, "Freja Facilitator", username="facilitator", roles=[(Role.FACILITATOR, root)]
    )
    p.people["admin"] = make_person(m, "Anders Admin", unit=root, username="admin", roles=[(Role.ADMIN, root)])
    p.people["outsider"] = make_person(
        other, "Ulla Udefra", unit=other_root, username="outsider", roles=[(Role.ADMIN, other_root)]
    )
    return p


# --- Track 1, "Retning og rammer" -----------------------------------------------------------


def make_compass(
    municipality: Municipality,
    *,
    version: int = 1,
    status: str = "published",
    principles: int = 4,
) -> Compass:
    """A compass version with `principles` principles, headed with the municipality's name so a
    leak to the other municipality is visible."""
    compass = Compass.objects.create(
        municipality=municipality,
        version=version,
        status=status,
        ethics="Et menneske træffer altid afgørelsen.",
        published_at=timezone.now() if status == "published" else None,
    )
    for i in range(1, principles + 1):
        Principle.objects.create(
            municipality=municipality,
            compass=compass,
            position=i,
            headline=f"{municipality.name} princip {i}",
            explanation="Vi forklarer, hvad det betyder i hverdagen.",
        )
    CompassRule.objects.create(
        municipality=municipality, compass=compass, kind="do", text="Tjek altid svaret", example="Læs teksten igennem."
    )
    return compass


def make_tool(
    municipality: Municipality,
    *,
    name: str | None = None,
    tier: str = "enterprise",
    data: tuple[str, ...] = ("public", "internal"),
    status: str = "approved",
) -> Tool:
    ensure_default_data_classes(municipality)
    tool = Tool.objects.create(
        municipality=municipality,
        name=name or f"Assistent {municipality.name}",
        vendor="Leverandør A/S",
        tier=ToolTier.objects.get(municipality=municipality, key=tier),
        status=status,
        professional_owner="Fagligt ejer",
        technical_owner="IT-drift",
    )
    tool.data_classes.set(DataClass.objects.filter(municipality=municipality, key__in=data))
    return tool


def make_focus_area(municipality: Municipality, name: str | None = None) -> FocusArea:
    return FocusArea.objects.create(
        municipality=municipality, name=name or f"Fokus i {municipality.name}", why="Fordi det frigør tid."
    )


def grow_organisation(p: Personas, *, times: int = 10) -> None:
    """Make Testkommune about `times` as large: units under every unit, people in them (some
    leading), concerns and log rows. The every-page test compares each page's query count before
    and after. A track that adds a table adds its rows here too, in proportion."""
    from forankring.core import audit
    from forankring.privacy.models import Concern

    m = p.municipality
    units = list(Unit.objects.filter(municipality=m).order_by("path"))
    people = Person.objects.filter(municipality=m).count()
    # Numbered on from what is there, so the organisation can be grown more than once.
    grown = [
        make_unit(m, f"Vækstenhed {len(units) + n}", units[n % len(units)]) for n in range(len(units) * (times - 1))
    ]
    # People in the old units too, so every unit's own list of members grows as well.
    everywhere = [*units, *grown]
    for n in range(people, people * times):
        place = everywhere[n % len(everywhere)]
        make_person(m, f"Vækst Person {n}", unit=place, leader=n % 9 == 0, employee_id=f"V{n}")
    Concern.objects.bulk_create(
        Concern(municipality=m, unit=everywhere[n % len(everywhere)], kind="oenske", text=f"Ønske nummer {n}")
        for n in range(3 * times)
    )
    for n in range(3 * times):
        audit.record(municipality=m, actor=p.admin, action="test.grow", obj=m, changes={"n": n})
    _grow_direction(p, times=times)
    _grow_competence(p, times=times)
    _grow_practice(p, times=times)
    _grow_pilots_core(p, times=times)
    _grow_pilots_retro(p, times=times)
    _grow_pilots_sharing(p, times=times)
    _grow_pilots_rollout(p, times=times)


def _grow_direction(p: Personas, *, times: int) -> None:
    """Track 1's share of a grown organisation: a published compass (made once, so pages that
    show it cost the same at every size), more tools and acknowledgements from a share of the
    people, and answers to some concerns."""
    from forankring.direction.models import Acknowledgement, ConcernAnswer
    from forankring.privacy.models import Concern

    # Both municipalities get a published version and a draft, as the access table's own objects
    # would give them; made once, so the pages showing them cost the same at every size.
    for municipality in (p.municipality, p.other_municipality):
        for status in ("published", "draft"):
            if not Compass.objects.filter(municipality=municipality, status=status).exists():
                version = Compass.objects.filter(municipality=municipality).count() + 1
                make_compass(municipality, version=version, status=status)
        if not FocusArea.objects.filter(municipality=municipality).exists():
            make_focus_area(municipality)
        if not Tool.objects.filter(municipality=municipality).exists():
            make_tool(municipality)
    m = p.municipality
    compass = Compass.objects.get(municipality=m, status="published")
    tools = Tool.objects.filter(municipality=m).count()
    for n in range(tools, tools + 2 * times):
        make_tool(m, name=f"Vækstværktøj {n}")
    done = set(Acknowledgement.objects.filter(compass=compass).values_list("person_id", flat=True))
    Acknowledgement.objects.bulk_create(
        Acknowledgement(municipality=m, compass=compass, person_id=pk)
        for pk in Person.objects.filter(municipality=m).values_list("pk", flat=True)[::2]
        if pk not in done
    )
    answered = set(ConcernAnswer.objects.filter(municipality=m).values_list("concern_id", flat=True))
    ConcernAnswer.objects.bulk_create(
        ConcernAnswer(
            municipality=m, concern=c, status="answered", answer="Vi har talt om det.", answered_on=c.created_on
        )
        # Every concern: their keys are random UUIDs, so "the first few" would differ from run to run.
        for c in Concern.objects.filter(municipality=m)
        if c.pk not in answered
    )


# --- Track 3, "Kompetenceudvikling" ---------------------------------------------------------


def make_activity(
    municipality: Municipality,
    *,
    title: str | None = None,
    level_key: str = "everyone",
    form: str = "workshop",
    refresh_months: int | None = 12,
    mandatory: bool = False,
    tools: tuple[Tool, ...] = (),
) -> Activity:
    """An activity named after the municipality, so a leak to the other one is visible."""
    ensure_default_levels(municipality)
    activity = Activity.objects.create(
        municipality=municipality,
        title=title or f"AI i hverdagen i {municipality.name}",
        level=Level.objects.get(municipality=municipality, key=level_key),
        form=form,
        description="Hvad AI er, og hvordan vi bruger den trygt.",
        duration_minutes=90,
        refresh_months=refresh_months,
        mandatory=mandatory,
    )
    activity.tools.set(tools)
    return activity


def make_session(
    activity: Activity,
    *,
    days: int = 7,
    capacity: int = 10,
    host: Person | None = None,
    place: str | None = None,
) -> Session:
    """A session `days` from now (negative: in the past), two hours long."""
    starts = timezone.now() + timedelta(days=days)
    return Session.objects.create(
        municipality=activity.municipality,
        activity=activity,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=place or f"Mødelokale i {activity.municipality.name}",
        capacity=capacity,
        host=host,
    )


def make_prompt(
    municipality: Municipality,
    *,
    title: str | None = None,
    status: str = "approved",
    area: ProfessionalArea | None = None,
) -> Prompt:
    ensure_default_data_classes(municipality)
    return Prompt.objects.create(
        municipality=municipality,
        title=title or f"Referat i {municipality.name}",
        text="Skriv et kort referat af [noter] med beslutninger øverst.",
        task="Referat",
        area=area,
        tier=ToolTier.objects.get(municipality=municipality, key="enterprise"),
        anonymise_first=True,
        status=status,
    )


def _grow_competence(p: Personas, *, times: int) -> None:
    """Track 3's share: both municipalities' default levels (as their first visit would make
    them), more activities with a session each, and records for a share of the people."""
    from forankring.competence.models import Record

    for municipality in (p.municipality, p.other_municipality):
        ensure_default_levels(municipality)
    m = p.municipality
    have = Activity.objects.filter(municipality=m).count()
    for n in range(have, have + times):
        make_session(make_activity(m, title=f"Vækstforløb {n}"), days=n + 1)
    activity = Activity.objects.filter(municipality=m).order_by("pk").first()
    done = set(Record.objects.filter(municipality=m).values_list("person_id", flat=True))
    today = timezone.localdate()
    Record.objects.bulk_create(
        Record(municipality=m, person_id=pk, activity=activity, version="1", completed_on=today, source="self")
        for pk in Person.objects.filter(municipality=m).values_list("pk", flat=True)[::3]
        if pk not in done
    )


# --- Notifications --------------------------------------------------------------------------


def make_notification(
    recipient: Person, *, kind: str = "idea.answered", subject: str = "Skrive referater"
) -> Notification:
    notification = Notification.objects.filter(recipient=recipient, subject=subject).first()
    return notification or Notification.objects.create(
        municipality_id=recipient.municipality_id,
        recipient=recipient,
        kind=kind,
        subject=subject,
        url="/",
        created_at=timezone.now(),
    )


# --- Track 2, "Faglig forankring" -----------------------------------------------------------


def make_use_case(
    municipality: Municipality,
    *,
    title: str | None = None,
    unit: Unit | None = None,
    status: str = "idea",
    tools: tuple[Tool, ...] = (),
    data: tuple[str, ...] = (),
) -> UseCase:
    """A use case titled with the municipality's name, so a leak to the other one is visible."""
    ensure_default_data_classes(municipality)
    area = ProfessionalArea.objects.get_or_create(municipality=municipality, name="Dagtilbud")[0]
    unit = unit or Unit.objects.filter(municipality=municipality).order_by("path").first()
    assert unit is not None
    use_case = UseCase.objects.create(
        municipality=municipality,
        title=title or f"Skrive ugeplaner i {municipality.name}",
        today="Pædagogen skriver ugeplanen i hånden.",
        ai_help="Et udkast ud fra stikord.",
        human_decides="Pædagogen godkender planen.",
        area=area,
        unit=unit,
        status=status,
    )
    use_case.tools.set(tools)
    use_case.data_classes.set(DataClass.objects.filter(municipality=municipality, key__in=data))
    return use_case


def make_idea(proposer: Person, unit: Unit, *, title: str | None = None, status: str = "new") -> Idea:
    return Idea.objects.create(
        municipality_id=proposer.municipality_id,
        proposer=proposer,
        unit=unit,
        title=title or f"Forældrebreve i {proposer.municipality.name}",
        description="Det tager lang tid at skrive dem.",
        status=status,
        created_at=timezone.now(),
    )


def _grow_practice(p: Personas, *, times: int) -> None:
    """Track 2's share: use cases and ideas in both municipalities (at least one each from the
    start, so list pages show rows at every size), more in proportion, and a notification for
    every persona."""
    for municipality, proposer, unit in (
        (p.municipality, p.employee, p.team),
        (p.other_municipality, p.outsider, p.other_root),
    ):
        have = UseCase.objects.filter(municipality=municipality).count()
        for n in range(have, have + times):
            make_use_case(municipality, title=f"Skrive vækstreferat {n}", unit=unit)
        have = Idea.objects.filter(municipality=municipality).count()
        for n in range(have, have + times):
            make_idea(proposer, unit, title=f"Vækstidé {n}")
        AnonymousIdea.objects.bulk_create(
            AnonymousIdea(
                municipality=municipality, unit=unit, title=f"Anonym vækstidé {n}", description="Det tager tid."
            )
            for n in range(times)
        )
    # Lighthouses for grown colleagues in their own units, so "Find dit fyrtårn" has more to list.
    area = ProfessionalArea.objects.get_or_create(municipality=p.municipality, name="Dagtilbud")[0]
    appointed = Lighthouse.objects.filter(municipality=p.municipality).values("person_id")
    placements = (
        Membership.objects.filter(municipality=p.municipality, person__name__startswith="Vækst Person")
        .exclude(person_id__in=appointed)
        .order_by("pk")[:times]
    )
    Lighthouse.objects.bulk_create(
        Lighthouse(
            municipality=p.municipality,
            person_id=placement.person_id,
            unit_id=placement.unit_id,
            area=area,
            helps_with="At komme i gang",
            contact="Skriv i Teams",
        )
        for placement in placements
    )
    for person in p.people.values():
        make_notification(person, subject="Vækst")


# --- Track 4, "Lokal afprøvning og læring": the retrospective --------------------------------


def _grow_pilots_retro(p: Personas, *, times: int) -> None:
    from tests.pilots.retro_support import grow_retro

    grow_retro(p, times=times)
    # Questions to the lighthouse persona (in Andenkommune the outsider is lighthouse and asker),
    # and so lighthouses on "Sådan arbejder vi med AI".
    for municipality, unit, lighthouse_person, asker in (
        (p.municipality, p.institution, p.lighthouse, p.employee),
        (p.other_municipality, p.other_root, p.outsider, p.outsider),
    ):
        lighthouse = Lighthouse.objects.filter(municipality=municipality, person=lighthouse_person).first()
        if lighthouse is None:
            lighthouse = Lighthouse.objects.create(
                municipality=municipality,
                person=lighthouse_person,
                unit=unit,
                area=ProfessionalArea.objects.get_or_create(municipality=municipality, name="Dagtilbud")[0],
                helps_with=f"Skriveassistenten i {municipality.name}",
                contact="Tirsdage",
            )
        LighthouseQuestion.objects.bulk_create(
            LighthouseQuestion(
                municipality=municipality,
                lighthouse=lighthouse,
                asker=asker,
                text=f"Vækstspørgsmål {n} i {municipality.name}",
                answer="Et svar" if n % 2 else "",
                asked_at=timezone.now(),
                answered_at=timezone.now() if n % 2 else None,
            )
            for n in range(times)
        )


# --- Track 4: rollout -----------------------------------------------------------------------


def _grow_pilots_rollout(p: Personas, *, times: int) -> None:
    """Rollouts: the team's own (owned by its leader) and one in Andenkommune from the start, as
    the access table makes them; then more to other units, weeks ticked off, the tool's
    training for some of the team's leaders, and "one concrete problem" from the team's members."""
    from forankring.pilots.models import ConcreteProblem, Rollout
    from tests.pilots.helpers_rollout import make_rollout, note_problem, tick, tool_training, train

    m = p.municipality
    first = Rollout.objects.filter(municipality=m).order_by("pk").first() or make_rollout(p.team, owner=p.team_leader)
    if not Rollout.objects.filter(municipality=p.other_municipality).exists():
        make_rollout(p.other_root, owner=p.outsider)
    units = list(Unit.objects.filter(municipality=m).order_by("path"))
    have = Rollout.objects.filter(municipality=m).count()
    for n in range(have, have + times):
        rollout = make_rollout(units[n % len(units)], owner=p.team_leader, days_ago=n % 40)
        tick(rollout, 1)
    activity = tool_training(first.tool)
    trained = set(activity.records.values_list("person_id", flat=True))
    for leader in Person.objects.filter(municipality=m, memberships__unit=p.team, memberships__is_leader=True)[::2]:
        if leader.pk not in trained:
            train(leader, activity)
    noted = set(ConcreteProblem.objects.filter(rollout=first).values_list("person_id", flat=True))
    for person in Person.objects.filter(municipality=m, memberships__unit__path__startswith=p.team.path).order_by("pk"):
        if person.pk not in noted:
            note_problem(first, person, text=f"Vækstproblem {person.pk}")


def _grow_pilots_sharing(p: Personas, *, times: int) -> None:
    """Track 4's sharing part: learning cards (on closed pilots), named and anonymous
    experiences and celebrations with reactions, in both municipalities, in proportion."""
    from forankring.pilots.models import AnonymousExperience, Celebration, Experience
    from tests.pilots.factories_sharing import area_of, make_card

    for municipality, author, unit in (
        (p.municipality, p.team_leader, p.team),
        (p.other_municipality, p.outsider, p.other_root),
    ):
        have = Experience.objects.filter(municipality=municipality).count()
        for n in range(have, have + times):
            make_card(author, unit, title=f"Vækstafprøvning {n} i {municipality.name}")
        area = area_of(municipality)
        Experience.objects.bulk_create(
            Experience(
                municipality=municipality,
                area=area,
                title=f"Væksterfaring {n}",
                text="Kortere tekster med en klar besked.",
                author=author,
                created_on=timezone.localdate(),
                created_at=timezone.now(),
            )
            for n in range(have, have + 2 * times)
        )
        AnonymousExperience.objects.bulk_create(
            AnonymousExperience(municipality=municipality, area=area, title=f"Anonym vækst {n}", text="Det hjalp.")
            for n in range(times)
        )
        Celebration.objects.bulk_create(
            Celebration(municipality=municipality, unit=unit, area=area, story=f"Vækstsejr {n}", applause=n)
            for n in range(2 * times)
        )


# --- Track 4, "Lokal afprøvning og læring": core (pilots and pulses) ---------------------------


def _grow_pilots_core(p: Personas, *, times: int) -> None:
    """Pilots in every status in both municipalities (at least one of each from the start, so
    every page shows rows at every size), and pulse answers for the running ones."""
    from forankring.pilots.models import Pilot, PilotPulse, PulseAnswer
    from forankring.pilots.rules import week_of
    from tests.pilots.helpers_core import make_pilot

    week = week_of(timezone.localdate())
    for municipality, leader, unit in (
        (p.municipality, p.team_leader, p.team),
        (p.other_municipality, p.outsider, p.other_root),
    ):
        have = Pilot.objects.filter(municipality=municipality).count()
        for n in range(have, have + times):
            status = Pilot.Status.values[n % len(Pilot.Status.values)]
            make_pilot(municipality, leader=leader, units=[unit], title=f"Vækstafprøvning {n}", status=status)
        for pulse in PilotPulse.objects.filter(municipality=municipality):
            PulseAnswer.objects.bulk_create(
                PulseAnswer(
                    municipality=municipality,
                    pulse=pulse,
                    week=week - timedelta(weeks=n % 3),
                    created_on=week - timedelta(weeks=n % 3),
                    score=1 + n % 5,
                    easier="Det gik lettere." if n % 2 else "",
                )
                for n in range(times)
            )

"""Builders for test data. They write through the ORM directly (the actions are what tests test)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils import timezone

from forankring.core.models import Membership, Municipality, Person, ProfessionalArea, Role, RoleAssignment, Unit
from forankring.direction.models import Compass, CompassRule, FocusArea, Principle, Tool
from forankring.notifications.models import Notification
from forankring.practice.models import Idea, UseCase
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
